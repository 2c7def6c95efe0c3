/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.WalException;

/**
 * The engine stopped because a batch failed or a log failed. The batch that was running stays
 * uncompleted and runs again, with the same blocks, when an engine next starts on the same logs.
 */
public final class EngineFailedException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which engine failed, and why
   * @param cause the failure that stopped the engine
   */
  public EngineFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
