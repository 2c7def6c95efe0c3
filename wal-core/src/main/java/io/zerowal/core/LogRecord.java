/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.nio.ByteBuffer;

/** One record read back from the log: its sequence, its handle and its payload. Immutable. */
public final class LogRecord {
  private final long sequence;
  private final RecordHandle handle;
  private final ByteBuffer payload;

  LogRecord(RecordHandle handle, byte[] payload) {
    this.sequence = handle.sequence();
    this.handle = handle;
    this.payload = ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  /** {@return the record's sequence} */
  public long sequence() {
    return sequence;
  }

  /** {@return where the record lives, for a later {@link WriteAheadLog#read(RecordHandle)}} */
  public RecordHandle handle() {
    return handle;
  }

  /**
   * The payload, CRC-checked; a read-only buffer of its own (each call returns a fresh view).
   *
   * @return the payload as a read-only buffer positioned at its first byte
   */
  public ByteBuffer payload() {
    return payload.duplicate();
  }

  /** {@return a copy of the payload} */
  public byte[] payloadBytes() {
    byte[] copy = new byte[payload.remaining()];
    payload.duplicate().get(copy);
    return copy;
  }

  @Override
  public String toString() {
    return "LogRecord{sequence=" + sequence + ", length=" + payload.remaining() + "}";
  }
}
