/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bytes of one block, stored as one record of a receiver's data log (little-endian):
 * <pre>
 * version:u8 (=1) | count:u32 | (length:u32 | payload[length]) * count
 * </pre>
 * The data log's frame CRC protects these bytes; decoding still checks every length so that a
 * block written by a bug is rejected, never misread.
 */
final class BlockFormat {
  static final byte VERSION = 1;
  static final int HEADER_SIZE = 5;
  static final int RECORD_OVERHEAD = 4;

  private BlockFormat() {}

  /** Encoded size of a block holding records of {@code payloadBytes} in total. */
  static long encodedSize(int count, long payloadBytes) {
    return HEADER_SIZE + (long) count * RECORD_OVERHEAD + payloadBytes;
  }

  /**
   * Encodes the remaining bytes of each record into {@code into} (position 0, limit
   * {@code encodedSize}, little-endian, as {@link BlockWriter#blockBuffer}); does not move the
   * records' positions.
   */
  static ByteBuffer encode(List<ByteBuffer> records, ByteBuffer into) {
    Encoder e = new Encoder(into, into.limit());
    for (ByteBuffer r : records) {
      e.add(r);
    }
    return e.finish();
  }

  /**
   * Encodes a block record by record, in place, so that cutting it copies nothing; the buffer
   * grows by doubling up to the block's bound. Not thread-safe.
   */
  static final class Encoder {
    private final int maxBytes;
    private ByteBuffer b;
    private int count;

    /** An empty block of at most {@code maxBytes}, encoded into {@code into} while it has room. */
    Encoder(ByteBuffer into, int maxBytes) {
      this.maxBytes = maxBytes;
      this.b = into.order(ByteOrder.LITTLE_ENDIAN);
      b.limit(Math.min(b.capacity(), maxBytes)).position(HEADER_SIZE); // all the room it has
    }

    /** Bytes encoded so far, header included. */
    int size() {
      return b.position();
    }

    int count() {
      return count;
    }

    /** True if a record of {@code length} bytes still fits under the bound. */
    boolean fits(int length) {
      return (long) b.position() + RECORD_OVERHEAD + length <= maxBytes;
    }

    /** Adds the remaining bytes of {@code record}, which must fit; does not move its position. */
    void add(ByteBuffer record) {
      int need = RECORD_OVERHEAD + record.remaining();
      if (b.remaining() < need) {
        int capacity = (int) Math.min(maxBytes,
            Math.max((long) b.capacity() * 2, (long) b.position() + need));
        b = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN).put(b.flip());
      }
      b.putInt(record.remaining()).put(record.duplicate());
      count++;
    }

    /** Writes the header and returns the block, ready to append; the encoder is done. */
    ByteBuffer finish() {
      b.put(0, VERSION).putInt(1, count);
      return b.flip();
    }
  }

  /**
   * Splits a block into read-only views of its records.
   *
   * @throws CorruptMetadataException if the bytes are not a block
   */
  static ByteBuffer[] decode(ByteBuffer block, BlockInfo info) {
    ByteBuffer[] records = new ByteBuffer[info.recordCount()];
    int[] next = {0};
    forEach(block, info, r -> records[next[0]++] = r);
    return records;
  }

  /**
   * Checks a whole block, then hands {@code each} a read-only view of each record, in order: a
   * block that does not decode is rejected before any of its records is seen.
   *
   * @throws CorruptMetadataException if the bytes are not a block
   */
  static void forEach(ByteBuffer block, BlockInfo info, Consumer<ByteBuffer> each) {
    ByteBuffer b = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < HEADER_SIZE) {
      throw bad(info, "is " + b.remaining() + " bytes, shorter than a block header");
    }
    byte version = b.get();
    if (version != VERSION) {
      throw bad(info, "has unknown block format version " + version + " (this ZeroWAL reads "
          + VERSION + ")");
    }
    int count = b.getInt();
    if (count < 0 || count != info.recordCount()) {
      throw bad(info, "holds " + count + " records where its BlockAdded event says "
          + info.recordCount());
    }
    int first = b.position();
    for (int i = 0; i < count; i++) {
      if (b.remaining() < RECORD_OVERHEAD) {
        throw bad(info, "ends inside the length of record " + i);
      }
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) {
        throw bad(info, "has record " + i + " of length " + length + " with only " + b.remaining()
            + " bytes left");
      }
      b.position(b.position() + length);
    }
    if (b.hasRemaining()) {
      throw bad(info, "has " + b.remaining() + " bytes after its last record");
    }
    b.position(first);
    for (int i = 0; i < count; i++) {
      int length = b.getInt();
      each.accept(b.slice(b.position(), length).asReadOnlyBuffer());
      b.position(b.position() + length);
    }
  }

  private static CorruptMetadataException bad(BlockInfo info, String problem) {
    return new CorruptMetadataException("block " + info.blockId() + " of receiver "
        + info.receiverId() + " " + problem + "; the data log holds bytes this engine did not write"
        + " as a block: keep the log directory for inspection");
  }
}
