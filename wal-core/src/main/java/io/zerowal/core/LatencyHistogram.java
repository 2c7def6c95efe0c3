/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations counted in log-linear buckets (8 per power of two: a percentile is within 12.5% of the
 * true value), fixed size, no allocation when recording. One thread at a time records (the log's
 * writer, or its {@link SyncBehind} while that holds groups, once per commit group, with the
 * group's record count as weight); any thread takes a
 * {@link #snapshot()}. Recording is a plain read and an ordered write per touched slot, no lock and
 * no compare-and-set: safe because there is one recorder.
 */
final class LatencyHistogram {
  static final int SUB_BITS = 3;
  static final int SUB = 1 << SUB_BITS; // buckets per power of two
  static final int BUCKETS = 64 * SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private volatile long count;
  private volatile long totalNanos;
  private volatile long maxNanos;

  /** Counts {@code weight} values of {@code nanos}; only ever called by the one recording thread. */
  void record(long nanos, long weight) {
    if (weight <= 0) {
      return;
    }
    long n = Math.max(1, nanos);
    int i = index(n);
    counts.setRelease(i, counts.getPlain(i) + weight);
    totalNanos = totalNanos + n * weight;
    if (n > maxNanos) {
      maxNanos = n;
    }
    count = count + weight; // last: a snapshot never sees more count than bucket counts
  }

  static int index(long n) {
    int exponent = 63 - Long.numberOfLeadingZeros(n);
    if (exponent < SUB_BITS) {
      return (int) n; // 1..7: exact
    }
    int sub = (int) (n >>> (exponent - SUB_BITS)) & (SUB - 1);
    return exponent * SUB + sub;
  }

  /** The largest value that falls in bucket {@code i}. */
  static long upperBound(int i) {
    int exponent = i / SUB;
    if (exponent < SUB_BITS) {
      return i;
    }
    int sub = i % SUB;
    return ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
  }

  LatencySnapshot snapshot() {
    long c = count;
    long total = totalNanos;
    long max = maxNanos;
    long[] buckets = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = counts.get(i);
    }
    return new LatencySnapshot(c, total, max, buckets);
  }
}
