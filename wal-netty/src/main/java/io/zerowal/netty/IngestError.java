/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

/**
 * The codes of an ERROR frame (docs/PROTOCOL.md): what the server refused and whether trying
 * again can help.
 */
public enum IngestError {
  /** The frame breaks the protocol; the server closes the connection. Not retried. */
  MALFORMED_FRAME(1, false),
  /** The frame is over the server's maximum frame size; the connection is closed. Not retried. */
  FRAME_TOO_LARGE(2, false),
  /** The token is missing or wrong; the connection is closed. Not retried. */
  UNAUTHORIZED(3, false),
  /** The server does not speak the client's protocol version; the connection is closed. */
  UNSUPPORTED_VERSION(4, false),
  /**
   * The batch's sequence is past the next one the server expects for its producer: an earlier
   * batch was refused. The client reconnects and sends its unacknowledged batches again, in order.
   */
  SEQUENCE_GAP(5, true),
  /**
   * The batch's sequence is older than the server's duplicate window: it was stored long ago, or
   * two producers share an id. Not retried.
   */
  OLD_SEQUENCE(6, false),
  /** The receiver is over a bound (back-pressure); the connection is closed. Retried later. */
  BUSY(7, true),
  /** The receiver is stopping or its store failed; the connection is closed. Retried later. */
  UNAVAILABLE(8, true),
  /** The server already remembers as many producers as it may. Not retried. */
  TOO_MANY_PRODUCERS(9, false),
  /** The server already has its maximum of connections; this one is closed. Retried later. */
  TOO_MANY_CONNECTIONS(10, true),
  /** A code this client does not know (a newer server). Not retried. */
  UNKNOWN(0xFFFF, false);

  private final int code;
  private final boolean retriable;

  IngestError(int code, boolean retriable) {
    this.code = code;
    this.retriable = retriable;
  }

  /**
   * The code on the wire.
   *
   * @return the u16 code of docs/PROTOCOL.md
   */
  public int code() {
    return code;
  }

  /**
   * Whether a client may send the refused batch again, after a backoff, on a new connection.
   *
   * @return true for BUSY, UNAVAILABLE, SEQUENCE_GAP and TOO_MANY_CONNECTIONS
   */
  public boolean isRetriable() {
    return retriable;
  }

  static IngestError of(int code) {
    for (IngestError e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return UNKNOWN;
  }
}
