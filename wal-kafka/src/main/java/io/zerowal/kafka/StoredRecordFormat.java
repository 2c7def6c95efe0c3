/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The bytes of one Kafka record stored by {@link KafkaReceiver} (one record of a block;
 * little-endian, as the rest of ZeroWAL):
 * <pre>
 * version:u8 (=1) | partition:i32 | offset:i64 | timestamp:i64 | timestampType:u8 (id + 1)
 * | topicLength:u16 | topic (UTF-8)
 * | keyLength:i32 (-1 = null) | key
 * | headerCount:u16 | (nameLength:u16 | name (UTF-8) | valueLength:i32 (-1 = null) | value) * count
 * | valueLength:i32 (-1 = null) | value
 * </pre>
 * The data log's CRC protects these bytes; decoding still checks every length, so that bytes that
 * are not a stored record are rejected with a {@link StoredRecordException}, never misread.
 */
final class StoredRecordFormat {
  static final byte VERSION = 1;
  private static final int FIXED = 1 + 4 + 8 + 8 + 1 + 2 + 4 + 2 + 4;

  private StoredRecordFormat() {}

  /** The encoded size of {@code r}. */
  static int encodedSize(ConsumerRecord<byte[], byte[]> r) {
    long size = FIXED + utf8Length(r.topic()) + length(r.key()) + length(r.value());
    for (Header h : r.headers()) {
      size += 2 + utf8Length(h.key()) + 4 + length(h.value());
    }
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  /** Encodes {@code r} into a new buffer, ready to read. */
  static ByteBuffer encode(ConsumerRecord<byte[], byte[]> r) {
    ByteBuffer b = ByteBuffer.allocate(encodedSize(r)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION).putInt(r.partition()).putLong(r.offset()).putLong(r.timestamp())
        .put((byte) (r.timestampType().id + 1));
    putString(b, r.topic());
    putBytes(b, r.key());
    int headers = 0;
    for (Header ignored : r.headers()) {
      headers++;
    }
    if (headers > 0xFFFF) {
      throw new IllegalArgumentException("record " + r.topic() + "-" + r.partition() + "@"
          + r.offset() + " has " + headers + " headers, more than the 65535 a stored record holds");
    }
    b.putShort((short) headers);
    for (Header h : r.headers()) {
      putString(b, h.key());
      putBytes(b, h.value());
    }
    putBytes(b, r.value());
    return b.flip();
  }

  /**
   * Decodes one stored record; reads {@code payload} from its position without moving it.
   *
   * @throws StoredRecordException if the bytes are not a stored record of a known version
   */
  static ConsumerRecord<byte[], byte[]> decode(ByteBuffer payload) {
    ByteBuffer b = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte version = b.get();
      if (version != VERSION) {
        throw new StoredRecordException("a stored Kafka record has version " + version
            + ", this code reads version " + VERSION + ": read it with the ZeroWAL version that"
            + " wrote it, or this block is not from a KafkaReceiver");
      }
      int partition = b.getInt();
      long offset = b.getLong();
      long timestamp = b.getLong();
      TimestampType type = timestampType(b.get() - 1);
      String topic = getString(b);
      byte[] key = getBytes(b);
      int headerCount = Short.toUnsignedInt(b.getShort());
      RecordHeaders headers = new RecordHeaders();
      for (int i = 0; i < headerCount; i++) {
        headers.add(getString(b), getBytes(b));
      }
      byte[] value = getBytes(b);
      if (b.hasRemaining()) {
        throw new StoredRecordException("a stored Kafka record (" + topic + "-" + partition + "@"
            + offset + ") has " + b.remaining() + " bytes after its value");
      }
      return new ConsumerRecord<>(topic, partition, offset, timestamp, type,
          key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers,
          Optional.empty());
    } catch (RuntimeException e) {
      if (e instanceof StoredRecordException s) {
        throw s;
      }
      throw new StoredRecordException("bytes of " + payload.remaining()
          + " are not a stored Kafka record (" + e + ")", e);
    }
  }

  private static TimestampType timestampType(int id) {
    for (TimestampType t : TimestampType.values()) {
      if (t.id == id) {
        return t;
      }
    }
    throw new StoredRecordException("unknown timestamp type " + id);
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) {
      throw new IllegalArgumentException("a name of " + bytes.length + " UTF-8 bytes is longer"
          + " than the 65535 a stored record holds: " + s.substring(0, 40) + "...");
    }
    b.putShort((short) bytes.length).put(bytes);
  }

  static String getString(ByteBuffer b) {
    int n = Short.toUnsignedInt(b.getShort());
    byte[] bytes = new byte[n];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void putBytes(ByteBuffer b, byte[] bytes) {
    if (bytes == null) {
      b.putInt(-1);
    } else {
      b.putInt(bytes.length).put(bytes);
    }
  }

  private static byte[] getBytes(ByteBuffer b) {
    int n = b.getInt();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > b.remaining()) {
      throw new StoredRecordException("a length of " + n + " with " + b.remaining()
          + " bytes left: not a stored Kafka record (truncated, or another receiver's block?)");
    }
    byte[] bytes = new byte[n];
    b.get(bytes);
    return bytes;
  }
}
