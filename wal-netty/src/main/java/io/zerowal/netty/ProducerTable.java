/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The highest batch sequence stored per producer: what makes a retried batch a duplicate.
 *
 * <p>Every block the server stores carries, as its metadata, a snapshot of this table taken when
 * the block was submitted: the block's own batch included, and every batch submitted before it.
 * The receiver's data log appends in submission order and a failed append fails everything after
 * it, so when a block is durable every batch its snapshot names is durable too; and the engine
 * returns the metadata of the last durable block after a crash ({@code lastMetadata()}). The table
 * rebuilt from it therefore names exactly the batches whose acknowledgement may have been sent.
 *
 * <pre>
 * snapshot := version:u8 (1) | count:u32 | count x (producerId:u64 | highestSequence:u64)
 * </pre>
 *
 * Not thread-safe: the server guards it with one lock, which it also holds while it submits the
 * block, so that snapshot order is append order.
 */
final class ProducerTable {
  static final int ENTRY_BYTES = 16;
  static final int HEADER_BYTES = 5;
  private static final byte SNAPSHOT_VERSION = 1;

  private final Map<Long, long[]> highest = new HashMap<>(); // producer -> {highest submitted}

  /** The table a snapshot describes; empty for null. */
  static ProducerTable fromSnapshot(ByteBuffer snapshot) {
    ProducerTable t = new ProducerTable();
    if (snapshot == null) {
      return t;
    }
    ByteBuffer b = snapshot.duplicate();
    if (b.remaining() < HEADER_BYTES || b.get() != SNAPSHOT_VERSION) {
      throw new IllegalStateException("the receiver's last block metadata is not a producer table"
          + " of version " + SNAPSHOT_VERSION + " (" + snapshot.remaining() + " bytes): was this"
          + " receiver id used by another kind of receiver? Give the IngestServer its own id");
    }
    int count = b.getInt();
    if (count < 0 || (long) count * ENTRY_BYTES != b.remaining()) {
      throw new IllegalStateException("the receiver's producer table announces " + count
          + " entries in " + b.remaining() + " bytes: the metadata is not an IngestServer's");
    }
    for (int i = 0; i < count; i++) {
      t.highest.put(b.getLong(), new long[] {b.getLong()});
    }
    return t;
  }

  /** The highest sequence submitted for {@code producerId}; 0 if none. */
  long highest(long producerId) {
    long[] h = highest.get(producerId);
    return h == null ? 0 : h[0];
  }

  boolean contains(long producerId) {
    return highest.containsKey(producerId);
  }

  int size() {
    return highest.size();
  }

  void set(long producerId, long sequence) {
    long[] h = highest.get(producerId);
    if (h == null) {
      highest.put(producerId, new long[] {sequence});
    } else {
      h[0] = sequence;
    }
  }

  void remove(long producerId) {
    highest.remove(producerId);
  }

  /** Bytes of the snapshot of {@code producers} entries. */
  static int snapshotBytes(int producers) {
    return HEADER_BYTES + producers * ENTRY_BYTES;
  }

  /** The table as stored with a block. */
  ByteBuffer snapshot() {
    ByteBuffer b = ByteBuffer.allocate(snapshotBytes(highest.size()));
    b.put(SNAPSHOT_VERSION).putInt(highest.size());
    for (Map.Entry<Long, long[]> e : highest.entrySet()) {
      b.putLong(e.getKey()).putLong(e.getValue()[0]);
    }
    return b.flip();
  }
}
