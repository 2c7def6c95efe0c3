package io.zerowal.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The segment header of format version 1, once at offset 0 of every segment, little-endian:
 * <pre>
 * +-----------+-------------+-----------+-------------------+----------------+
 * | "ZWAL"    | version:u16 | flags:u16 | baseSequence:u64  | headerCrc:u32  |
 * +-----------+-------------+-----------+-------------------+----------------+
 *   0           4             6           8                   16             20
 * </pre>
 * {@code headerCrc} is the masked CRC32C of bytes 0..16.
 */
final class SegmentHeader {
  static final int SIZE = 20;
  static final int VERSION = 1;
  static final int MAGIC = 0x4C41575A; // "ZWAL" read little-endian

  /** The segment was preallocated: its data ends at the first all-zero frame header. */
  static final int FLAG_PREALLOCATED = 1;
  /**
   * The segment was rebuilt by SKIP_CORRUPT recovery: sequences inside it may skip, and the footer's
   * last sequence may exceed the last record's (the skipped records are reported, never returned).
   */
  static final int FLAG_GAPS = 2;
  private static final int KNOWN_FLAGS = FLAG_PREALLOCATED | FLAG_GAPS;

  final long baseSequence;
  final int flags;

  SegmentHeader(long baseSequence, int flags) {
    this.baseSequence = baseSequence;
    this.flags = flags;
  }

  boolean hasGaps() {
    return (flags & FLAG_GAPS) != 0;
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putShort((short) VERSION).putShort((short) flags).putLong(baseSequence);
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
    if (bytes.length < SIZE) {
      throw new CorruptLogException(segment, 0, "segment header is truncated (" + bytes.length
          + " of " + SIZE + " bytes)");
    }
    if (b.getInt(0) != MAGIC) {
      throw new CorruptLogException(segment, 0, "segment header has no ZWAL magic");
    }
    if (RecordFrame.unmask(b.getInt(16)) != crc(bytes)) {
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
    return new SegmentHeader(b.getLong(8), flags);
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 16);
    return (int) crc.getValue();
  }
}
