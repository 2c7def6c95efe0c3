/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.ForwardingSegmentOutput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage whose segment syncs and writes can be held at a gate, one permit each, so that a test
 * places the writer's next write and the log's syncs exactly where it wants them. Reports which
 * thread entered each held call, counts every write and sync, and records violations of the
 * rules the writer keeps: no sync overlaps another, no sync or write on a closed output, no close
 * under a sync in progress.
 */
final class GatedStorage extends ForwardingStorage {
  private static final long WAIT_SECONDS = 10;

  volatile boolean gateSyncs;
  volatile boolean gateWrites;
  final Semaphore syncPermits = new Semaphore(0);
  final Semaphore writePermits = new Semaphore(0);
  /** Names of the threads that entered a held sync, in order. */
  final BlockingQueue<String> syncsEntered = new LinkedBlockingQueue<>();
  /** Names of the threads that entered a held write, in order. */
  final BlockingQueue<String> writesEntered = new LinkedBlockingQueue<>();
  final AtomicInteger syncs = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();
  final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicInteger syncing = new AtomicInteger();

  GatedStorage(Storage delegate) {
    super(delegate);
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    return gated(name, super.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return gated(name, super.openForWrite(name, position));
  }

  private static void pass(Semaphore permits) throws IOException {
    try {
      if (!permits.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("test gate not opened within " + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted at a test gate", e);
    }
  }

  private SegmentOutput gated(String name, SegmentOutput out) {
    return new ForwardingSegmentOutput(out) {
      private volatile boolean closed;
      private final AtomicInteger syncingThis = new AtomicInteger();

      @Override
      public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (gateWrites) {
          writesEntered.add(Thread.currentThread().getName());
          pass(writePermits);
        }
        if (closed) {
          violations.add("write on closed " + name);
        }
        writes.incrementAndGet();
        super.write(srcs, offset, length);
      }

      @Override
      public void sync() throws IOException {
        if (gateSyncs) {
          syncsEntered.add(Thread.currentThread().getName());
          pass(syncPermits);
        }
        if (closed) {
          violations.add("sync on closed " + name);
        }
        if (syncing.incrementAndGet() > 1) {
          violations.add("two syncs at once, one of " + name);
        }
        syncingThis.incrementAndGet();
        syncs.incrementAndGet();
        try {
          super.sync();
        } finally {
          syncingThis.decrementAndGet();
          syncing.decrementAndGet();
        }
      }

      @Override
      public void close() throws IOException {
        if (syncingThis.get() > 0) {
          violations.add("close of " + name + " under a sync");
        }
        closed = true;
        super.close();
      }
    };
  }
}
