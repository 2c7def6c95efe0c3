/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Finds the next valid record frame after a damaged one, byte by byte, in bounded memory: SKIP_CORRUPT
 * recovery and readers resume there, and recovery counts what a cut tail held. Only runs on the error
 * path.
 *
 * <p>The region is read in windows of {@value #WINDOW} bytes. Runs of zeros (the preallocated space
 * of a segment) are skipped a window at a time: a frame's type byte is never zero, so no frame can
 * start more than 8 bytes before the next non-zero byte. A candidate's CRC is computed while reading,
 * so a length field costs reads, never an allocation. Time is proportional to the region; memory is
 * one window, whatever the region or {@code maxRecordSize}.
 */
final class FrameResync {
  /** Bytes read at a time. */
  static final int WINDOW = 1 << 20;
  private static final byte[] ZEROS = new byte[64 << 10];

  private final SegmentInput input;
  private final long end;
  private final int maxRecordSize;
  /** Give up after this many zero bytes in a row (the preallocated end of a segment). */
  private final long zeroRunLimit;
  /** The frame {@link #next} found last. */
  private int foundLength;
  private long foundSequence;
  private final byte[] bytes = new byte[WINDOW];
  private final ByteBuffer window = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();
  /** File offset of bytes[0]; bytes[0, filled) hold the file from there. */
  private long windowStart;
  private int filled;

  /**
   * A search of {@code input} up to {@code end} for record frames of at most {@code maxRecordSize}
   * bytes that gives up after {@code zeroRunLimit} zero bytes in a row ({@code Long.MAX_VALUE}: never).
   */
  FrameResync(SegmentInput input, long end, int maxRecordSize, long zeroRunLimit) {
    this.input = input;
    this.end = end;
    this.maxRecordSize = maxRecordSize;
    this.zeroRunLimit = zeroRunLimit;
  }

  /**
   * The offset of the next valid record frame at or after {@code from} with a sequence of at least
   * {@code minSequence}, or -1; {@link #length()} and {@link #sequence()} then describe it.
   */
  long next(long from, long minSequence) throws IOException {
    return find(Math.max(0, from), minSequence);
  }

  /** Payload length of the frame {@link #next} found. */
  int length() {
    return foundLength;
  }

  /** Sequence of the frame {@link #next} found. */
  long sequence() {
    return foundSequence;
  }

  /**
   * The offset of the first valid record frame at or after {@code from} and before {@code end} whose
   * sequence is at least {@code minSequence}, or -1 if there is none.
   */
  static long findNextValidFrame(SegmentInput input, long from, long end, long minSequence,
      int maxRecordSize) throws IOException {
    return new FrameResync(input, end, maxRecordSize, Long.MAX_VALUE).next(from, minSequence);
  }

  private long find(long from, long minSequence) throws IOException {
    long p = from;
    long zerosFrom = from;
    while (p + RecordFrame.HEADER_SIZE <= end) {
      int at = load(p);
      if (at < 0) {
        return -1; // the file is shorter than it said
      }
      int nonZero = firstNonZero(at);
      if (nonZero < 0) {
        // Everything loaded from p on is zero: the next frame starts at most 8 bytes before the
        // first byte of the next window that is not zero.
        p = Math.max(p + 1, windowStart + filled - RecordFrame.TYPE_OFFSET);
        if (windowStart + filled - zerosFrom >= zeroRunLimit) {
          return -1;
        }
        continue;
      }
      long firstNonZero = windowStart + nonZero;
      zerosFrom = firstNonZero + 1;
      if (firstNonZero - RecordFrame.TYPE_OFFSET > p) {
        p = firstNonZero - RecordFrame.TYPE_OFFSET;
        continue;
      }
      if (isFrame(p, at, minSequence)) {
        return p;
      }
      p++;
    }
    return -1;
  }

  /** Whether a record frame of sequence at least {@code minSequence} with a valid CRC starts at {@code p}. */
  private boolean isFrame(long p, int at, long minSequence) throws IOException {
    int len = RecordFrame.length(window, at);
    if (len < 0 || len > maxRecordSize || p + RecordFrame.frameSize(len) > end
        || RecordFrame.type(window, at) != RecordFrame.TYPE_RECORD
        || RecordFrame.sequence(window, at) < minSequence) {
      return false;
    }
    int stored = RecordFrame.storedCrc(window, at);
    foundLength = len;
    foundSequence = RecordFrame.sequence(window, at);
    if (at + RecordFrame.frameSize(len) <= filled) {
      return RecordFrame.crcOf(crc, bytes, at + RecordFrame.TYPE_OFFSET, len) == stored;
    }
    return streamedCrc(p, len) == stored;
  }

  /**
   * The masked CRC of a frame too long for the window, read through it. The window is refilled, so
   * the caller's next {@link #load} re-reads its own position.
   */
  private int streamedCrc(long p, int len) throws IOException {
    crc.reset();
    long pos = p + RecordFrame.TYPE_OFFSET;
    long stop = p + RecordFrame.frameSize(len);
    while (pos < stop) {
      int at = load(pos);
      if (at < 0) {
        return ~RecordFrame.mask(0); // unreachable bytes: no valid frame
      }
      int n = (int) Math.min(filled - at, stop - pos);
      crc.update(bytes, at, n);
      pos += n;
    }
    return RecordFrame.mask((int) crc.getValue());
  }

  /**
   * Makes the bytes from {@code p} available (a frame header at least, up to a window) and returns
   * the index of {@code p} in the window, or -1 if the file ends before a frame header.
   */
  private int load(long p) throws IOException {
    if (p >= windowStart && p + RecordFrame.HEADER_SIZE <= windowStart + filled) {
      return (int) (p - windowStart);
    }
    windowStart = p;
    filled = 0;
    int want = (int) Math.min(bytes.length, end - p);
    while (filled < want) {
      window.limit(want).position(filled);
      int n = input.read(window, p + filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    window.clear();
    return filled >= Math.min(RecordFrame.HEADER_SIZE, want) && filled > 0 ? 0 : -1;
  }

  /** Index of the first non-zero byte at or after {@code at} in the window, or -1. */
  private int firstNonZero(int at) {
    for (int i = at; i < filled; i += ZEROS.length) {
      int n = Math.min(ZEROS.length, filled - i);
      int m = Arrays.mismatch(bytes, i, i + n, ZEROS, 0, n);
      if (m >= 0) {
        return i + m;
      }
    }
    return -1;
  }
}
