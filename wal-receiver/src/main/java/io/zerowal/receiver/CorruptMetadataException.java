/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.WalException;

/**
 * The block tracker's metadata log, or a data log it points into, does not hold what the engine
 * wrote: an event that does not decode, events that contradict each other, or a block whose data
 * is missing from its data log. The engine refuses to start rather than silently lose or invent
 * records. Keep the log directories for inspection.
 */
public final class CorruptMetadataException extends WalException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which log holds what contradiction, and what to do
   */
  public CorruptMetadataException(String message) {
    super(message);
  }
}
