/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** Root of every exception ZeroWAL throws for a log-level problem. Unchecked. */
public class WalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, where, and what the user can do
   */
  public WalException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, where, and what the user can do
   * @param cause the failure underneath, usually an {@link java.io.IOException}
   */
  public WalException(String message, Throwable cause) {
    super(message, cause);
  }
}
