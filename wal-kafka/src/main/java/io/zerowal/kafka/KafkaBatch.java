/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One micro-batch of Kafka records, as {@link KafkaBatchProcessor} sees it in either mode. Use it
 * only during {@code process}.
 *
 * <p>A batch that was cut before a crash runs again at the next start with the same
 * {@link #batchTime()} and the same records ({@link #isRecovered()}): an output written
 * idempotently per batch time (overwrite one file or row keyed by it) is then exactly-once.
 */
public final class KafkaBatch {
  private final long batchTime;
  private final boolean recovered;
  private final List<OffsetRange> ranges;
  private final Supplier<Stream<ConsumerRecord<byte[], byte[]>>> records;

  KafkaBatch(long batchTime, boolean recovered, List<OffsetRange> ranges,
      Supplier<Stream<ConsumerRecord<byte[], byte[]>>> records) {
    this.batchTime = batchTime;
    this.recovered = recovered;
    this.ranges = List.copyOf(ranges);
    this.records = records;
  }

  /**
   * The batch time in epoch milliseconds: unique, and the same when the batch runs again.
   *
   * @return the batch time
   */
  public long batchTime() {
    return batchTime;
  }

  /**
   * Whether this batch was cut before a restart and runs again now.
   *
   * @return true for a re-run
   */
  public boolean isRecovered() {
    return recovered;
  }

  /**
   * Direct mode: the offset ranges the batch covers, merged per partition where contiguous, in
   * journal order. WAL mode: empty (the records were copied; see {@link #records()}).
   *
   * @return the ranges, immutable
   */
  public List<OffsetRange> offsetRanges() {
    return ranges;
  }

  /**
   * The records, partition by partition in offset order. WAL mode reads them from the engine's
   * data log (CRC checked); direct mode reads exactly the batch's ranges from Kafka, lazily, range
   * by range. Each call reads again.
   *
   * @return the records; their keys and values are the bytes Kafka holds
   * @throws StoredRecordException (from the stream) if stored bytes are not a Kafka record
   * @throws org.apache.kafka.common.KafkaException (from the stream, direct mode) if a range can
   *     no longer be read, for instance because retention deleted it
   */
  public Stream<ConsumerRecord<byte[], byte[]>> records() {
    return records.get();
  }

  @Override
  public String toString() {
    return "KafkaBatch{time=" + batchTime + (recovered ? ", recovered" : "")
        + (ranges.isEmpty() ? "" : ", ranges=" + ranges) + "}";
  }
}
