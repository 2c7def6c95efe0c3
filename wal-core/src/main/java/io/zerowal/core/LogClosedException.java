/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** The log was closed; open it again with {@link WriteAheadLog#builder}. */
public final class LogClosedException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which operation was refused on which closed log
   */
  public LogClosedException(String message) {
    super(message);
  }
}
