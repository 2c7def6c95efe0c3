/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The record frame of format version 2, unchanged from version 1 (see docs/FORMAT.md),
 * little-endian:
 * <pre>
 * +------------+------------+---------+----------------+-------------------+
 * | length:u32 |  crc:u32   | type:u8 |  sequence:u64  | payload[length]   |
 * +------------+------------+---------+----------------+-------------------+
 *   0            4            8         9                17
 * </pre>
 * {@code crc} is CRC32C over type, sequence and payload, masked as LevelDB/RocksDB do. A frame whose
 * first 9 bytes are zero marks the end of written data in a preallocated segment.
 */
final class RecordFrame {
  static final int LENGTH_OFFSET = 0;
  static final int CRC_OFFSET = 4;
  /** The CRC covers the frame from here (type, sequence, payload) to its end. */
  static final int TYPE_OFFSET = 8;
  static final int SEQUENCE_OFFSET = 9;
  static final int HEADER_SIZE = 17;
  /** Bytes of type and sequence: what the CRC covers besides the payload. */
  static final int CRC_HEADER_BYTES = HEADER_SIZE - TYPE_OFFSET;
  /** A frame start whose first 9 bytes (length, crc, type) are zero marks the end of written data. */
  static final int END_MARKER_SIZE = TYPE_OFFSET + 1;
  static final byte TYPE_RECORD = 1;
  static final byte TYPE_FOOTER = 2;

  /** Footer payload: recordCount:u64 | framesCrc:u32 (masked). The frame's sequence is the last one. */
  static final int FOOTER_PAYLOAD_SIZE = 12;
  static final int FOOTER_SIZE = HEADER_SIZE + FOOTER_PAYLOAD_SIZE;
  private static final int FOOTER_RECORD_COUNT_OFFSET = HEADER_SIZE;
  private static final int FOOTER_FRAMES_CRC_OFFSET = HEADER_SIZE + 8;

  private static final int MASK_DELTA = 0xa282ead8;

  private RecordFrame() {}

  /**
   * Masks a CRC so that a CRC computed over bytes that embed CRCs stays strong (LevelDB's
   * {@code crc32c::Mask}): rotate right by 15 bits and add a constant.
   */
  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  static int unmask(int masked) {
    int rot = masked - MASK_DELTA;
    return (rot >>> 17) | (rot << 15);
  }

  /** Size on disk of a record frame with this payload length. */
  static long frameSize(int payloadLength) {
    return HEADER_SIZE + (long) payloadLength;
  }

  /**
   * The largest {@code length} field a reader bounded by {@code maxRecordSize} accepts: a footer
   * frame always decodes, even under a tiny bound.
   */
  static int lengthBound(int maxRecordSize) {
    return Math.max(maxRecordSize, FOOTER_PAYLOAD_SIZE);
  }

  /** The {@code length} field of the frame whose header starts at {@code at} in {@code b}. */
  static int length(ByteBuffer b, int at) {
    return b.getInt(at + LENGTH_OFFSET);
  }

  /** The stored (masked) {@code crc} field. */
  static int storedCrc(ByteBuffer b, int at) {
    return b.getInt(at + CRC_OFFSET);
  }

  static byte type(ByteBuffer b, int at) {
    return b.get(at + TYPE_OFFSET);
  }

  static long sequence(ByteBuffer b, int at) {
    return b.getLong(at + SEQUENCE_OFFSET);
  }

  /**
   * The masked CRC of a frame whose type, sequence and payload lie contiguously in {@code buf} from
   * {@code typeOffset}, {@code 9 + payloadLength} bytes long.
   */
  static int crcOf(CRC32C crc, byte[] buf, int typeOffset, int payloadLength) {
    crc.reset();
    crc.update(buf, typeOffset, CRC_HEADER_BYTES + payloadLength);
    return mask((int) crc.getValue());
  }

  /**
   * The masked CRC of the frame of {@code payloadLength} bytes whose header starts at {@code at} in
   * {@code b} (the whole frame must be in {@code b}); {@code b}'s position and limit are kept.
   */
  static int crcOf(CRC32C crc, ByteBuffer b, int at, int payloadLength) {
    crc.reset();
    int position = b.position();
    int limit = b.limit();
    b.limit(at + HEADER_SIZE + payloadLength).position(at + TYPE_OFFSET);
    crc.update(b);
    b.limit(limit).position(position);
    return mask((int) crc.getValue());
  }

