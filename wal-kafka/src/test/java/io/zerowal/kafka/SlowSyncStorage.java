/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.core.storage.ForwardingSegmentOutput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A storage whose syncs wait while it is {@link #hold() held}: the blocks written meanwhile stay
 * in flight (written, not durable) until {@link #release()}, as on a slow disk.
 */
final class SlowSyncStorage extends ForwardingStorage {
  private boolean held; // guarded by this

  SlowSyncStorage(Storage delegate) {
    super(delegate);
  }

  synchronized void hold() {
    held = true;
  }

  synchronized void release() {
    held = false;
    notifyAll();
  }

  private synchronized void awaitReleased() throws IOException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (held) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("test: sync held for 30 s");
      }
      try {
        wait(left / 1_000_000 + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("test: interrupted while a sync was held");
      }
    }
  }

  private SegmentOutput slow(SegmentOutput out) {
    return new ForwardingSegmentOutput(out) {
      @Override
      public void sync() throws IOException {
        awaitReleased();
        super.sync();
      }
    };
  }

  @Override
  public String describe() {
    return "slow-sync " + super.describe();
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    return slow(super.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return slow(super.openForWrite(name, position));
  }
}
