/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Reads the frames of one segment in order with large sequential reads, checking each frame's length
 * bound and CRC. The one decoder of frames: recovery, {@code verify()} and {@link LogReader} all use
 * it, so a frame is judged the same way everywhere.
 *
 * <p>Not thread-safe. After {@link #next()} returns {@link Result#FRAME} the accessors describe that
 * frame; its payload bytes stay valid in {@link #buffer()} until the next call.
 */
final class FrameScanner {

  /** What {@link #next()} found at {@link #offset()}. */
  enum Result {
    /** A frame whose length and CRC check out. */
    FRAME,
    /** The end of written data: the end of the file, or an all-zero frame header (preallocated space). */
    END,
    /** Fewer bytes than a whole frame before the end of the file: a torn write. */
    TRUNCATED,
    /** A length field beyond {@code maxRecordSize}. */
    BAD_LENGTH,
    /** The CRC does not match the bytes. */
    BAD_CRC
  }

  private String name;
  private SegmentInput input;
  private long limit;
  private final int maxRecordSize;
  private final CRC32C crc = new CRC32C();
  /**
   * Direct, so that the file system reads straight into it and the CRC runs on it in place: a heap
   * buffer costs one more copy of every byte through the JDK's temporary direct buffer.
   */
  private ByteBuffer buf;
  /** File offset of buf[0]; buf holds bytes [bufStart, bufStart + buf.limit()). */
  private long bufStart;
  /** A read-only view of {@code buf} that {@link #payloadView()} slices, and the buffer it views. */
  private ByteBuffer readOnly;
  private ByteBuffer readOnlyOf;
  private long position;

  private long offset;
  private int length;
  private byte type;
  private long sequence;
  private int maskedCrc;

  /** A scanner whose buffer is reused by every {@link #open}: allocate one per reader, not per segment. */
  FrameScanner(int maxRecordSize, int bufferSize) {
    this.maxRecordSize = maxRecordSize;
    this.buf = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.LITTLE_ENDIAN);
  }

  FrameScanner(SegmentInput input, long start, long limit, int maxRecordSize, int bufferSize) {
    this(maxRecordSize, bufferSize);
    open("(unnamed)", input, start, limit);
  }

  /** Starts scanning {@code input} (segment {@code name}, for messages) from {@code start} up to {@code limit}. */
  FrameScanner open(String name, SegmentInput input, long start, long limit) {
    this.name = name;
    this.input = input;
    this.limit = limit;
    this.buf.clear().limit(0);
    this.bufStart = start;
    this.position = start;
    return this;
  }

  Result next() throws IOException {
    offset = position;
    long left = limit - position;
    if (left == 0) {
      return Result.END;
    }
    int headerBytes = (int) Math.min(RecordFrame.HEADER_SIZE, left);
    int at = ensure(headerBytes);
    if (allZero(at, Math.min(headerBytes, RecordFrame.END_MARKER_SIZE))) {
      return Result.END;
    }
    if (left < RecordFrame.HEADER_SIZE) {
      return Result.TRUNCATED;
    }
    length = RecordFrame.length(buf, at);
    maskedCrc = RecordFrame.storedCrc(buf, at);
    type = RecordFrame.type(buf, at);
    sequence = RecordFrame.sequence(buf, at);
    if (length < 0 || length > RecordFrame.lengthBound(maxRecordSize)) {
      if (length > 0 && length <= WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT
          && RecordFrame.frameSize(length) <= left && streamedCrcMatches()) {
        // A whole, valid record above the bound: the log was written with a larger maxRecordSize.
        // Cutting it as a torn tail or skipping it as corruption would drop an acknowledged record.
        throw new RecordTooLargeException("segment " + name + " holds a valid record of " + length
            + " bytes at offset " + offset + ", larger than maxRecordSize " + maxRecordSize
            + ": open the log with maxRecordSize of at least " + length);
      }
      return Result.BAD_LENGTH;
    }
    if (RecordFrame.frameSize(length) > left) {
      return Result.TRUNCATED;
    }
    at = ensure(RecordFrame.HEADER_SIZE + length);
    if (RecordFrame.crcOf(crc, buf, at, length) != maskedCrc) {
      return Result.BAD_CRC;
    }
    position += RecordFrame.HEADER_SIZE + length;
    return Result.FRAME;
  }

  /**
   * Whether the frame at {@link #position}, whose length is beyond {@code maxRecordSize}, has the CRC
   * it claims: computed a buffer at a time, so that a length field never drives an allocation. The
   * buffered bytes are dropped; the next {@link #ensure} reads them again.
   */
  private boolean streamedCrcMatches() throws IOException {
    crc.reset();
    long pos = position + RecordFrame.TYPE_OFFSET;
    long stop = position + RecordFrame.frameSize(length);
    while (pos < stop) {
      buf.clear().limit((int) Math.min(buf.capacity(), stop - pos));
      int n = input.read(buf, pos);
      if (n <= 0) {
        break;
      }
      buf.flip();
      crc.update(buf);
      pos += n;
    }
    buf.clear().limit(0);
    bufStart = position;
    return pos == stop && RecordFrame.mask((int) crc.getValue()) == maskedCrc;
  }

  /** What a result other than {@link Result#FRAME} means, for messages that name the segment and offset. */
  String describe(Result r) {
    switch (r) {
      case TRUNCATED:
        return "frame is cut short by the end of the file";
      case BAD_LENGTH:
        return "frame length " + Integer.toUnsignedString(length)
            + " exceeds maxRecordSize (if the log was written with a larger maxRecordSize, open it"
            + " with that)";
      case BAD_CRC:
        return "frame checksum mismatch";
      case END:
        return "zeros where records were expected";
      default:
        return r.name();
    }
  }

  /** The read buffer's size: bounded by the buffer size asked for and by maxRecordSize. */
  int bufferCapacity() {
    return buf.capacity();
  }

  /** Offset of the frame (or problem) the last {@link #next()} looked at. */
  long offset() {
    return offset;
  }

  /** Offset just past the last good frame: where a torn tail would be cut. */
  long position() {
    return position;
  }

  int length() {
    return length;
  }

  byte type() {
    return type;
  }

  long sequence() {
    return sequence;
  }

  int maskedCrc() {
    return maskedCrc;
  }

  /** The whole current frame, header and payload: a view valid until the next call. */
  ByteBuffer frame() {
    int start = (int) (offset - bufStart);
    ByteBuffer view = buf.duplicate();
    view.limit(start + RecordFrame.HEADER_SIZE + length).position(start);
    return view;
  }

  /**
   * A read-only buffer of exactly the current frame's payload (position 0, capacity its length),
   * sharing this scanner's bytes: valid until the next call. A slice, not a re-pointed view of the
   * whole read buffer, so that absolute gets, {@code rewind()} or {@code clear()} cannot reach
   * frame headers or bytes whose CRC was not checked; it costs one small object per record.
   */
  ByteBuffer payloadView() {
    if (readOnly == null || readOnlyOf != buf) {
      readOnlyOf = buf;
      readOnly = buf.asReadOnlyBuffer();
    }
    readOnly.clear(); // slice(index, length) checks against the limit, fixed when it was made
    return readOnly.slice((int) (offset - bufStart) + RecordFrame.HEADER_SIZE, length);
  }

  /** A copy of the current frame's payload. */
  byte[] copyPayload() {
    byte[] copy = new byte[length];
    buf.get((int) (offset - bufStart) + RecordFrame.HEADER_SIZE, copy);
    return copy;
  }

  /**
   * Makes the {@code n} bytes at {@link #position} available in {@code buf} and returns their index.
   * Reads in buffer-sized chunks so that small frames cost no system call each.
   */
  private int ensure(int n) throws IOException {
    int at = (int) (position - bufStart);
    if (at + n <= buf.limit()) {
      return at;
    }
    if (n > buf.capacity()) {
      // n is at most a frame within the length bound: maxRecordSize bounds this allocation.
      int grown = (int) Math.max(n, Math.min(2L * buf.capacity(),
          RecordFrame.frameSize(RecordFrame.lengthBound(maxRecordSize))));
      ByteBuffer bigger = ByteBuffer.allocateDirect(grown)
          .order(ByteOrder.LITTLE_ENDIAN);
      buf.position(at);
      bigger.put(buf);
      bigger.flip();
      buf = bigger;
    } else {
      buf.position(at);
      buf.compact();
      buf.flip();
    }
    bufStart = position;
    buf.position(buf.limit());
    buf.limit(buf.capacity());
    long filePos = bufStart + buf.position();
    while (buf.position() < n) {
      int toRead = (int) Math.min(buf.remaining(), limit - filePos);
      if (toRead <= 0) {
        break;
      }
      ByteBuffer window = buf.duplicate();
      window.limit(window.position() + toRead);
      int r = input.read(window, filePos);
      if (r < 0) {
        break;
      }
      buf.position(buf.position() + r);
      filePos += r;
    }
    buf.flip();
    if (buf.limit() < n) {
      throw new java.io.EOFException("segment file shorter than its size while reading at offset "
          + position);
    }
    return 0;
  }

  private boolean allZero(int at, int n) {
    for (int i = 0; i < n; i++) {
      if (buf.get(at + i) != 0) {
        return false;
      }
    }
    return true;
  }
}
