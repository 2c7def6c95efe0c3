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

  BatchStats(long batchTime, int blocks, long records, long bytes, boolean recovered,
      Duration schedulingDelay, Duration processingTime) {
    this.batchTime = batchTime;
    this.blocks = blocks;
    this.records = records;
    this.bytes = bytes;
    this.recovered = recovered;
    this.schedulingDelay = schedulingDelay;
    this.processingTime = processingTime;
  }

  public long batchTime() {
    return batchTime;
  }

  public int blocks() {
    return blocks;
  }

  public long records() {
    return records;
  }

  public long bytes() {
    return bytes;
  }

  /** True if the batch re-ran after a restart. */
  public boolean recovered() {
    return recovered;
  }

  /** From the batch time to the start of processing (negative for a final batch cut early by stop). */
  public Duration schedulingDelay() {
    return schedulingDelay;
  }

  /** From the start of processing to the durable completion. */
  public Duration processingTime() {
    return processingTime;
  }

  @Override
  public String toString() {
    return "BatchStats{time=" + batchTime + ", blocks=" + blocks + ", records=" + records
        + ", bytes=" + bytes + (recovered ? ", recovered" : "") + ", delay=" + schedulingDelay
        + ", processing=" + processingTime + "}";
  }
}
