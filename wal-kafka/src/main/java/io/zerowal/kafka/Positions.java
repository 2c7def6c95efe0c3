/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A source's positions, stored as the metadata of each block it stores: for each partition, the
 * offset after the last record (or range) stored so far. The engine keeps the metadata of the last
 * durable block ({@code ReceiverContext.lastMetadata()}), so after a crash or a restart the source
 * resumes each partition right after what is already durable: a record stored but not committed
 * upstream is not read again. Little-endian:
 * <pre>
 * version:u8 (=1) | count:u32 | (partition:i32 | nextOffset:i64 | topicLength:u16 | topic) * count
 * </pre>
 */
final class Positions {
  static final byte VERSION = 1;

  private Positions() {}

  static int encodedSize(Map<TopicPartition, Long> positions) {
    int size = 5;
    for (TopicPartition tp : positions.keySet()) {
      size += 4 + 8 + 2 + StoredRecordFormat.utf8Length(tp.topic());
    }
    return size;
  }

  static ByteBuffer encode(Map<TopicPartition, Long> positions) {
    ByteBuffer b = ByteBuffer.allocate(encodedSize(positions)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION).putInt(positions.size());
    positions.forEach((tp, next) -> {
      b.putInt(tp.partition()).putLong(next);
      StoredRecordFormat.putString(b, tp.topic());
    });
    return b.flip();
  }

  static Map<TopicPartition, Long> decode(ByteBuffer metadata) {
    ByteBuffer b = metadata.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte version = b.get();
      if (version != VERSION) {
        throw new StoredRecordException("the receiver's last metadata has version " + version
            + ", not Kafka positions of version " + VERSION + ": was this receiver id used by"
            + " another kind of receiver? Use a new receiver id (and so a new data log)");
      }
      int count = b.getInt();
      Map<TopicPartition, Long> positions = new HashMap<>();
      for (int i = 0; i < count; i++) {
        int p = b.getInt();
        long next = b.getLong();
        positions.put(new TopicPartition(StoredRecordFormat.getString(b), p), next);
      }
      return positions;
    } catch (StoredRecordException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoredRecordException("the receiver's last metadata (" + metadata.remaining()
          + " bytes) is not Kafka positions (" + e + "): was this receiver id used by another"
          + " kind of receiver?", e);
    }
  }
}
