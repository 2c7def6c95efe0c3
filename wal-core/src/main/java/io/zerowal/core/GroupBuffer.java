/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The frames of a group waiting for their gathering write: small records framed whole into one
 * direct staging buffer, a large payload (above {@link #LARGE}) copied into a buffer of its own
 * with only its frame header staged. Every CRC is computed over the bytes as they will be written,
 * never over the caller's buffer, so a caller that changes its bytes after append (which the API
 * forbids) gets a record that is some mix of old and new bytes but always matches its CRC.
 * Writer thread only; nothing is allocated per record.
 */
final class GroupBuffer {
  /** Payloads above this are copied into {@link #largeCopy} rather than into the staging buffer. */
  static final int LARGE = 64 << 10;
  private static final int STAGING_SIZE = 1 << 20;

  private final int maxRecordSize;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer staging =
      ByteBuffer.allocateDirect(STAGING_SIZE).order(ByteOrder.LITTLE_ENDIAN);
  private int stagingSliceStart;
  /**
   * Views of staging handed to the gathering write, kept for the next writes: a fresh duplicate
   * per write was 64 of the ~110 bytes a lone appender's group allocated besides its future and
   * handle.
   */
  private ByteBuffer[] stagingViews = new ByteBuffer[4];
  private int stagingViewsUsed;
  /**
   * The writer's copy of a large payload, grown to the largest one written (at most
   * maxRecordSize). One per gathering write. Writing straight from the caller's buffer saved this
   * copy, but bytes changed between the CRC and the write left an acknowledged record failing its
   * own CRC, which STRICT could not reopen.
   */
  private ByteBuffer largeCopy;
  private boolean largeCopyStaged;
  private ByteBuffer[] srcs = new ByteBuffer[16];
  private int srcCount;
  /** Bytes framed but not yet written. */
  private long unwritten;

  GroupBuffer(int maxRecordSize) {
    this.maxRecordSize = maxRecordSize;
  }

  /** Bytes framed and not yet written. */
  long unwritten() {
    return unwritten;
  }

  /** Whether what is buffered must be written before a record of {@code length} can be framed. */
  boolean mustWriteBefore(int length) {
    return length <= LARGE ? staging.remaining() < RecordFrame.HEADER_SIZE + length
        : largeCopyStaged || staging.remaining() < RecordFrame.HEADER_SIZE;
  }

  /**
   * Frames the {@code length} bytes of {@code payload} from index {@code from} (its position and
   * limit are ignored) as record {@code sequence}; returns the frame's masked CRC. Call
   * {@link #mustWriteBefore} first.
   */
  int put(long sequence, ByteBuffer payload, int from, int length) {
    int masked;
    if (length <= LARGE) {
      masked = RecordFrame.putRecord(staging, crc, sequence, payload, from, length);
    } else {
      if (largeCopy == null || largeCopy.capacity() < length) {
        long grown = Math.min(Integer.highestOneBit(length - 1) * 2L, maxRecordSize);
        largeCopy = ByteBuffer.allocateDirect((int) Math.max(grown, length));
      }
      largeCopy.clear();
      largeCopy.put(0, payload, from, length).limit(length);
      largeCopyStaged = true;
      masked = RecordFrame.putRecordHeader(staging, crc, sequence, largeCopy);
      cutStagingSlice();
      addSource(largeCopy);
    }
    unwritten += RecordFrame.HEADER_SIZE + length;
    return masked;
  }

  /** Writes everything framed with one gathering write; returns the bytes written. */
  long writeTo(SegmentOutput out) throws IOException {
    cutStagingSlice();
    long written = 0;
    if (srcCount > 0) {
      out.write(srcs, 0, srcCount);
      written = unwritten;
      Arrays.fill(srcs, 0, srcCount, null);
      srcCount = 0;
    }
    staging.clear();
    largeCopyStaged = false;
    stagingSliceStart = 0;
    stagingViewsUsed = 0;
    unwritten = 0;
    return written;
  }

  private void cutStagingSlice() {
    int end = staging.position();
    if (end > stagingSliceStart) {
      if (stagingViewsUsed == stagingViews.length) {
        stagingViews = Arrays.copyOf(stagingViews, stagingViewsUsed * 2);
      }
      ByteBuffer slice = stagingViews[stagingViewsUsed];
      if (slice == null) {
        slice = staging.duplicate();
        stagingViews[stagingViewsUsed] = slice;
      }
      stagingViewsUsed++;
      slice.limit(end).position(stagingSliceStart);
      addSource(slice);
      stagingSliceStart = end;
    }
  }

  private void addSource(ByteBuffer b) {
    if (srcCount == srcs.length) {
      srcs = Arrays.copyOf(srcs, srcCount * 2);
    }
    srcs[srcCount++] = b;
  }
}
