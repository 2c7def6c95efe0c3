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

  private final SegmentInput input;
  private final long limit;
  private final int maxRecordSize;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buf;
  /** File offset of buf[0]; buf holds bytes [bufStart, bufStart + buf.limit()). */
  private long bufStart;
  private long position;

  private long offset;
  private int length;
  private byte type;
  private long sequence;
  private int maskedCrc;

  FrameScanner(SegmentInput input, long start, long limit, int maxRecordSize, int bufferSize) {
    this.input = input;
    this.limit = limit;
    this.maxRecordSize = maxRecordSize;
    this.buf = ByteBuffer.allocate(bufferSize).order(ByteOrder.LITTLE_ENDIAN);
    this.buf.limit(0);
    this.bufStart = start;
    this.position = start;
  }

  Result next() throws IOException {
    offset = position;
    long left = limit - position;
    if (left == 0) {
      return Result.END;
    }
    int headerBytes = (int) Math.min(RecordFrame.HEADER_SIZE, left);
    int at = ensure(headerBytes);
    if (allZero(at, Math.min(headerBytes, 9))) {
      return Result.END;
    }
    if (left < RecordFrame.HEADER_SIZE) {
      return Result.TRUNCATED;
    }
    length = buf.getInt(at);
    maskedCrc = buf.getInt(at + 4);
    type = buf.get(at + 8);
    sequence = buf.getLong(at + 9);
    if (length < 0 || length > Math.max(maxRecordSize, RecordFrame.FOOTER_PAYLOAD_SIZE)) {
      return Result.BAD_LENGTH;
    }
    if (RecordFrame.frameSize(length) > left) {
      return Result.TRUNCATED;
    }
    at = ensure(RecordFrame.HEADER_SIZE + length);
    if (RecordFrame.crcOf(crc, buf.array(), at + 8, length) != maskedCrc) {
      return Result.BAD_CRC;
    }
    position += RecordFrame.HEADER_SIZE + length;
    return Result.FRAME;
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

  /** The buffer holding the current frame's payload at {@link #payloadOffset()}. */
  byte[] buffer() {
    return buf.array();
  }

  int payloadOffset() {
    return (int) (offset - bufStart) + RecordFrame.HEADER_SIZE;
  }

  /** A copy of the current frame's payload. */
  byte[] copyPayload() {
    byte[] copy = new byte[length];
    System.arraycopy(buf.array(), payloadOffset(), copy, 0, length);
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
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2))
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
