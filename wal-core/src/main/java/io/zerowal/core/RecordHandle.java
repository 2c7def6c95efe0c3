package io.zerowal.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Where one record lives: its segment (named by the segment's base sequence), the byte offset of its
 * frame, its payload length and its sequence. Returned by {@link WriteAheadLog#append}; give it to
 * {@link WriteAheadLog#read} to read the record back. Immutable and thread-safe.
 *
 * <p>{@link #toBytes()} encodes it in {@value #ENCODED_SIZE} bytes so that block metadata can store
 * it (like Spark's {@code WriteAheadLogRecordHandle}):
 * <pre>
 * version:u8 (=1) | segment:u64 | offset:u64 | length:u32 | sequence:u64 | crc32c:u32 (masked, over the first 29 bytes)
 * </pre>
 * little-endian, like every ZeroWAL encoding.
 */
public final class RecordHandle {
  /** Size of {@link #toBytes()}. */
  public static final int ENCODED_SIZE = 33;
  private static final byte VERSION = 1;

  private final long segment;
  private final long offset;
  private final int length;
  private final long sequence;

  RecordHandle(long segment, long offset, int length, long sequence) {
    this.segment = segment;
    this.offset = offset;
    this.length = length;
    this.sequence = sequence;
  }

  /** The base sequence of the segment holding the record, which is also the segment's name. */
  public long segment() {
    return segment;
  }

  /** The byte offset of the record's frame in its segment. */
  public long offset() {
    return offset;
  }

  /** The payload length in bytes. */
  public int length() {
    return length;
  }

  /** The record's sequence in the log. */
  public long sequence() {
    return sequence;
  }

  /** Encodes this handle in {@value #ENCODED_SIZE} bytes; {@link #fromBytes} reverses it. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(ENCODED_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION).putLong(segment).putLong(offset).putInt(length).putLong(sequence);
    b.putInt(RecordFrame.mask(crc(b.array())));
    return b.array();
  }

  /**
   * Decodes bytes made by {@link #toBytes()}.
   *
   * @throws IllegalArgumentException if the bytes are not a handle: wrong size, unknown version,
   *     checksum mismatch or impossible fields
   */
  public static RecordHandle fromBytes(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("record handle bytes must not be null");
    }
    if (bytes.length != ENCODED_SIZE) {
      throw new IllegalArgumentException("a record handle is " + ENCODED_SIZE + " bytes, got "
          + bytes.length + ": pass exactly the bytes RecordHandle.toBytes() returned");
    }
    if (bytes[0] != VERSION) {
      throw new IllegalArgumentException("unknown record handle version " + bytes[0]
          + " (this ZeroWAL reads version " + VERSION + "): the bytes are not a handle, or come from"
          + " a newer ZeroWAL");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (RecordFrame.unmask(b.getInt(29)) != crc(bytes)) {
      throw new IllegalArgumentException("record handle checksum mismatch: the bytes were damaged or"
          + " are not a handle");
    }
    long segment = b.getLong(1);
    long offset = b.getLong(9);
    int length = b.getInt(17);
    long sequence = b.getLong(21);
    if (segment < 0 || offset < SegmentHeader.SIZE || length < 0 || sequence < segment) {
      throw new IllegalArgumentException("record handle fields are impossible (segment " + segment
          + ", offset " + offset + ", length " + length + ", sequence " + sequence + ")");
    }
    return new RecordHandle(segment, offset, length, sequence);
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 29);
    return (int) crc.getValue();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RecordHandle)) {
      return false;
    }
    RecordHandle h = (RecordHandle) o;
    return segment == h.segment && offset == h.offset && length == h.length
        && sequence == h.sequence;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequence) * 31 + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return "RecordHandle{sequence=" + sequence + ", segment=" + SegmentName.of(segment)
        + ", offset=" + offset + ", length=" + length + "}";
  }
}
