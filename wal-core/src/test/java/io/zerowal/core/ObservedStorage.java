/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.ForwardingSegmentOutput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MemoryStorage} seen through a window: counts the writer's writes, flushes and syncs, and
 * can hold the next sync until the test lets it fail, so that appends queue up behind a failing
 * group deterministically.
 */
final class ObservedStorage extends ForwardingStorage {
  final AtomicInteger writes = new AtomicInteger();
  final AtomicInteger flushes = new AtomicInteger();
  final AtomicInteger syncs = new AtomicInteger();
  final AtomicInteger creates = new AtomicInteger();
  /** Writes, syncs and creates after a sync failed: must stay zero (nothing is retried). */
  final AtomicInteger callsAfterFailedSync = new AtomicInteger();

  private volatile boolean syncFailed;
  private volatile CountDownLatch syncEntered;
  private volatile CountDownLatch syncRelease;

  ObservedStorage(MemoryStorage memory) {
    super(memory);
  }

  /**
   * The next sync waits for {@link #failHeldSync()} and then throws. Returns a latch that opens when
   * the writer is inside that sync.
   */
  CountDownLatch holdNextSyncThenFail() {
    syncRelease = new CountDownLatch(1);
    syncEntered = new CountDownLatch(1);
    return syncEntered;
  }

  void failHeldSync() {
    syncRelease.countDown();
  }

  private void afterFailureCheck() {
    if (syncFailed) {
      callsAfterFailedSync.incrementAndGet();
    }
  }

  @Override
  public String describe() {
    return "observed " + super.describe();
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    afterFailureCheck();
    creates.incrementAndGet();
    return new Output(super.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return new Output(super.openForWrite(name, position));
  }

  private final class Output extends ForwardingSegmentOutput {

    Output(SegmentOutput out) {
      super(out);
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      afterFailureCheck();
      writes.incrementAndGet();
      super.write(srcs, offset, length);
    }

    @Override
    public void flush() throws IOException {
      flushes.incrementAndGet();
      super.flush();
    }

    @Override
    public void sync() throws IOException {
      afterFailureCheck();
      syncs.incrementAndGet();
      CountDownLatch entered = syncEntered;
      if (entered != null) {
        syncEntered = null;
        entered.countDown();
        try {
          syncRelease.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        syncFailed = true;
        throw new IOException("simulated sync failure held by the test");
      }
      super.sync();
    }
  }
}
