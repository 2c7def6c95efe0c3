/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.StorageLockedException;

/**
 * The log could not be opened because another writer holds it: another open log in this process or
 * another one (see {@link io.zerowal.core.storage.Storage#lockForWriting()}). Close that writer
 * first, or give this one a storage of its own. The storage's {@link StorageLockedException} is the
 * cause.
 */
public final class LogLockedException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which log is held, and what to do
   * @param cause the storage's refusal to lock
   */
  public LogLockedException(String message, StorageLockedException cause) {
    super(message, cause);
  }
}
