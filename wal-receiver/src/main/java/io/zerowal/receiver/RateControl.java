/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate control driven by processing speed ({@link MicroBatchEngine.Builder#rateControl}): after
 * each completed batch, a {@link RateEstimator} per receiver computes a new max ingest rate from
 * the batch's processing time, scheduling delay and the receiver's records in it, and the
 * receiver's {@link RateLimiter} takes it. Each receiver is judged by its own records in the
 * shared processing time, so the receivers' rates add up to what the processor gets through.
 * Until its first batch is measured a receiver stores at {@link RateEstimator#MIN_RATE}: an
 * unthrottled first interval could fill batches that take the processor many intervals (Spark's
 * {@code initialRate} plays this part); it then at most doubles per batch while the processor
 * keeps up. Re-runs of recovered batches are not measured: their records were stored before the
 * start. Only the batch thread calls it.
 */
final class RateControl {
  private static final Logger log = LoggerFactory.getLogger(RateControl.class);

  private final long batchIntervalMillis;
  private final Map<String, RateEstimator> estimators = new LinkedHashMap<>();
  private final Map<String, RateLimiter> limiters;
  private long previousBatchTime = -1;

  RateControl(EngineConfig config, Map<String, RateLimiter> limiters) {
    this.batchIntervalMillis = config.batchInterval().toMillis();
    this.limiters = limiters;
    limiters.keySet().forEach(id -> estimators.put(id, new RateEstimator(
        batchIntervalMillis, config.maxRecordsPerSecond(id))));
  }

  /** Feeds a completed batch of {@code blocks} to the estimators and sets the new rates. */
  void batchCompleted(BatchStats stats, List<BlockInfo> blocks) {
    if (stats.recovered()) {
      return; // a re-run's timing says nothing about the receivers running now
    }
    long span = previousBatchTime < 0 ? batchIntervalMillis
        : stats.batchTime() - previousBatchTime;
    previousBatchTime = stats.batchTime();
    Map<String, Long> records = new HashMap<>();
    for (BlockInfo b : blocks) {
      records.merge(b.receiverId(), (long) b.recordCount(), Long::sum);
    }
    estimators.forEach((id, estimator) -> {
      double rate = estimator.compute(stats.batchTime(), span, records.getOrDefault(id, 0L),
          stats.processingTime().toNanos(), stats.schedulingDelay().toMillis());
      if (rate > 0) {
        limiters.get(id).rate(rate);
        log.debug("receiver {}: max ingest rate {} records/s", id, (long) rate);
      }
    });
  }
}
