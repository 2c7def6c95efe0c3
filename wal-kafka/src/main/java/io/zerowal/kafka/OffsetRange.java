/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets {@code [fromOffset, untilOffset)} of one topic partition: what a batch of
 * {@link KafkaDirectSource} covers, journaled before the batch runs. Immutable.
 *
 * <p>Stored as one record of a range block (little-endian):
 * <pre>
 * version:u8 (=1) | partition:i32 | fromOffset:i64 | untilOffset:i64 | topicLength:u16 | topic
 * </pre>
 */
public final class OffsetRange {
  static final byte VERSION = 1;

  private final TopicPartition partition;
  private final long fromOffset;
  private final long untilOffset;

  /**
   * A range of one partition.
   *
   * @param partition the topic partition
   * @param fromOffset the first offset, inclusive, at least 0
   * @param untilOffset the end, exclusive, at least {@code fromOffset}
   * @throws IllegalArgumentException if the offsets are out of order or negative
   */
  public OffsetRange(TopicPartition partition, long fromOffset, long untilOffset) {
    this.partition = Objects.requireNonNull(partition, "partition");
    if (fromOffset < 0 || untilOffset < fromOffset) {
      throw new IllegalArgumentException("offset range " + partition + " [" + fromOffset + ", "
          + untilOffset + ") is not a range: need 0 <= fromOffset <= untilOffset");
    }
    this.fromOffset = fromOffset;
    this.untilOffset = untilOffset;
  }

  /**
   * The topic partition.
   *
   * @return it
   */
  public TopicPartition partition() {
    return partition;
  }

  /**
   * The first offset, inclusive.
   *
   * @return it
   */
  public long fromOffset() {
    return fromOffset;
  }

  /**
   * The end offset, exclusive: the position after the range.
   *
   * @return it
   */
  public long untilOffset() {
    return untilOffset;
  }

  /**
   * How many offsets the range spans; compacted topics and transaction markers may leave fewer
   * records.
   *
   * @return {@code untilOffset - fromOffset}
   */
  public long count() {
    return untilOffset - fromOffset;
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 8 + 2
        + StoredRecordFormat.utf8Length(partition.topic())).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION).putInt(partition.partition()).putLong(fromOffset).putLong(untilOffset);
    StoredRecordFormat.putString(b, partition.topic());
    return b.flip();
  }

  static OffsetRange decode(ByteBuffer payload) {
    ByteBuffer b = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte version = b.get();
      if (version != VERSION) {
        throw new StoredRecordException("an offset range of version " + version + " (this code"
            + " reads " + VERSION + "): is this batch from a KafkaDirectSource of another version,"
            + " or from another receiver?");
      }
      int p = b.getInt();
      long from = b.getLong();
      long until = b.getLong();
      String topic = StoredRecordFormat.getString(b);
      if (b.hasRemaining()) {
        throw new StoredRecordException("an offset range of " + topic + "-" + p + " has "
            + b.remaining() + " bytes after it");
      }
      return new OffsetRange(new TopicPartition(topic, p), from, until);
    } catch (StoredRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoredRecordException(payload.remaining() + " bytes are not an offset range ("
          + e + "): is this batch from another receiver than a KafkaDirectSource?", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OffsetRange r && r.partition.equals(partition)
        && r.fromOffset == fromOffset && r.untilOffset == untilOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, fromOffset, untilOffset);
  }

  @Override
  public String toString() {
    return partition + "[" + fromOffset + ", " + untilOffset + ")";
  }
}
