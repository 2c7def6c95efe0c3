/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Where one record lives: its segment (named by the segment's base sequence), the byte offset of its
 * frame, its payload length and its sequence, signed by the log that wrote it. Returned by
 * {@link WriteAheadLog#append}; give it to {@link WriteAheadLog#read} of the same log to read the
 * record back: another log, or a handle whose fields were changed, refuses it. Immutable and
 * thread-safe.
 *
 * <p>{@link #toBytes()} encodes it in {@value #ENCODED_SIZE} bytes so that block metadata can store
 * it (like Spark's {@code WriteAheadLogRecordHandle}):
 * <pre>
 * version:u8 (=2) | segment:u64 | offset:u64 | length:u32 | sequence:u64 | tag:u64 | crc32c:u32 (masked, over the first 37 bytes)
 * </pre>
 * little-endian, like every ZeroWAL encoding. {@code tag} is the log's signature of the four fields
 * (SipHash-2-4 keyed with the log's id); {@code crc} only catches damaged bytes early.
 */
public final class RecordHandle {
  /** Size of {@link #toBytes()}. */
  public static final int ENCODED_SIZE = 41;
  private static final byte VERSION = 2;
  private static final int CRC_OFFSET = ENCODED_SIZE - 4;

  private final long segment;
  private final long offset;
  private final int length;
  private final long sequence;
  /** The tag a decoded handle carries; unused when {@link #issuer} is set. */
  private final long tag;
  /**
   * The log that issued this handle in this JVM, or null for a handle decoded from bytes. An issued
   * handle computes its tag only when asked (toBytes, equals, a read by another log instance): the
   * SipHash of every append cost a fifth of the writer's time at 100-byte records.
   */
  private final LogId issuer;

  /** A handle decoded from bytes, with the tag they carry. */
  RecordHandle(long segment, long offset, int length, long sequence, long tag) {
    this.segment = segment;
    this.offset = offset;
    this.length = length;
    this.sequence = sequence;
    this.tag = tag;
    this.issuer = null;
  }

  /** A handle issued by the log whose id is {@code issuer}. */
  RecordHandle(long segment, long offset, int length, long sequence, LogId issuer) {
    this.segment = segment;
    this.offset = offset;
    this.length = length;
    this.sequence = sequence;
    this.tag = 0;
    this.issuer = issuer;
  }

  /**
   * {@return the base sequence of the segment holding the record, which is also the segment's name}
   */
  public long segment() {
    return segment;
  }

  /** {@return the byte offset of the record's frame in its segment} */
  public long offset() {
    return offset;
  }

  /** {@return the payload length in bytes} */
  public int length() {
    return length;
  }

  /** {@return the record's sequence in the log} */
  public long sequence() {
    return sequence;
  }

  /** The issuing log's signature of the other fields. */
  long tag() {
    return issuer != null ? issuer.tag(segment, offset, length, sequence) : tag;
  }

  /** Whether the log of id {@code id} issued this handle object itself (no tag to check). */
  boolean issuedBy(LogId id) {
    return issuer != null && issuer.equals(id);
  }

  /**
   * Encodes this handle in {@value #ENCODED_SIZE} bytes; {@link #fromBytes} reverses it.
   *
   * @return the {@value #ENCODED_SIZE} encoded bytes, a new array
   */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(ENCODED_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION).putLong(segment).putLong(offset).putInt(length).putLong(sequence).putLong(tag());
    b.putInt(RecordFrame.mask(crc(b.array())));
    return b.array();
  }

  /**
   * Decodes bytes made by {@link #toBytes()}.
   *
   * @param bytes an encoding made by {@link #toBytes()}
   * @return the handle the bytes encode
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
          + " another ZeroWAL release");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (RecordFrame.unmask(b.getInt(CRC_OFFSET)) != crc(bytes)) {
      throw new IllegalArgumentException("record handle checksum mismatch: the bytes were damaged or"
          + " are not a handle");
    }
    long segment = b.getLong(1);
    long offset = b.getLong(9);
    int length = b.getInt(17);
    long sequence = b.getLong(21);
    long tag = b.getLong(29);
    if (segment < 0 || offset < SegmentHeader.SIZE || length < 0 || sequence < segment) {
      throw new IllegalArgumentException("record handle fields are impossible (segment " + segment
          + ", offset " + offset + ", length " + length + ", sequence " + sequence + ")");
    }
    return new RecordHandle(segment, offset, length, sequence, tag);
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, CRC_OFFSET);
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
        && sequence == h.sequence && tag() == h.tag();
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
