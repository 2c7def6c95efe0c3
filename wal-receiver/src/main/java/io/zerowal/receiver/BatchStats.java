/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.time.Duration;

/** What one completed batch held and how long it waited and ran. Immutable. */
public final class BatchStats {
  private final long batchTime;
  private final int blocks;
  private final long records;
  private final long bytes;
  private final boolean recovered;
  private final Duration schedulingDelay;
  private final Duration processingTime;
  private final Duration endToEndLatency;
  private final long missedIntervals;

  BatchStats(long batchTime, int blocks, long records, long bytes, boolean recovered,
      Duration schedulingDelay, Duration processingTime, Duration endToEndLatency,
      long missedIntervals) {
    this.batchTime = batchTime;
    this.blocks = blocks;
    this.records = records;
    this.bytes = bytes;
    this.recovered = recovered;
    this.schedulingDelay = schedulingDelay;
    this.processingTime = processingTime;
    this.endToEndLatency = endToEndLatency;
    this.missedIntervals = missedIntervals;
  }

  /** {@return the batch time, in epoch milliseconds} */
  public long batchTime() {
    return batchTime;
  }

  /** {@return the number of blocks in the batch} */
  public int blocks() {
    return blocks;
  }

  /** {@return the number of records in the batch} */
  public long records() {
    return records;
  }

  /** {@return the payload bytes of the batch} */
  public long bytes() {
    return bytes;
  }

  /** {@return true if the batch re-ran after a restart} */
  public boolean recovered() {
    return recovered;
  }

  /**
   * From when the batch should have started (the first batch interval after the previous batch's,
   * or its batch time) to the start of processing: grows when the processor is slower than the
   * batch interval, instead of resetting at every interval. Negative for a final batch cut early
   * by a stop.
   *
   * @return the scheduling delay; negative for a final batch cut early by a stop
   */
  public Duration schedulingDelay() {
    return schedulingDelay;
  }

  /**
   * From the arrival of the batch's oldest record (its first {@code store}) to the durable
   * completion of the batch: the lag a record sees, store wait, batching and processing included.
   * For blocks stored before the engine started, counted from the batch time.
   *
   * @return the end-to-end latency of the batch's oldest record
   */
  public Duration endToEndLatency() {
    return endToEndLatency;
  }

  /**
   * Batch intervals that passed, before this batch, without a batch starting because the previous
   * one was still running; 0 when processing keeps up.
   *
   * @return the number of intervals missed before this batch
   */
  public long missedIntervals() {
    return missedIntervals;
  }

  /** {@return from the start of processing to the durable completion} */
  public Duration processingTime() {
    return processingTime;
  }

  @Override
  public String toString() {
    return "BatchStats{time=" + batchTime + ", blocks=" + blocks + ", records=" + records
        + ", bytes=" + bytes + (recovered ? ", recovered" : "") + ", delay=" + schedulingDelay
        + ", processing=" + processingTime + ", endToEnd=" + endToEndLatency
        + (missedIntervals > 0 ? ", missedIntervals=" + missedIntervals : "") + "}";
  }
}
