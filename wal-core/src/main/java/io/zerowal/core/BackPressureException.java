/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * An append was refused because the bytes waiting for the disk reached {@code maxPendingBytes} and
 * the log was opened with {@link BackPressure#FAIL_FAST}. Nothing was written; retry later, slow
 * the producer, or use {@link BackPressure#BLOCK}.
 */
public final class BackPressureException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused and why, with the limit reached
   */
  public BackPressureException(String message) {
    super(message);
  }
}
