/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The segment header of format version 2, once at offset 0 of every segment, little-endian:
 * <pre>
 * +--------+-------------+-----------+------------------+--------------+---------------+
 * | "ZWAL" | version:u16 | flags:u16 | baseSequence:u64 | logId:16     | headerCrc:u32 |
 * +--------+-------------+-----------+------------------+--------------+---------------+
 *   0        4             6           8                  16             32              36
 * </pre>
 * {@code logId} is the log's {@link LogId} (k0:u64, k1:u64), the same in every segment of a log;
 * {@code headerCrc} is the masked CRC32C of bytes 0..31. Version 1 (20 bytes, no log id) is not
 * read: ZeroWAL was pre-release when version 2 replaced it.
 */
final class SegmentHeader {
  static final int SIZE = 36;
  static final int VERSION = 2;
  private static final int CRC_OFFSET = 32;
  /** Size of a version-1 header, recognized only to refuse it clearly. */
  private static final int V1_SIZE = 20;
  static final int MAGIC = 0x4C41575A; // "ZWAL" read little-endian

  /** The segment was preallocated: its data ends at the first all-zero frame header. */
  static final int FLAG_PREALLOCATED = 1;
  /**
   * The segment was rebuilt by SKIP_CORRUPT recovery: sequences inside it may skip, and the footer's
   * last sequence may exceed the last record's (the skipped records are reported, never returned).
   */
  static final int FLAG_GAPS = 2;
  /**
   * The segment was written into the file of an older, truncated segment of the same log
   * ({@code recycleSegments(true)}): after its data lie that older segment's frames, whose
   * sequences are all below this segment's base, and they end its data as zeros end a preallocated
   * segment's.
   */
  static final int FLAG_RECYCLED = 4;
  private static final int KNOWN_FLAGS = FLAG_PREALLOCATED | FLAG_GAPS | FLAG_RECYCLED;

  final long baseSequence;
  final int flags;
  final LogId logId;

  SegmentHeader(long baseSequence, int flags, LogId logId) {
    this.baseSequence = baseSequence;
    this.flags = flags;
    this.logId = logId;
  }

  /** The encoded header of a segment of log {@code logId}; what writer and recovery write. */
  static ByteBuffer encode(long baseSequence, int flags, LogId logId) {
    return new SegmentHeader(baseSequence, flags, logId).encode();
  }

  boolean hasGaps() {
    return (flags & FLAG_GAPS) != 0;
  }

  boolean isRecycled() {
    return (flags & FLAG_RECYCLED) != 0;
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putShort((short) VERSION).putShort((short) flags).putLong(baseSequence);
    b.putLong(logId.k0()).putLong(logId.k1());
    b.putInt(RecordFrame.mask(crc(b.array())));
    return b.flip();
  }

  /**
   * Decodes a header.
   *
   * @throws CorruptLogException if the bytes are not a valid header
   * @throws WalException if the header is valid but of a format version this code cannot read
   */
  static SegmentHeader decode(String segment, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length >= V1_SIZE && b.getInt(0) == MAGIC && (b.getShort(4) & 0xFFFF) == 1
        && RecordFrame.unmask(b.getInt(V1_SIZE - 4)) == crc(bytes, V1_SIZE - 4)) {
      throw new WalException("segment " + segment + " has format version 1, written by a"
          + " pre-release ZeroWAL; this ZeroWAL reads version " + VERSION + " only: replay the log"
          + " with the release that wrote it");
    }
    if (bytes.length < SIZE) {
      throw new CorruptLogException(segment, 0, "segment header is truncated (" + bytes.length
          + " of " + SIZE + " bytes)");
    }
    if (b.getInt(0) != MAGIC) {
      throw new CorruptLogException(segment, 0, "segment header has no ZWAL magic");
    }
    if (RecordFrame.unmask(b.getInt(CRC_OFFSET)) != crc(bytes)) {
      throw new CorruptLogException(segment, 0, "segment header checksum mismatch");
    }
    int version = b.getShort(4) & 0xFFFF;
    if (version != VERSION) {
      throw new WalException("segment " + segment + " has format version " + version
          + " but this ZeroWAL reads version " + VERSION
          + ": open the log with the ZeroWAL release that wrote it");
    }
    int flags = b.getShort(6) & 0xFFFF;
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw new WalException("segment " + segment + " has unknown header flags 0x"
          + Integer.toHexString(flags) + ": open the log with the ZeroWAL release that wrote it");
    }
    return new SegmentHeader(b.getLong(8), flags, new LogId(b.getLong(16), b.getLong(24)));
  }

  private static int crc(byte[] bytes) {
    return crc(bytes, CRC_OFFSET);
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}
