/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Back-pressure: the bytes appended and not yet completed, bounded by {@code maxPendingBytes}.
 * An append over the bound blocks until completions make room ({@link BackPressure#BLOCK}) or
 * fails at once ({@link BackPressure#FAIL_FAST}). One atomic add per append when there is room;
 * the monitor is touched only when appenders wait. An append from one of the log's own threads (a
 * completion callback) never waits, under either policy: those threads are what make room, so it
 * would wait for itself.
 */
final class PendingBytes {
  private final long max;
  private final BackPressure policy;
  private final Predicate<Thread> logThread;
  private final AtomicLong pending = new AtomicLong();
  private final Object room = new Object();
  private volatile int blocked;

  PendingBytes(long max, BackPressure policy, Predicate<Thread> logThread) {
    this.max = max;
    this.policy = policy;
    this.logThread = logThread;
  }

  /**
   * Counts {@code size} bytes of a new append, waiting for room if needed. While it waits it runs
   * {@code checkWritable}, which throws once the log stops taking appends.
   */
  void acquire(long size, Runnable checkWritable) {
    if (pending.addAndGet(size) <= max) {
      return;
    }
    pending.addAndGet(-size);
    if (policy == BackPressure.FAIL_FAST) {
      throw new BackPressureException("append refused: " + pending.get() + " bytes already wait"
          + " for the disk and maxPendingBytes is " + max
          + "; retry later, raise maxPendingBytes, or use BackPressure.BLOCK");
    }
    Thread current = Thread.currentThread();
    if (logThread.test(current)) {
      throw new BackPressureException("append refused on the log's own thread " + current.getName()
          + " (a completion callback): maxPendingBytes " + max + " is reached and only this"
          + " thread can make room, so waiting would deadlock the log; append from another"
          + " thread, or attach the callback with an ...Async method and an executor");
    }
    synchronized (room) {
      blocked++;
      try {
        while (true) {
          checkWritable.run();
          long now = pending.get();
          if (now + size <= max || now == 0) {
            if (pending.compareAndSet(now, now + size)) {
              return;
            }
            continue;
          }
          try {
            room.wait(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalException("interrupted while waiting for room in the log (maxPendingBytes "
                + max + ")", e);
          }
        }
      } finally {
        blocked--;
      }
    }
  }

  /** {@code bytes} worth of appends completed (or were abandoned): make room for blocked appenders. */
  void release(long bytes) {
    if (pending.addAndGet(-bytes) < max && blocked > 0) {
      wakeAll();
    }
  }

  /** Wakes every waiting appender, to see the log stopped. */
  void wakeAll() {
    synchronized (room) {
      room.notifyAll();
    }
  }

  long get() {
    return pending.get();
  }
}
