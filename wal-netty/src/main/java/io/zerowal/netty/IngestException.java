/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.zerowal.core.WalException;

/**
 * A batch that an {@link IngestClient} could not get acknowledged: the server refused it, the
 * delivery timeout passed, or the client was closed first. Whether the records were stored is
 * then unknown unless {@link #error()} says the server refused them; treat them as not delivered.
 */
public final class IngestException extends WalException {
  private final transient IngestError error;

  IngestException(String message, IngestError error, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /**
   * The server's error code, if the server refused.
   *
   * @return the code, or null when the failure is the client's (timeout, close, connection)
   */
  public IngestError error() {
    return error;
  }
}
