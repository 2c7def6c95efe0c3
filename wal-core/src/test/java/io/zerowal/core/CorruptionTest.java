/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.zerowal.core.storage.MemoryStorage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Every single-bit flip and every truncation of every segment file of a small log: open either
 * fails with {@link CorruptLogException} or opens the records before the damage, and no read ever
 * returns a payload other than the one appended with that sequence.
 */
class CorruptionTest {
  /** 14 records of 600 bytes: two sealed segments of 6 records and a last one of 2. */
  private static final int RECORDS = 14;
  private static final int PAYLOAD = 600;

  private static final LogFixture CRASHED = LogFixture.crashedAfter(RECORDS, PAYLOAD);
  private static final LogFixture CLOSED = LogFixture.closedAfter(RECORDS, PAYLOAD);

  @Test
  void fixturesSpanThreeSegmentsAndDifferOnlyInTheLast() {
    assertThat(CRASHED.segments()).hasSize(3).isEqualTo(CLOSED.segments());
    for (String segment : CRASHED.segments().subList(0, 2)) {
      assertThat(CLOSED.files.get(segment)).isEqualTo(CRASHED.files.get(segment));
    }
    assertThat(CLOSED.files.get(last(CLOSED))).hasSize(
        CRASHED.files.get(last(CRASHED)).length + RecordFrame.FOOTER_SIZE);
  }

  @Test
  void strictOpenOfAFlippedBitFailsOrYieldsOnlyIntactRecords() {
    everyOffset(CRASHED, CorruptionTest::flip, (damage, files) -> strict(CRASHED, damage, files));
    everyOffset(CLOSED, CorruptionTest::flip, (damage, files) -> strict(CLOSED, damage, files));
  }

  @Test
  void strictOpenOfATruncatedFileFailsOrYieldsOnlyIntactRecords() {
    everyOffset(CRASHED, CorruptionTest::truncate,
        (damage, files) -> strict(CRASHED, damage, files));
    everyOffset(CLOSED, CorruptionTest::truncate, (damage, files) -> strict(CLOSED, damage, files));
  }

  @Test
  void skipCorruptOpenOfAFlippedBitYieldsOnlyIntactRecordsAndAccountsForTheRest() {
    everyOffset(CRASHED, CorruptionTest::flip,
        (damage, files) -> skipCorrupt(CRASHED, damage, files, true));
    everyOffset(CLOSED, CorruptionTest::flip,
        (damage, files) -> skipCorrupt(CLOSED, damage, files, true));
  }

  @Test
  void skipCorruptOpenOfATruncatedFileYieldsOnlyIntactRecords() {
    everyOffset(CRASHED, CorruptionTest::truncate,
        (damage, files) -> skipCorrupt(CRASHED, damage, files, false));
    everyOffset(CLOSED, CorruptionTest::truncate,
        (damage, files) -> skipCorrupt(CLOSED, damage, files, false));
  }

  // ---------------------------------------------------------------- damage

  /** Where one file was damaged. */
  private static final class Damage {
    final String segment;
    final int offset;
    final String kind;

    Damage(String segment, int offset, String kind) {
      this.segment = segment;
      this.offset = offset;
      this.kind = kind;
    }

    @Override
    public String toString() {
      return kind + " at offset " + offset + " of " + segment;
    }
  }

  private static byte[] flip(byte[] bytes, int offset) {
    return LogFixture.flipBit(bytes, offset, offset % 8);
  }

  private static byte[] truncate(byte[] bytes, int offset) {
    return Arrays.copyOf(bytes, offset);
  }

  private interface Check {
    void run(Damage damage, Map<String, byte[]> files);
  }

  /**
   * Damages every offset of every segment of {@code fixture}; of the closed fixture only the last
   * segment, since its other segments are byte-identical to the crashed fixture's.
   */
  private static void everyOffset(LogFixture fixture, BiFunction<byte[], Integer, byte[]> damage,
      Check check) {
    String kind = damage.apply(new byte[1], 0).length == 0 ? "truncation" : "bit flip";
    List<String> segments = fixture == CLOSED ? List.of(last(fixture)) : fixture.segments();
    for (String segment : segments) {
      int size = fixture.files.get(segment).length;
      for (int offset = 0; offset < size; offset++) {
        Map<String, byte[]> files = fixture.copyOfFiles();
        files.put(segment, damage.apply(files.get(segment), offset));
        check.run(new Damage(segment, offset, kind), files);
      }
    }
  }

  // ---------------------------------------------------------------- checks

  private static void strict(LogFixture fixture, Damage damage, Map<String, byte[]> files) {
    MemoryStorage mem = LogFixture.storageWith(files);
    WriteAheadLog log;
    try {
      log = LogFixture.builder(mem).open();
    } catch (CorruptLogException e) {
      assertThat(fixture.segments()).as("%s: %s", damage, e.getMessage()).contains(e.segment());
      return;
    } catch (WalException e) {
      assertThat(damage.offset).as("%s: %s", damage, e.getMessage())
          .isLessThan(SegmentHeader.SIZE);
      return;
    }
    try (log) {
      long next = log.nextSequence();
      assertThat(log.firstSequence()).as("%s: first sequence", damage).isZero();
      if (damage.segment.equals(last(fixture))) {
        assertThat(next).as("%s: records before the damage", damage)
            .isBetween(recordsBefore(fixture, damage), (long) RECORDS);
      } else {
        assertThat(next).as("%s: records of a segment before the last one", damage)
            .isEqualTo(RECORDS);
      }
      List<LogRecord> read = readUntilCorrupt(log, damage);
      assertEachIsTheOneAppended(fixture, read, damage);
      assertThat(LogFixture.sequences(read)).as(damage.toString())
          .containsExactlyElementsOf(LogFixture.range(0, read.size()));
      for (RecordHandle h : fixture.handles.subList(0, (int) next)) {
        try {
          byte[] payload = new byte[h.length()];
          log.read(h).get(payload);
          assertThat(payload).as("%s: read(%s)", damage, h).isEqualTo(fixture.payloads.get(
              (int) h.sequence()));
        } catch (CorruptLogException expected) {
          // the damaged record
        }
      }
      boolean verified;
      try {
        assertThat(log.verify()).as(damage.toString()).isEqualTo(next);
        verified = true;
      } catch (CorruptLogException e) {
        verified = false;
      }
      if (verified) {
        assertThat((long) read.size()).as("%s: verify passed but a read failed", damage)
            .isEqualTo(next);
      }
      if (damage.kind.equals("bit flip") && stillThere(mem, damage, files)) {
        assertThat(verified).as("%s: a flipped bit that is still in the log passed verify",
            damage).isFalse();
      }
    }
  }

