/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of durations in log-linear buckets (8 per power of two, so a percentile is within 12.5%
 * of the true value), as HdrHistogram does with fewer buckets: recording is one atomic increment,
 * no allocation. Thread-safe; {@link #snapshot()} copies the counts.
 */
final class LatencyHistogram {
  private static final int SUB = 8; // buckets per power of two
  private static final int SUB_BITS = 3;
  private final AtomicLongArray counts = new AtomicLongArray(64 * SUB);

  void record(long nanos) {
    counts.incrementAndGet(index(Math.max(1, nanos)));
  }

  private static int index(long n) {
    int exponent = 63 - Long.numberOfLeadingZeros(n);
    if (exponent < SUB_BITS) {
      return (int) n; // 1..7: exact
    }
    int sub = (int) (n >>> (exponent - SUB_BITS)) & (SUB - 1);
    return exponent * SUB + sub;
  }

  /** The largest value that falls in bucket {@code i}. */
  private static long upperBound(int i) {
    int exponent = i / SUB;
    if (exponent < SUB_BITS) {
      return i;
    }
    int sub = i % SUB;
    return ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
  }

  long[] snapshot() {
    long[] c = new long[counts.length()];
    for (int i = 0; i < c.length; i++) {
      c[i] = counts.get(i);
    }
    return c;
  }

  /** The {@code percentile} (0 to 100) of the counts of a snapshot; zero if empty. */
  static Duration percentile(long[] counts, double percentile) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return Duration.ZERO;
    }
    long rank = (long) Math.ceil(percentile / 100.0 * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return Duration.ofNanos(upperBound(i));
      }
    }
    return Duration.ofNanos(upperBound(counts.length - 1));
  }
}
