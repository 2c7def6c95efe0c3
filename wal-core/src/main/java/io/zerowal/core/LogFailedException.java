/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * A write or sync of the log failed. The log is poisoned: every pending and later append fails with
 * this exception, and nothing is retried on the same file, because after a failed fsync the kernel
 * may have dropped the unwritten pages. Records whose futures completed before the failure are
 * durable. Close the log and open it again: recovery keeps every acknowledged record.
 */
public final class LogFailedException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which log failed and what to do
   * @param cause the I/O failure that poisoned the log
   */
  public LogFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
