/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;

/** Thrown when a second writer tries to open a log that another writer holds. */
public final class StorageLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  public StorageLockedException(String message) {
    super(message);
  }

  public StorageLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
