/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** Root of every exception ZeroWAL throws for a log-level problem. Unchecked. */
public class WalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WalException(String message) {
    super(message);
  }

  public WalException(String message, Throwable cause) {
    super(message, cause);
  }
}
