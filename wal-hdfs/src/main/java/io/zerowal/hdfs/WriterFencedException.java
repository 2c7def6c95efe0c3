/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import java.io.IOException;

/**
 * Thrown by an {@link HdfsStorage} whose write lock was taken over by another writer (another
 * process or machine opened the same log and recovered the lease of its lock file). The fenced
 * storage makes no further change to the log: close it; the other writer owns the log now.
 */
public final class WriterFencedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which writer was fenced, by whom, and what to do
   * @param cause the HDFS failure that showed the lease was lost
   */
  public WriterFencedException(String message, Throwable cause) {
    super(message, cause);
  }
}
