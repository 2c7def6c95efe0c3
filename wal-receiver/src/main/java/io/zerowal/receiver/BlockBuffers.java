/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The buffers one receiver encodes its blocks into, kept for the next block once the data log has
 * written them. Why: a block is typically 64 KiB to 4 MiB, and a fresh buffer per block of half a
 * G1 region or more is a humongous allocation, which starts a collection of its own; a receiver
 * storing 1 MiB blocks set off ~15 collections a second, each a pause of its store path (issue 12).
 *
 * <p>A buffer comes back only from a store whose data-log append completed normally: the log has
 * then read its bytes for good (its contract: the caller may change them once the future completes).
 * One whose append failed is dropped, since a failed log may still hold it in a write. At most
 * {@link #MAX_POOLED} buffers and {@code maxPooledBytes} are kept, outside the receiver's
 * maxBufferedBytes, which bounds the buffers in flight. Thread-safe.
 */
final class BlockBuffers {
  /** Buffers kept: one for a receiver that waits for each store, one more for the next block. */
  static final int MAX_POOLED = 2;

  private final long maxPooledBytes;
  private final ByteBuffer[] free = new ByteBuffer[MAX_POOLED]; // guarded by this
  private long pooledBytes; // guarded by this

  /** A pool keeping at most {@code maxPooledBytes} of idle buffers. */
  BlockBuffers(long maxPooledBytes) {
    this.maxPooledBytes = maxPooledBytes;
  }

  /**
   * A buffer of at least {@code size} bytes, position 0, limit {@code size}, little-endian: a kept
   * one if one is large enough, else a new one.
   */
  ByteBuffer take(int size) {
    synchronized (this) {
      for (int i = 0; i < free.length; i++) {
        ByteBuffer b = free[i];
        if (b != null && b.capacity() >= size) {
          free[i] = null;
          pooledBytes -= b.capacity();
          return b.clear().limit(size);
        }
      }
    }
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Keeps {@code b} for a later block, replacing the smallest kept buffer if it is larger and the
   * pool is full; drops it if it would exceed the pool's bytes. Only for a buffer whose bytes no
   * one reads any more.
   */
  void give(ByteBuffer b) {
    if (b.isReadOnly() || b.isDirect() || b.capacity() > maxPooledBytes) {
      return;
    }
    synchronized (this) {
      int slot = -1;
      for (int i = 0; i < free.length; i++) {
        if (free[i] == b) {
          return; // given twice: keep it once
        }
        if (free[i] == null) {
          slot = i;
        } else if (slot < 0 || (free[slot] != null && free[i].capacity() < free[slot].capacity())) {
          slot = i;
        }
      }
      ByteBuffer replaced = free[slot];
      if (replaced != null && replaced.capacity() >= b.capacity()) {
        return;
      }
      long after = pooledBytes + b.capacity() - (replaced == null ? 0 : replaced.capacity());
      if (after > maxPooledBytes) {
        return;
      }
      free[slot] = b.order(ByteOrder.LITTLE_ENDIAN);
      pooledBytes = after;
    }
  }

  /** Bytes kept, for tests. */
  synchronized long pooledBytes() {
    return pooledBytes;
  }
}
