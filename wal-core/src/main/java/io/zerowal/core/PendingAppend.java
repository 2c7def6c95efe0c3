package io.zerowal.core;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One append waiting for the writer: it is at once the future handed to the caller and the node of
 * the writer's queue, so an append allocates nothing but this object and, on completion, its
 * {@link RecordHandle}.
 */
final class PendingAppend extends CompletableFuture<RecordHandle> {
  /** Written by the appender before it enqueues, read and cleared by the writer thread. */
  ByteBuffer payload;
  final int length;
  /** Assigned by the writer thread while it builds the group. */
  long sequence;
  long offset;
  long segment;
  /** Queue link, written by the producer that enqueues the next node. */
  volatile PendingAppend next;

  PendingAppend(ByteBuffer payload, int length) {
    this.payload = payload;
    this.length = length;
  }

  /** Bytes this append takes on disk, the unit of back-pressure accounting. */
  long frameSize() {
    return RecordFrame.frameSize(length);
  }
}
