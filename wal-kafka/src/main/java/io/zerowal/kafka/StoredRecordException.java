/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.core.WalException;

/**
 * Bytes in a batch are not what a Kafka source of this version wrote: a stored record or an offset
 * range of an unknown version or with inconsistent lengths, or a block of another receiver handed
 * to a Kafka processor. The batch fails and runs again at the next start; the message says which
 * bytes and what to do.
 */
public final class StoredRecordException extends WalException {
  private static final long serialVersionUID = 1L;

  StoredRecordException(String message) {
    super(message);
  }

  StoredRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
