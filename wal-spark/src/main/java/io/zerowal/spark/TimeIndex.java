/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import java.util.Map;
import java.util.TreeMap;

/**
 * Spark's times against the log's sequences, at the granularity at which the log deletes: for each
 * segment (by base sequence), the latest Spark time of its records. {@code clean(threshTime)} may
 * delete exactly the segments before the first one holding a record of time {@code >= threshTime}.
 * Kept in memory and rebuilt on open from the times stored in the records themselves
 * ({@link TimedRecord}), so it survives every restart the records survive. Thread-safe.
 */
final class TimeIndex {
  private final TreeMap<Long, Long> latestTimeBySegment = new TreeMap<>();
  /** One past the last sequence recorded: records from here on are not indexed yet. */
  private long end;

  TimeIndex(long nextSequence) {
    this.end = nextSequence;
  }

  /** Records the time of the record {@code sequence} in segment {@code segment}; in sequence order. */
  synchronized void record(long segment, long sequence, long time) {
    latestTimeBySegment.merge(segment, time, Math::max);
    end = Math.max(end, sequence + 1);
  }

  /**
   * The sequence below which every record has a time before {@code threshTime}: the base of the
   * first segment holding a later record, or the end of what is indexed (a record appended but not
   * yet durable is never below it).
   */
  synchronized long cutFor(long threshTime) {
    for (Map.Entry<Long, Long> e : latestTimeBySegment.entrySet()) {
      if (e.getValue() >= threshTime) {
        return Math.min(e.getKey(), end);
      }
    }
    return end;
  }

  /** Forgets the segments deleted below {@code firstSequence}. */
  synchronized void forgetBefore(long firstSequence) {
    latestTimeBySegment.headMap(firstSequence).clear();
  }

  /** Segments indexed, for tests. */
  synchronized int segments() {
    return latestTimeBySegment.size();
  }
}
