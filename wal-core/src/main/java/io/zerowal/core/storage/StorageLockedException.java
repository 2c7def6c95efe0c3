/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;

/** Thrown when a second writer tries to open a log that another writer holds. */
public final class StorageLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message who holds the lock, where, and what to do
   */
  public StorageLockedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message who holds the lock, where, and what to do
   * @param cause the failure that revealed the lock was held or lost
   */
  public StorageLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
