/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import org.HdrHistogram.Histogram;

/** One timed run of one system on one workload. */
final class Measurement {
  final long records;
  final long bytes;
  final long nanos;
  /** fsyncs during the run, or -1 for a system that never fsyncs. */
  final long syncs;
  /** Latencies in nanoseconds; may be empty. */
  final Histogram latency;
  /** Records per sync (ZeroWAL's reached group size), or 0. */
  final double groupSize;

  Measurement(long records, long bytes, long nanos, long syncs, Histogram latency,
      double groupSize) {
    this.records = records;
    this.bytes = bytes;
    this.nanos = nanos;
    this.syncs = syncs;
    this.latency = latency;
    this.groupSize = groupSize;
  }

  double recordsPerSecond() {
    return records * 1e9 / nanos;
  }

  double megabytesPerSecond() {
    return bytes * 1e9 / nanos / 1e6;
  }

  double syncsPerSecond() {
    return syncs < 0 ? -1 : syncs * 1e9 / nanos;
  }

  /** Latency percentile in microseconds, or NaN if none was recorded. */
  double latencyMicros(double percentile) {
    if (latency == null || latency.getTotalCount() == 0) {
      return Double.NaN;
    }
    return latency.getValueAtPercentile(percentile) / 1000.0;
  }

  static Histogram newHistogram() {
    return new Histogram(3_600_000_000_000L, 3);
  }
}