  private static void skipCorrupt(LogFixture fixture, Damage damage, Map<String, byte[]> files,
      boolean exactAccount) {
    MemoryStorage mem = LogFixture.storageWith(files);
    try (WriteAheadLog log = LogFixture.builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT)
        .open(); LogReader reader = log.readFrom(log.firstSequence())) {
      List<LogRecord> read = new java.util.ArrayList<>();
      reader.forEach(read::add);
      assertEachIsTheOneAppended(fixture, read, damage);
      for (int i = 1; i < read.size(); i++) {
        assertThat(read.get(i).sequence()).as("%s: order", damage)
            .isGreaterThan(read.get(i - 1).sequence());
      }
      RecoveryReport report = log.recoveryReport();
      long accounted = read.size() + report.recordsSkipped() + reader.recordsSkipped();
      assertThat(accounted).as("%s: %s", damage, report)
          .isBetween(recordsBefore(fixture, damage), (long) RECORDS);
      if (exactAccount && !report.tornTail()) {
        assertThat(accounted).as("%s: records read plus records skipped, %s", damage, report)
            .isEqualTo(RECORDS);
      }
      if (!report.corruptSegments().isEmpty()) {
        assertThat(mem.contents(report.corruptSegments().get(0))).as(damage.toString())
            .isEqualTo(files.get(damage.segment));
      }
      if (damage.offset % 5 == 0) { // a sample: the zero-copy replay judges frames the same way
        List<Long> visited = new java.util.ArrayList<>();
        try (LogReader again = log.readFrom(log.firstSequence())) {
          again.visit((sequence, payload) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            assertThat(copy).as("%s: visited payload of record %d", damage, sequence)
                .isEqualTo(fixture.payloads.get((int) sequence));
            visited.add(sequence);
          });
          assertThat(again.recordsSkipped()).as(damage.toString())
              .isEqualTo(reader.recordsSkipped());
        }
        assertThat(visited).as("%s: visit and iteration agree", damage)
            .containsExactlyElementsOf(read.stream().map(LogRecord::sequence).toList());
      }
    } catch (java.io.IOException e) {
      fail(damage + ": " + e, e);
    } catch (WalException | java.io.UncheckedIOException e) {
      fail(damage + ": SKIP_CORRUPT open or read failed: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String last(LogFixture fixture) {
    List<String> segments = fixture.segments();
    return segments.get(segments.size() - 1);
  }

  /** Records whose frames lie wholly before the damaged byte, in log order. */
  private static long recordsBefore(LogFixture fixture, Damage damage) {
    long before = 0;
    for (RecordHandle h : fixture.handles) {
      String segment = SegmentName.of(h.segment());
      int cmp = segment.compareTo(damage.segment);
      if (cmp < 0 || (cmp == 0 && h.offset() + RecordFrame.frameSize(h.length()) <= damage.offset)) {
        before++;
      }
    }
    return before;
  }

  private static List<LogRecord> readUntilCorrupt(WriteAheadLog log, Damage damage) {
    List<LogRecord> read = new java.util.ArrayList<>();
    try (LogReader r = log.readFrom(log.firstSequence())) {
      r.forEach(read::add);
    } catch (CorruptLogException expected) {
      // the records before the damage were returned
    }
    if (damage.offset % 5 == 0) { // a sample: the zero-copy replay stops at the same frame
      List<Long> visited = new java.util.ArrayList<>();
      try (LogReader r = log.readFrom(log.firstSequence())) {
        r.visit((sequence, payload) -> visited.add(sequence));
      } catch (CorruptLogException expected) {
        // as above
      }
      assertThat(visited).as("%s: visit and iteration agree", damage)
          .containsExactlyElementsOf(read.stream().map(LogRecord::sequence).toList());
    }
    return read;
  }

  private static void assertEachIsTheOneAppended(LogFixture fixture, List<LogRecord> read,
      Damage damage) {
    for (LogRecord r : read) {
      assertThat(r.sequence()).as("%s: invented record", damage).isBetween(0L, RECORDS - 1L);
      assertThat(r.payloadBytes()).as("%s: payload of record %d", damage, r.sequence())
          .isEqualTo(fixture.payloads.get((int) r.sequence()));
    }
  }

  /** Whether the damaged byte is still in the log's files after open (not cut as a torn tail). */
  private static boolean stillThere(MemoryStorage mem, Damage damage, Map<String, byte[]> files) {
    try {
      return mem.exists(damage.segment) && mem.size(damage.segment) > damage.offset
          && mem.contents(damage.segment)[damage.offset] == files.get(damage.segment)[damage.offset];
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
