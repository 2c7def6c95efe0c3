/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** {@link FrameResync} searches any region in one window of memory (issue 10, items 1 and 7). */
class FrameResyncTest {
  private final MemoryStorage mem = new MemoryStorage();

  @Test
  void findsAFrameBehindZerosLongerThanManyWindows() throws IOException {
    long at = (40L << 20) + 3;
    write(at, frame(7, new byte[] {1, 2, 3}));

    try (SegmentInput in = mem.openForRead("f")) {
      FrameResync resync = new FrameResync(in, mem.size("f"), 1 << 20, Long.MAX_VALUE);
      assertThat(resync.next(0, 0)).isEqualTo(at);
      assertThat(resync.sequence()).isEqualTo(7);
      assertThat(resync.length()).isEqualTo(3);
    }
  }

  @Test
  void givesUpAfterTheZeroRunLimit() throws IOException {
    write((8L << 20) + 3, frame(7, new byte[] {1, 2, 3}));

    try (SegmentInput in = mem.openForRead("f")) {
      FrameResync resync = new FrameResync(in, mem.size("f"), 1 << 20, FrameResync.WINDOW);
      assertThat(resync.next(0, 0)).isEqualTo(-1);
    }
  }

  @Test
  void checksAFrameLongerThanItsWindowWhileReadingIt() throws IOException {
    byte[] payload = new byte[3 * FrameResync.WINDOW + 11];
    new Random(1).nextBytes(payload);
    byte[] frame = frame(9, payload);
    write(1000, frame);

    try (SegmentInput in = mem.openForRead("f")) {
      FrameResync resync = new FrameResync(in, mem.size("f"), 8 << 20, Long.MAX_VALUE);
      assertThat(resync.next(0, 0)).isEqualTo(1000);
      assertThat(resync.length()).isEqualTo(payload.length);
    }
    frame[frame.length - 1] ^= 1;
    write(1000, frame);
    try (SegmentInput in = mem.openForRead("f")) {
      FrameResync resync = new FrameResync(in, mem.size("f"), 8 << 20, Long.MAX_VALUE);
      assertThat(resync.next(0, 0)).isEqualTo(-1);
    }
  }

  @Test
  void skipsFramesBelowTheMinimumSequenceAndAboveTheLengthBound() throws IOException {
    byte[] low = frame(1, new byte[] {1});
    byte[] big = frame(5, new byte[300]);
    byte[] wanted = frame(6, new byte[] {2});
    write(100, low);
    write(200, big);
    write(600, wanted);

    try (SegmentInput in = mem.openForRead("f")) {
      FrameResync resync = new FrameResync(in, mem.size("f"), 100, Long.MAX_VALUE);
      assertThat(resync.next(0, 2)).isEqualTo(600);
    }
  }

  private void write(long at, byte[] bytes) throws IOException {
    if (!mem.exists("f")) {
      mem.create("f", at + bytes.length + 4096).close();
    }
    try (SegmentOutput out = mem.openForWrite("f", at)) {
      out.write(ByteBuffer.wrap(bytes));
      out.sync();
    }
  }

  private static byte[] frame(long sequence, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(RecordFrame.HEADER_SIZE + payload.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    RecordFrame.putRecord(b, new CRC32C(), sequence, ByteBuffer.wrap(payload));
    return b.array();
  }
}
