/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** A record exceeds the log's {@code maxRecordSize}; split it, or open the log with a larger bound. */
public final class RecordTooLargeException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the record's size, the limit, and how to raise it
   */
  public RecordTooLargeException(String message) {
    super(message);
  }
}
