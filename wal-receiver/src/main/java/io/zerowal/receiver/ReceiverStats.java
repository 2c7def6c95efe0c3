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

  ReceiverStats(String receiverId, long records, long bytes, long blocks, long totalLatencyNanos,
      long maxLatencyNanos, long bufferedBytes, long unprocessedBytes) {
    this.receiverId = receiverId;
    this.records = records;
    this.bytes = bytes;
    this.blocks = blocks;
    this.totalLatencyNanos = totalLatencyNanos;
    this.maxLatencyNanos = maxLatencyNanos;
    this.bufferedBytes = bufferedBytes;
    this.unprocessedBytes = unprocessedBytes;
  }

  public String receiverId() {
    return receiverId;
  }

  /** Records stored durably. */
  public long records() {
    return records;
  }

  /** Payload bytes stored durably. */
  public long bytes() {
    return bytes;
  }

  /** Blocks stored durably. */
  public long blocks() {
    return blocks;
  }

  /** Mean time from a block's first record to its durable store. */
  public Duration averageStoreLatency() {
    return Duration.ofNanos(blocks == 0 ? 0 : totalLatencyNanos / blocks);
  }

  /** Longest time from a block's first record to its durable store. */
  public Duration maxStoreLatency() {
    return Duration.ofNanos(maxLatencyNanos);
  }

  /** Bytes accepted by {@code store} and not yet durable: what back-pressure bounds. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /**
   * Payload bytes stored (or being stored) and not yet in a completed batch: what
   * {@code maxUnprocessedBytes} bounds; its growth is the processor falling behind this receiver.
   */
  public long unprocessedBytes() {
    return unprocessedBytes;
  }

  @Override
  public String toString() {
    return "ReceiverStats{" + receiverId + ": records=" + records + ", bytes=" + bytes + ", blocks="
        + blocks + ", avgStoreLatency=" + averageStoreLatency() + ", maxStoreLatency="
        + maxStoreLatency() + ", buffered=" + bufferedBytes + ", unprocessed=" + unprocessedBytes
        + "}";
  }
}
