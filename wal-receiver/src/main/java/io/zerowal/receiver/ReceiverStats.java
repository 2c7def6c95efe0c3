/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.time.Duration;

/**
 * Counters of one receiver since the engine started: what was stored durably and how long a store
 * took (from the first record of a block to the block's durable BlockAdded). Immutable.
 */
public final class ReceiverStats {
  private final String receiverId;
  private final long records;
  private final long bytes;
  private final long blocks;
  private final long totalLatencyNanos;
  private final long maxLatencyNanos;
  private final long bufferedBytes;
  private final long unprocessedBytes;
  private final long[] latencyCounts; // a LatencyHistogram snapshot, never modified

  ReceiverStats(String receiverId, long records, long bytes, long blocks, long totalLatencyNanos,
      long maxLatencyNanos, long bufferedBytes, long unprocessedBytes, long[] latencyCounts) {
    this.latencyCounts = latencyCounts;
    this.receiverId = receiverId;
    this.records = records;
    this.bytes = bytes;
    this.blocks = blocks;
    this.totalLatencyNanos = totalLatencyNanos;
    this.maxLatencyNanos = maxLatencyNanos;
    this.bufferedBytes = bufferedBytes;
    this.unprocessedBytes = unprocessedBytes;
  }

  /** {@return the id of the receiver these counters are of} */
  public String receiverId() {
    return receiverId;
  }

  /** {@return records stored durably} */
  public long records() {
    return records;
  }

  /** {@return payload bytes stored durably} */
  public long bytes() {
    return bytes;
  }

  /** {@return blocks stored durably} */
  public long blocks() {
    return blocks;
  }

  /** {@return mean time from a block's first record to its durable store} */
  public Duration averageStoreLatency() {
    return Duration.ofNanos(blocks == 0 ? 0 : totalLatencyNanos / blocks);
  }

  /**
   * The {@code percentile} (0 to 100, e.g. 50, 99, 99.9) of the time from a block's first record
   * to its durable store, over every block since start; within 12.5% of the exact value.
   *
   * @param percentile the percentile, 0 to 100, such as 99
   * @return the store latency at that percentile
   * @throws IllegalArgumentException if {@code percentile} is not within 0 to 100
   */
  public Duration storeLatencyPercentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be between 0 and 100, got "
          + percentile);
    }
    return LatencyHistogram.percentile(latencyCounts, percentile);
  }

  /**
   * The sum, over every block stored since start, of the time from its first record to its durable
   * store: with {@link #blocks()}, what a timer's total and count are.
   *
   * @return the total store latency
   */
  public Duration totalStoreLatency() {
    return Duration.ofNanos(totalLatencyNanos);
  }

  /** {@return longest time from a block's first record to its durable store} */
  public Duration maxStoreLatency() {
    return Duration.ofNanos(maxLatencyNanos);
  }

  /** {@return bytes accepted by {@code store} and not yet durable: what back-pressure bounds} */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /**
   * Payload bytes stored (or being stored) and not yet in a completed batch: what
   * {@code maxUnprocessedBytes} bounds; its growth is the processor falling behind this receiver.
   *
   * @return the unprocessed payload bytes of this receiver
   */
  public long unprocessedBytes() {
    return unprocessedBytes;
  }

  @Override
  public String toString() {
    return "ReceiverStats{" + receiverId + ": records=" + records + ", bytes=" + bytes + ", blocks="
        + blocks + ", avgStoreLatency=" + averageStoreLatency() + ", p99StoreLatency="
        + storeLatencyPercentile(99) + ", maxStoreLatency="
        + maxStoreLatency() + ", buffered=" + bufferedBytes + ", unprocessed=" + unprocessedBytes
        + "}";
  }
}
