/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.concurrent.locks.LockSupport;

/** Spaces out records to at most a number per second; each caller sleeps for its own share. */
final class RateLimiter {
  private final double nanosPerRecord;
  private long next; // guarded by this: when the next record may go

  RateLimiter(long recordsPerSecond) {
    this.nanosPerRecord = 1e9 / recordsPerSecond;
    this.next = System.nanoTime();
  }

  void acquire(int records) {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      // Time unused for more than a second is not saved up: bursts stay below one second's worth.
      next = Math.max(next, now - 1_000_000_000L);
      wait = next - now;
      next += (long) (records * nanosPerRecord);
    }
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
