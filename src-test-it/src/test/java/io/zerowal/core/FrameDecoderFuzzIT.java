/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Scenario 5: the frame decoder over arbitrary bytes. {@link FrameScanner} (the one decoder used by
 * recovery, readers and verify) must classify every byte string without an exception other than
 * EOF, without allocating beyond the input for a hostile length field (it runs here with the largest
 * maxRecordSize a log accepts, 1 GiB), and must make progress on every frame, so it terminates;
 * {@link FrameResync} and footer decoding likewise. The committed corpus under
 * {@code FrameDecoderFuzzITInputs} runs as regression tests in every build; set JAZZER_FUZZ=1 to fuzz.
 */
class FrameDecoderFuzzIT {
  private static final java.util.concurrent.atomic.AtomicLong INPUTS =
      new java.util.concurrent.atomic.AtomicLong();

  /** One summary line: inputs run (the committed corpus, or what the fuzzer generated). */
  @org.junit.jupiter.api.AfterAll
  static void summary() {
    io.zerowal.it.Summary.fuzzCorpus("5-fuzz-frame-decoder", "FrameDecoderFuzzIT", INPUTS.get());
  }

  @FuzzTest
  void frameScanner(byte[] data) throws Exception {
    INPUTS.incrementAndGet();
    for (int maxRecordSize : new int[] {64, 4096, WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT}) {
      for (int start : new int[] {0, Math.min(SegmentHeader.SIZE, data.length)}) {
        scan(data, start, maxRecordSize);
      }
    }
    RecordFrame.decodeFooter(java.util.Arrays.copyOf(data, RecordFrame.FOOTER_SIZE));
    long resync = FrameResync.findNextValidFrame(new ArraySegmentInput(data), 0, data.length, 0,
        4096);
    if (resync != -1) {
      assertThat(resync).isBetween(0L, (long) data.length - RecordFrame.HEADER_SIZE);
      FrameScanner s = new FrameScanner(new ArraySegmentInput(data), resync, data.length, 4096, 64);
      assertThat(s.next()).isEqualTo(FrameScanner.Result.FRAME);
    }
  }

  private static void scan(byte[] data, int start, int maxRecordSize) throws Exception {
    FrameScanner scanner = new FrameScanner(new ArraySegmentInput(data), start, data.length,
        maxRecordSize, 64);
    long previous = start;
    int frames = 0;
    while (true) {
      FrameScanner.Result r;
      try {
        r = scanner.next();
      } catch (RecordTooLargeException e) {
        // Documented: a whole, CRC-valid frame above maxRecordSize is refused, never cut or skipped.
        assertThat(e.getMessage()).contains("open the log with maxRecordSize of at least");
        break;
      }
      if (r != FrameScanner.Result.FRAME) {
        break;
      }
      frames++;
      assertThat(scanner.position()).isGreaterThanOrEqualTo(previous + RecordFrame.HEADER_SIZE);
      assertThat(scanner.position()).isLessThanOrEqualTo(data.length);
      assertThat(scanner.length()).isBetween(0, Math.max(maxRecordSize, RecordFrame.FOOTER_PAYLOAD_SIZE));
      // A FRAME really checks out: recompute its CRC from the input itself.
      ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      int at = (int) scanner.offset();
      assertThat(RecordFrame.crcOf(new CRC32C(), data, at + 8, scanner.length()))
          .isEqualTo(b.getInt(at + 4));
      assertThat(scanner.copyPayload()).hasSize(scanner.length());
      previous = scanner.position();
    }
    assertThat(frames).isLessThanOrEqualTo(data.length / RecordFrame.HEADER_SIZE + 1);
  }
}