  /**
   * Writes a whole record frame at {@code dst}'s position (little-endian) and advances it. The
   * payload's remaining bytes are copied; its position is left as it was. Returns the masked CRC.
   */
  static int putRecord(ByteBuffer dst, CRC32C crc, long sequence, ByteBuffer payload) {
    return putRecord(dst, crc, sequence, payload, payload.position(), payload.remaining());
  }

  /**
   * Writes a whole record frame of the {@code len} payload bytes at index {@code from} of
   * {@code payload} (its position and limit are ignored and left as they are); the CRC is computed
   * over the frame as copied into {@code dst}. Returns the masked CRC.
   */
  static int putRecord(ByteBuffer dst, CRC32C crc, long sequence, ByteBuffer payload, int from,
      int len) {
    int start = dst.position();
    dst.putInt(len).putInt(0).put(TYPE_RECORD).putLong(sequence);
    dst.put(start + HEADER_SIZE, payload, from, len);
    int end = start + HEADER_SIZE + len;
    crc.reset();
    dst.limit(end).position(start + TYPE_OFFSET);
    crc.update(dst);
    dst.limit(dst.capacity());
    int masked = mask((int) crc.getValue());
    dst.putInt(start + CRC_OFFSET, masked);
    return masked;
  }

  /**
   * Writes only the 17-byte header of a record frame at {@code dst}'s position, with the CRC over the
   * header's type and sequence and the payload's remaining bytes; the payload is written separately.
   * The payload's position is left as it was. Returns the masked CRC.
   */
  static int putRecordHeader(ByteBuffer dst, CRC32C crc, long sequence, ByteBuffer payload) {
    int start = dst.position();
    int len = payload.remaining();
    dst.putInt(len).putInt(0).put(TYPE_RECORD).putLong(sequence);
    crc.reset();
    dst.position(start + TYPE_OFFSET);
    crc.update(dst.limit(start + HEADER_SIZE));
    dst.limit(dst.capacity());
    int payloadPosition = payload.position();
    crc.update(payload);
    payload.position(payloadPosition);
    int masked = mask((int) crc.getValue());
    dst.putInt(start + CRC_OFFSET, masked);
    return masked;
  }

  /** Encodes a complete footer frame. */
  static ByteBuffer encodeFooter(long lastSequence, long recordCount, int framesCrc) {
    ByteBuffer b = ByteBuffer.allocate(FOOTER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(LENGTH_OFFSET, FOOTER_PAYLOAD_SIZE);
    b.put(TYPE_OFFSET, TYPE_FOOTER);
    b.putLong(SEQUENCE_OFFSET, lastSequence);
    b.putLong(FOOTER_RECORD_COUNT_OFFSET, recordCount);
    b.putInt(FOOTER_FRAMES_CRC_OFFSET, mask(framesCrc));
    b.putInt(CRC_OFFSET, crcOf(new CRC32C(), b.array(), TYPE_OFFSET, FOOTER_PAYLOAD_SIZE));
    return b;
  }

  /**
   * Decodes a footer frame from exactly {@value #FOOTER_SIZE} bytes, or returns null if they are
   * not a valid footer.
   */
  static Footer decodeFooter(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length != FOOTER_SIZE || length(b, 0) != FOOTER_PAYLOAD_SIZE
        || type(b, 0) != TYPE_FOOTER
        || storedCrc(b, 0) != crcOf(new CRC32C(), bytes, TYPE_OFFSET, FOOTER_PAYLOAD_SIZE)) {
      return null;
    }
    return new Footer(sequence(b, 0), b.getLong(FOOTER_RECORD_COUNT_OFFSET),
        unmask(b.getInt(FOOTER_FRAMES_CRC_OFFSET)));
  }

  /** A decoded segment footer; {@code framesCrc} unmasked. */
  record Footer(long lastSequence, long recordCount, int framesCrc) {}
}
