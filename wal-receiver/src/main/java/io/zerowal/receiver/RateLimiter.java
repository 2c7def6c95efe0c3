/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Spaces out records to at most a number per second. The rate can change while stores wait
 * ({@link #rate}), as rate control does after each batch.
 *
 * <p>Accounting is in records, not in precomputed wake-up times: {@code paid} counts the records
 * the elapsed time has paid for at the rates in force (it advances at the current rate), and
 * {@code reserved} the records callers took. A caller takes its records and waits until
 * {@code paid} reaches what was reserved before it, so a store waits for the stores before it and
 * the next one for it ("pay later", as Guava's limiter). Because a waiter re-computes its wait
 * from the records still ahead of it whenever the rate changes, a store queued behind a large
 * store at a low starting rate goes as soon as a higher rate pays for it, not minutes later. Time
 * unused for more than a second is not saved up: a burst after an idle time is at most one
 * second's worth (plus the one store that goes at once, whatever its size).
 */
final class RateLimiter {
  private static final double BURST_SECONDS = 1.0;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition rateChanged = lock.newCondition();
  private double recordsPerNano; // guarded by lock; 0: no limit
  private double paid; // guarded by lock: records paid for by the time until paidAtNanos
  private long paidAtNanos; // guarded by lock
  private double reserved; // guarded by lock: records taken by callers
  private boolean released; // guarded by lock: every wait ends at once (the receiver stops)

  /** At most {@code recordsPerSecond}; 0 for no limit until {@link #rate} sets one. */
  RateLimiter(double recordsPerSecond) {
    this.recordsPerNano = recordsPerSecond > 0 ? recordsPerSecond / 1e9 : 0;
    this.paidAtNanos = System.nanoTime();
  }

  /** Sets the rate, in records per second (positive), for the records still waiting too. */
  void rate(double recordsPerSecond) {
    if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
      throw new IllegalArgumentException("recordsPerSecond must be positive and finite, got "
          + recordsPerSecond);
    }
    lock.lock();
    try {
      advance(System.nanoTime()); // what passed was paid at the old rate
      recordsPerNano = recordsPerSecond / 1e9;
      rateChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The rate in records per second; 0 for no limit. */
  double rate() {
    lock.lock();
    try {
      return recordsPerNano * 1e9;
    } finally {
      lock.unlock();
    }
  }

  /** Ends every wait at once, and the waits of later calls: the receiver is stopping. */
  void release() {
    lock.lock();
    try {
      released = true;
      rateChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code records}, waiting until the records taken before them are paid for. Returns
   * early, with the interrupt flag set, if interrupted.
   */
  void acquire(int records) {
    lock.lock();
    try {
      if (recordsPerNano == 0 || released) {
        return;
      }
      long now = System.nanoTime();
      advance(now);
      // Time unused for more than a second is not saved up.
      reserved = Math.max(reserved, paid - BURST_SECONDS * 1e9 * recordsPerNano);
      double ahead = reserved;
      reserved += records;
      while (paid < ahead && !released) {
        long wait = (long) Math.ceil((ahead - paid) / recordsPerNano);
        try {
          rateChanged.awaitNanos(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        advance(System.nanoTime());
      }
    } finally {
      lock.unlock();
    }
  }

  private void advance(long now) {
    if (now > paidAtNanos) {
      paid += (now - paidAtNanos) * recordsPerNano;
      paidAtNanos = now;
    }
  }
}
