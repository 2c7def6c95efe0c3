/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.ArrayDeque;

/**
 * The max ingest rate of one receiver, computed after each completed batch from how fast the
 * processor went: a PI controller with Spark Streaming's {@code PIDRateEstimator} gains
 * (proportional 1.0, integral 0.2; Spark's derivative gain is 0 and is left out), with a target
 * and two guards Spark lacks.
 *
 * <p>The error is the gap between the rate the receiver was allowed and {@value #TARGET_LOAD} of
 * the rate the processor got through its records. Spark aims at all of it, so any overhead makes
 * batches overrun and skip intervals, which costs both rate and latency: with a processor at
 * 50,000 records/s and 100 ms batches, Spark's target settled at 39,000 records/s with every
 * other interval skipped, this one at about 45,000 with none while the machine was quiet. The
 * integral term is the backlog that scheduling delay shows (delay × processing rate / batch
 * interval), so a receiver ingests below the processing rate until a backlog built before is
 * worked off. A batch without records of the receiver, or processed in no time, says nothing and
 * leaves the rate as it is.
 *
 * <p>The guards: Spark takes each batch's processing rate at face value, with no bound above, so
 * one batch that finishes far faster than its records cost (the cause of the CI failure that made
 * us revert this feature, reproduced here: a processor's {@code parkNanos} returned at once on a
 * pending unpark permit, 7,968 records "processed" in 1 µs) sets a rate thousands of times too
 * high, the source floods unthrottled, and the next measurement only comes once the huge batch it
 * stored is processed, seconds or minutes later. Here (1) the processing rate is the receiver's
 * records over the processing time of the last {@value #WINDOW} batches together, so one fast
 * batch weighs by the little time it took,
 * while one slow batch weighs heavily (slowing down is fast, speeding up gradual); and (2) the
 * new rate is at most {@value #GROWTH} times the rate the receiver actually stored at in the
 * batch, as TCP's slow start: a rate is only raised once it is used, so neither a mis-measured
 * batch nor a long quiet time can leave a flood-sized limit behind. A receiver that starts slow
 * (at {@link #MIN_RATE}) doubles per batch while the processor keeps up.
 *
 * <p>Only the batch thread calls it: not thread-safe.
 */
final class RateEstimator {
  static final double PROPORTIONAL = 1.0;
  static final double INTEGRAL = 0.2;
  static final double MIN_RATE = 100;
  static final double GROWTH = 2;
  static final int WINDOW = 5;
  static final double TARGET_LOAD = 0.9;

  private final double batchIntervalMillis;
  private final double maxRate; // Double.MAX_VALUE: no cap
  private final double minRate; // MIN_RATE, or maxRate if lower
  private final ArrayDeque<long[]> window = new ArrayDeque<>(); // {records, processing nanos}
  private long windowRecords;
  private long windowNanos;
  private long latestTime = Long.MIN_VALUE;
  private double latestRate = -1; // -1: nothing measured yet

  /** {@code maxRate} caps the estimates (the receiver's maxRecordsPerSecond); 0 for no cap. */
  RateEstimator(long batchIntervalMillis, long maxRate) {
    if (batchIntervalMillis <= 0) {
      throw new IllegalArgumentException("batchIntervalMillis must be positive, got "
          + batchIntervalMillis);
    }
    this.batchIntervalMillis = batchIntervalMillis;
    this.maxRate = maxRate > 0 ? maxRate : Double.MAX_VALUE;
    this.minRate = Math.min(MIN_RATE, this.maxRate);
  }

  /**
   * The new rate after the batch of {@code timeMillis} (increasing) completed: it held
   * {@code records} of this receiver, stored over {@code spanMillis} (since the previous batch's
   * time; at least a batch interval is assumed), processed in {@code processingNanos}, and started
   * {@code schedulingDelayMillis} late.
   *
   * @return records per second, between {@link #MIN_RATE} (or the cap if lower) and the cap,
   *     never NaN; -1 if the batch gives no new estimate
   */
  double compute(long timeMillis, long spanMillis, long records, long processingNanos,
      long schedulingDelayMillis) {
    if (timeMillis <= latestTime || records <= 0 || processingNanos <= 0) {
      return -1;
    }
    latestTime = timeMillis;
    window.addLast(new long[] {records, processingNanos});
    windowRecords += records;
    windowNanos += processingNanos;
    if (window.size() > WINDOW) {
      long[] oldest = window.removeFirst();
      windowRecords -= oldest[0];
      windowNanos -= oldest[1];
    }
    double processingRate = windowRecords * 1e9 / windowNanos;
    double target = TARGET_LOAD * processingRate;
    double rate;
    if (latestRate < 0) {
      rate = target;
    } else {
      double error = latestRate - target;
      // The backlog the delay stands for, as a rate over one batch interval.
      double historicalError = Math.max(0, schedulingDelayMillis) * processingRate
          / batchIntervalMillis;
      rate = latestRate - PROPORTIONAL * error - INTEGRAL * historicalError;
    }
    double ingestRate = records * 1000.0 / Math.max(spanMillis, batchIntervalMillis);
    double ceiling = Math.min(maxRate, Math.max(minRate, GROWTH * ingestRate));
    latestRate = Math.min(Math.max(rate, minRate), ceiling);
    return latestRate;
  }
}
