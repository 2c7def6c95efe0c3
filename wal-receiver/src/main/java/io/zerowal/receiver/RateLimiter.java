package io.zerowal.receiver;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces out records to at most a number per second; each caller sleeps for its own share. The
 * rate can change while stores run ({@link #rate}), as rate control does after each batch.
 */
final class RateLimiter {
  private double nanosPerRecord; // guarded by this; 0: no limit
  private long next; // guarded by this: when the next record may go

  /** At most {@code recordsPerSecond}; 0 for no limit until {@link #rate} sets one. */
  RateLimiter(double recordsPerSecond) {
    this.nanosPerRecord = recordsPerSecond > 0 ? 1e9 / recordsPerSecond : 0;
    this.next = System.nanoTime();
  }

  /** Sets the rate for records acquired from now on. */
  synchronized void rate(double recordsPerSecond) {
    nanosPerRecord = 1e9 / recordsPerSecond;
  }

  /** The rate in records per second; 0 for no limit. */
  synchronized double rate() {
    return nanosPerRecord == 0 ? 0 : 1e9 / nanosPerRecord;
  }

  void acquire(int records) {
    long wait;
    synchronized (this) {
      if (nanosPerRecord == 0) {
        return;
      }
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
