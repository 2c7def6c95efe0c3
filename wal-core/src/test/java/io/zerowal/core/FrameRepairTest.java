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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The two pieces behind the torn-versus-corrupt decision: {@link FrameScanner} says what is at an
 * offset, {@link FrameResync} says whether any valid frame follows damage.
 */
class FrameRepairTest {
  private static final int MAX = 1024;
  private static final byte[] A = "first".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] B = "second record".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] C = "third".getBytes(StandardCharsets.US_ASCII);

  /** Frames of sequences 10, 11, 12 back to back, from offset 0. */
  private final byte[] frames = concat(frame(10, A), frame(11, B), frame(12, C));
  private final int second = (int) RecordFrame.frameSize(A.length);
  private final int third = second + (int) RecordFrame.frameSize(B.length);

  // ---------------------------------------------------------------- FrameScanner

  @Test
  void scannerReadsEachFrameThenEnd() throws IOException {
    FrameScanner s = scanner(frames);

    assertThat(s.next()).isEqualTo(FrameScanner.Result.FRAME);
    assertThat(s.sequence()).isEqualTo(10);
    assertThat(s.copyPayload()).isEqualTo(A);
    assertThat(s.next()).isEqualTo(FrameScanner.Result.FRAME);
    assertThat(s.offset()).isEqualTo(second);
    assertThat(s.copyPayload()).isEqualTo(B);
    assertThat(s.next()).isEqualTo(FrameScanner.Result.FRAME);
    assertThat(s.next()).isEqualTo(FrameScanner.Result.END);
    assertThat(s.position()).isEqualTo(frames.length);
  }

  @Test
  void zeroFrameHeaderIsTheEndOfData() throws IOException {
    FrameScanner s = scanner(concat(frame(10, A), new byte[64]));

    assertThat(s.next()).isEqualTo(FrameScanner.Result.FRAME);
    assertThat(s.next()).isEqualTo(FrameScanner.Result.END);
    assertThat(s.offset()).isEqualTo(second);
  }

  @Test
  void frameCutInItsHeaderIsTruncated() throws IOException {
    FrameScanner s = scanner(Arrays.copyOf(frames, third + 10));

    s.next();
    s.next();
    assertThat(s.next()).isEqualTo(FrameScanner.Result.TRUNCATED);
    assertThat(s.offset()).isEqualTo(third);
    assertThat(s.position()).isEqualTo(third);
  }

  @Test
  void frameCutInItsPayloadIsTruncated() throws IOException {
    FrameScanner s = scanner(Arrays.copyOf(frames, frames.length - 1));

    s.next();
    s.next();
    assertThat(s.next()).isEqualTo(FrameScanner.Result.TRUNCATED);
    assertThat(s.position()).isEqualTo(third);
  }

  @Test
  void lengthBeyondMaxRecordSizeIsBadLengthNotAnAllocation() throws IOException {
    byte[] bytes = frames.clone();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(second, Integer.MAX_VALUE);
    FrameScanner s = scanner(bytes);

    s.next();
    assertThat(s.next()).isEqualTo(FrameScanner.Result.BAD_LENGTH);
    assertThat(s.offset()).isEqualTo(second);
  }

  @Test
  void flippedBitInPayloadOrSequenceIsBadCrc() throws IOException {
    for (int at : new int[] {second + 4, second + 9, second + RecordFrame.HEADER_SIZE + 3}) {
      byte[] bytes = LogFixture.flipBit(frames, at, 1);
      FrameScanner s = scanner(bytes);

      s.next();
      assertThat(s.next()).as("flip at %d", at).isEqualTo(FrameScanner.Result.BAD_CRC);
      assertThat(s.position()).as("flip at %d", at).isEqualTo(second);
    }
  }

  // ---------------------------------------------------------------- FrameResync

  @Test
  void resyncFindsTheNextValidFrameAfterDamage() throws IOException {
    byte[] bytes = LogFixture.flipBit(frames, second + RecordFrame.HEADER_SIZE, 0);

    assertThat(resync(bytes, second + 1, 11)).isEqualTo(third);
  }

  @Test
  void resyncFindsNothingAfterDamageInTheLastFrame() throws IOException {
    byte[] bytes = LogFixture.flipBit(frames, third + RecordFrame.HEADER_SIZE, 0);

    assertThat(resync(bytes, third + 1, 12)).isEqualTo(-1);
  }

  @Test
  void resyncFindsNothingInGarbageOrZeros() throws IOException {
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);

    assertThat(resync(concat(frame(10, A), garbage), second, 11)).isEqualTo(-1);
    assertThat(resync(concat(frame(10, A), new byte[4096]), second, 11)).isEqualTo(-1);
  }

  @Test
  void resyncIgnoresValidFramesWithOlderSequences() throws IOException {
    // An old frame after damage (a stale copy of sequence 10) does not make the damage corruption.
    byte[] bytes = concat(frame(10, A), new byte[] {1, 2, 3}, frame(10, A));

    assertThat(resync(bytes, 1, 11)).isEqualTo(-1);
    assertThat(resync(bytes, 1, 10)).isEqualTo(second + 3);
  }

  @Test
  void resyncIgnoresFootersAndFramesAboveMaxRecordSize() throws IOException {
    byte[] footer = RecordFrame.encodeFooter(12, 3, 0).array();
    byte[] big = frame(13, new byte[MAX + 1]);

    assertThat(resync(concat(new byte[] {9}, footer, big), 0, 0)).isEqualTo(-1);
  }

  @Test
  void resyncFindsAFrameThatStartsExactlyAtTheSearchStart() throws IOException {
    assertThat(resync(frames, second, 11)).isEqualTo(second);
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] frame(long sequence, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate((int) RecordFrame.frameSize(payload.length))
        .order(ByteOrder.LITTLE_ENDIAN);
    RecordFrame.putRecord(b, new CRC32C(), sequence, ByteBuffer.wrap(payload));
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    byte[] all = new byte[0];
    for (byte[] p : parts) {
      all = LogFixture.concat(all, p);
    }
    return all;
  }

  private static SegmentInput input(byte[] bytes) throws IOException {
    MemoryStorage mem = new MemoryStorage();
    try (SegmentOutput out = mem.create("f", 0)) {
      out.write(ByteBuffer.wrap(bytes));
    }
    return mem.openForRead("f");
  }

  private static FrameScanner scanner(byte[] bytes) throws IOException {
    return new FrameScanner(input(bytes), 0, bytes.length, MAX, 64);
  }

  private static long resync(byte[] bytes, long from, long minSequence) throws IOException {
    try (SegmentInput in = input(bytes)) {
      return FrameResync.findNextValidFrame(in, from, bytes.length, minSequence, MAX);
    }
  }
}
