/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.time.Duration;

/**
 * A latency distribution at one moment: how many values, their sum and maximum, and percentiles
 * from log-linear buckets (8 per power of two, so a percentile is within 12.5% of the exact value,
 * never below it). Immutable and thread-safe.
 *
 * <p>{@link LogStats#appendLatency()} is one: from an append to the moment its record was durable.
 */
public final class LatencySnapshot {
  private final long count;
  private final long totalNanos;
  private final long maxNanos;
  private final long[] buckets; // never modified

  LatencySnapshot(long count, long totalNanos, long maxNanos, long[] buckets) {
    this.count = count;
    this.totalNanos = totalNanos;
    this.maxNanos = maxNanos;
    this.buckets = buckets;
  }

  /**
   * How many values were counted.
   *
   * @return the number of values, 0 if none
   */
  public long count() {
    return count;
  }

  /**
   * The sum of the values counted.
   *
   * @return the total, {@link Duration#ZERO} if none
   */
  public Duration total() {
    return Duration.ofNanos(totalNanos);
  }

  /**
   * The largest value counted.
   *
   * @return the maximum, {@link Duration#ZERO} if none
   */
  public Duration max() {
    return Duration.ofNanos(maxNanos);
  }

  /**
   * The mean of the values counted.
   *
   * @return the mean, {@link Duration#ZERO} if none
   */
  public Duration mean() {
    return Duration.ofNanos(count == 0 ? 0 : totalNanos / count);
  }

  /**
   * The value below which {@code percentile} percent of the counted values fall, rounded up to its
   * bucket's upper bound (at most 12.5% above) and never above {@link #max()}.
   *
   * @param percentile from 0 to 100, such as 50, 99 or 99.9
   * @return the percentile, {@link Duration#ZERO} if no value was counted
   * @throws IllegalArgumentException if {@code percentile} is not within 0 to 100
   */
  public Duration percentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be between 0 and 100, got "
          + percentile + ": pass e.g. 50, 99 or 99.9");
    }
    long total = 0;
    for (long c : buckets) {
      total += c;
    }
    if (total == 0) {
      return Duration.ZERO;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return Duration.ofNanos(Math.min(LatencyHistogram.upperBound(i), maxNanos));
      }
    }
    return max();
  }

  @Override
  public String toString() {
    return "LatencySnapshot{count=" + count + ", mean=" + mean() + ", p50=" + percentile(50)
        + ", p99=" + percentile(99) + ", max=" + max() + "}";
  }
}
