/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class StoredRecordFormatTest {

  @Test
  void recordRoundTripsWithKeyHeadersTimestampAndNulls() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", new byte[] {1, 2, 3});
    headers.add("empty", null);
    ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("orders", 7, 123_456_789L,
        1_700_000_000_123L, TimestampType.LOG_APPEND_TIME, 1, 5, new byte[] {9}, "hello".getBytes(),
        headers, Optional.empty());
    ByteBuffer bytes = StoredRecordFormat.encode(r);
    assertThat(bytes.remaining()).isEqualTo(StoredRecordFormat.encodedSize(r));

    ConsumerRecord<byte[], byte[]> back = StoredRecordFormat.decode(bytes);
    assertThat(back.topic()).isEqualTo("orders");
    assertThat(back.partition()).isEqualTo(7);
    assertThat(back.offset()).isEqualTo(123_456_789L);
    assertThat(back.timestamp()).isEqualTo(1_700_000_000_123L);
    assertThat(back.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    assertThat(back.key()).containsExactly(9);
    assertThat(back.value()).isEqualTo("hello".getBytes());
    assertThat(back.headers().toArray()).hasSize(2);
    assertThat(back.headers().lastHeader("trace").value()).containsExactly(1, 2, 3);
    assertThat(back.headers().lastHeader("empty").value()).isNull();

    ConsumerRecord<byte[], byte[]> nulls = new ConsumerRecord<>("t", 0, 0, null, null);
    assertThat(StoredRecordFormat.decode(StoredRecordFormat.encode(nulls)).value()).isNull();
  }

  @Test
  void unknownVersionAndTruncatedBytesAreRejectedNotMisread() {
    ByteBuffer bytes = StoredRecordFormat.encode(new ConsumerRecord<>("t", 0, 5, null,
        new byte[] {1, 2}));
    ByteBuffer otherVersion = ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip();
    otherVersion.put(0, (byte) 2);
    assertThatThrownBy(() -> StoredRecordFormat.decode(otherVersion))
        .isInstanceOf(StoredRecordException.class).hasMessageContaining("version 2");
    ByteBuffer truncated = bytes.duplicate().limit(bytes.remaining() - 1);
    assertThatThrownBy(() -> StoredRecordFormat.decode(truncated))
        .isInstanceOf(StoredRecordException.class).hasMessageContaining("not a stored Kafka record");
    assertThatThrownBy(() -> OffsetRange.decode(bytes))
        .isInstanceOf(StoredRecordException.class).hasMessageContaining("offset range");
  }

  @Test
  void positionsAndRangesRoundTrip() {
    Map<TopicPartition, Long> positions = Map.of(new TopicPartition("a", 0), 10L,
        new TopicPartition("b-long-topic-name", 31), Long.MAX_VALUE);
    assertThat(Positions.decode(Positions.encode(positions))).isEqualTo(positions);
    OffsetRange range = new OffsetRange(new TopicPartition("a", 3), 5, 500);
    assertThat(OffsetRange.decode(range.encode())).isEqualTo(range);
    assertThat(List.of(range.count())).containsExactly(495L);
    assertThatThrownBy(() -> new OffsetRange(new TopicPartition("a", 3), 5, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a-3 [5, 4)");
  }
}
