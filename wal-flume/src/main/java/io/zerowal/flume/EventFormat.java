/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flume.Event;
import org.apache.flume.event.EventBuilder;

/**
 * The bytes of one Flume event, stored by {@link ZeroWalSink} as one record of a block
 * (little-endian):
 * <pre>
 * version:u8 (=1) | headerCount:u16
 *   | (keyLength:u16 | key:utf8[keyLength] | valueLength:u32 | value:utf8[valueLength]) * headerCount
 *   | bodyLength:u32 | body[bodyLength]
 * </pre>
 * A {@link io.zerowal.receiver.BatchProcessor} behind the sink turns each record of a batch back
 * into the event with {@link #decode}. The data log's CRC already protects the bytes; decoding
 * still checks every length and the version, so that bytes that are not an event of this version
 * are rejected with a {@link CorruptEventException}, never misread. Thread-safe (stateless).
 */
public final class EventFormat {
  /** The version byte this class writes and reads. */
  public static final byte VERSION = 1;
  /** Bytes of an event with no header and an empty body. */
  static final int EMPTY_SIZE = 1 + 2 + 4;

  private EventFormat() {}

  /**
   * The size of {@code event} encoded, without encoding it: exact, unless a string holds a lone
   * surrogate (encoded as one {@code ?} byte, counted as three).
   *
   * @param event the event; its headers and body are read
   * @return its encoded size in bytes, never below the exact size
   * @throws IllegalArgumentException if it has more than 65535 headers or a header key over
   *     65535 bytes of UTF-8
   */
  public static long encodedSize(Event event) {
    Objects.requireNonNull(event, "event must not be null");
    Map<String, String> headers = headers(event);
    checkHeaderCount(headers);
    long size = EMPTY_SIZE + body(event).length;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      size += 2 + keyLength(h.getKey()) + 4 + utf8Length(Objects.toString(h.getValue(), ""));
    }
    return size;
  }

  /**
   * Encodes {@code event}: its headers (a null value as empty) and its body.
   *
   * @param event the event
   * @return a new buffer holding the encoding, positioned at 0
   * @throws IllegalArgumentException as {@link #encodedSize}, or if the encoding would exceed
   *     2 GiB
   */
  public static ByteBuffer encode(Event event) {
    long size = encodedSize(event);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a Flume event of " + size + " encoded bytes cannot be"
          + " stored: events are at most 2 GiB, and the sink's maxBlockBytes bounds them lower");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, String> headers = headers(event);
    b.put(VERSION).putShort((short) headers.size());
    for (Map.Entry<String, String> h : headers.entrySet()) {
      byte[] key = h.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = Objects.toString(h.getValue(), "").getBytes(StandardCharsets.UTF_8);
      b.putShort((short) key.length).put(key).putInt(value.length).put(value);
    }
    byte[] body = body(event);
    b.putInt(body.length).put(body);
    return b.flip();
  }

  /**
   * Decodes one record of a batch into the event it was made from. Reads {@code record} from its
   * position to its limit without moving them.
   *
   * @param record a record of a batch stored by {@link ZeroWalSink}
   * @return a new event with the headers and body
   * @throws CorruptEventException if the bytes are not an event of version {@link #VERSION}: a
   *     wrong version, a length past the end, bytes left over, or a header that is not UTF-8
   */
  public static Event decode(ByteBuffer record) {
    Objects.requireNonNull(record, "record must not be null");
    ByteBuffer b = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int total = b.remaining();
    try {
      byte version = b.get();
      if (version != VERSION) {
        throw new CorruptEventException("record of " + total + " bytes starts with version "
            + version + ", not " + VERSION + ": it was not written by this ZeroWalSink version,"
            + " or is not a Flume event (is the processor reading another receiver's blocks?)");
      }
      int headerCount = Short.toUnsignedInt(b.getShort());
      Map<String, String> headers = new LinkedHashMap<>(Math.max(4, headerCount * 2));
      for (int i = 0; i < headerCount; i++) {
        String key = utf8(b, Short.toUnsignedInt(b.getShort()), "key of header " + i, total);
        String value = utf8(b, b.getInt(), "value of header " + key, total);
        headers.put(key, value);
      }
      int bodyLength = b.getInt();
      if (bodyLength < 0 || bodyLength > b.remaining()) {
        throw new CorruptEventException("the body length " + Integer.toUnsignedString(bodyLength)
            + " at offset " + (b.position() - 4) + " runs past the end of the " + total
            + "-byte record");
      }
      byte[] body = new byte[bodyLength];
      b.get(body);
      if (b.hasRemaining()) {
        throw new CorruptEventException(b.remaining() + " bytes follow the body of a " + total
            + "-byte event record: not an event of version " + VERSION);
      }
      return EventBuilder.withBody(body, headers);
    } catch (BufferUnderflowException e) {
      throw new CorruptEventException("the " + total + "-byte record ends inside an event"
          + " (at offset " + b.position() + "): truncated, or not an event of version " + VERSION,
          e);
    }
  }

  private static String utf8(ByteBuffer b, int length, String what, int total) {
    if (length < 0 || length > b.remaining()) {
      throw new CorruptEventException("the length " + Integer.toUnsignedString(length) + " of the "
          + what + " at offset " + (b.position() - 4) + " runs past the end of the " + total
          + "-byte record");
    }
    ByteBuffer slice = b.slice().limit(length);
    b.position(b.position() + length);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw new CorruptEventException("the " + what + " is not UTF-8", e);
    }
  }

  private static Map<String, String> headers(Event event) {
    Map<String, String> h = event.getHeaders();
    return h == null ? Map.of() : h;
  }

  private static byte[] body(Event event) {
    byte[] body = event.getBody();
    return body == null ? new byte[0] : body;
  }

  private static void checkHeaderCount(Map<String, String> headers) {
    if (headers.size() > 0xFFFF) {
      throw new IllegalArgumentException("a Flume event with " + headers.size() + " headers cannot"
          + " be stored: at most 65535 headers per event");
    }
  }

  private static int keyLength(String key) {
    int n = utf8Length(Objects.requireNonNull(key, "a header key must not be null"));
    if (n > 0xFFFF) {
      throw new IllegalArgumentException("a Flume header key of " + n + " UTF-8 bytes cannot be"
          + " stored: keys are at most 65535 bytes");
    }
    return n;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3; // a lone surrogate encodes as '?' (1 byte): 3 over-counts, never under
      }
    }
    return n;
  }
}
