/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import io.zerowal.core.WalException;

/**
 * A record of a batch is not a Flume event as {@link EventFormat} writes it: a poison record. The
 * message names the offset and what is wrong.
 */
public class CorruptEventException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what is wrong, and where
   */
  public CorruptEventException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message} and its {@code cause}.
   *
   * @param message what is wrong, and where
   * @param cause the underlying failure
   */
  public CorruptEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
