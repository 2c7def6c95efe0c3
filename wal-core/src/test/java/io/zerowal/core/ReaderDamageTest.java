/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.LogFixture.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * What readers do with damage that {@code open} does not look for (sealed segments are checked by
 * header and footer only): STRICT readers fail as {@code verify()} does, SKIP_CORRUPT readers keep
 * every intact record (issue 10, items 6 and 14).
 */
class ReaderDamageTest {
  private static final int MAX_RECORD_SIZE = 1024;

  @Test
  void strictReaderFailsOnASealedFooterThatClaimsMoreRecordsThanTheSegmentHolds() throws IOException {
    MemoryStorage mem = footerClaimingTenOverFiveFrames();
    try (WriteAheadLog log = open(mem, RecoveryPolicy.STRICT)) {
      List<Long> seen = new ArrayList<>();
      assertThatThrownBy(() -> {
        try (LogReader r = log.readFrom(0)) {
          r.forEach(rec -> seen.add(rec.sequence()));
        }
      }).isInstanceOf(CorruptLogException.class)
          .satisfies(e -> assertThat(((CorruptLogException) e).segment()).isEqualTo(SegmentName.of(0)));
      assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThatThrownBy(log::verify).isInstanceOf(CorruptLogException.class);
    }
  }

  @Test
  void skipCorruptReaderCountsTheRecordsAFooterClaimsButTheSegmentLacks() throws IOException {
    MemoryStorage mem = footerClaimingTenOverFiveFrames();
    try (WriteAheadLog log = open(mem, RecoveryPolicy.SKIP_CORRUPT);
        LogReader r = log.readFrom(0)) {
      List<LogRecord> records = new ArrayList<>();
      r.forEach(records::add);
      assertThat(sequences(records)).containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 11L, 12L);
      assertThat(r.recordsSkipped()).isEqualTo(5);
    }
  }

  @Test
  void flippedBitInRecordZeroOfASealedSegmentCostsASkipCorruptReaderOnlyThatRecord()
      throws IOException {
    MemoryStorage mem = new MemoryStorage();
    byte[] segment = segment(0, 0, 9, 9);
    segment[SegmentHeader.SIZE + RecordFrame.HEADER_SIZE + 2] ^= 0x10; // payload of record 0
    put(mem, SegmentName.of(0), segment);
    put(mem, SegmentName.of(10), segment(10, 10, 12, 12));
    try (WriteAheadLog log = open(mem, RecoveryPolicy.SKIP_CORRUPT);
        LogReader r = log.readFrom(0)) {
      List<LogRecord> records = new ArrayList<>();
      r.forEach(records::add);
      assertThat(sequences(records)).containsExactlyElementsOf(LogFixture.range(1, 13));
      for (LogRecord rec : records) {
        assertThat(rec.payloadBytes()).isEqualTo(payload(rec.sequence()));
      }
      assertThat(r.recordsSkipped()).isEqualTo(1);
    }
  }

  @Test
  void verifyNamesTheSequencesAFlippedBitCosts() throws IOException {
    MemoryStorage mem = new MemoryStorage();
    byte[] segment = segment(0, 0, 9, 9);
    segment[SegmentHeader.SIZE + RecordFrame.HEADER_SIZE + 2] ^= 0x10; // payload of record 0
    put(mem, SegmentName.of(0), segment);
    put(mem, SegmentName.of(10), segment(10, 10, 12, 12));
    try (WriteAheadLog log = open(mem, RecoveryPolicy.STRICT)) {
      assertThatThrownBy(log::verify).isInstanceOf(CorruptLogException.class)
          .hasMessageContaining("sequences 0..0 are lost");
    }
  }

  @Test
  void hasNextAfterCloseThrows() throws IOException {
    MemoryStorage mem = new MemoryStorage();
    put(mem, SegmentName.of(0), segment(0, 0, 2, 2));
    try (WriteAheadLog log = open(mem, RecoveryPolicy.STRICT)) {
      LogReader r = log.readFrom(0);
      Iterator<LogRecord> it = r.iterator();
      assertThat(it.next().sequence()).isZero();
      r.close();
      assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  /** Segment 0 holds records 0..4 but its footer claims 0..9; segment 10 holds 10..12. */
  private static MemoryStorage footerClaimingTenOverFiveFrames() throws IOException {
    MemoryStorage mem = new MemoryStorage();
    put(mem, SegmentName.of(0), segment(0, 0, 4, 9));
    put(mem, SegmentName.of(10), segment(10, 10, 12, 12));
    return mem;
  }

  private static WriteAheadLog open(MemoryStorage mem, RecoveryPolicy policy) {
    return WriteAheadLog.builder(mem).segmentSize(4096).maxRecordSize(MAX_RECORD_SIZE)
        .recoveryPolicy(policy).open();
  }

  private static void put(MemoryStorage mem, String name, byte[] bytes) throws IOException {
    mem.create(name, 0).close();
    mem.replaceContents(name, bytes);
    mem.syncDirectory();
  }

  private static byte[] payload(long sequence) {
    return ("record " + sequence).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A sealed segment of base {@code base} holding records {@code from..to} whose footer claims
   * {@code claimedLast} as last sequence and the matching span as record count.
   */
  private static byte[] segment(long base, long from, long to, long claimedLast) {
    ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new SegmentHeader(base, 0, LogFixture.LOG_ID).encode());
    FramesCrc framesCrc = new FramesCrc();
    CRC32C crc = new CRC32C();
    for (long s = from; s <= to; s++) {
      byte[] p = payload(s);
      framesCrc.add(p.length, RecordFrame.putRecord(b, crc, s, ByteBuffer.wrap(p)));
    }
    b.put(RecordFrame.encodeFooter(claimedLast, claimedLast - base + 1, framesCrc.value()));
    byte[] bytes = new byte[b.position()];
    b.flip().get(bytes);
    return bytes;
  }
}
