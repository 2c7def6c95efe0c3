/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.LogFixture.builder;
import static io.zerowal.core.LogFixture.concat;
import static io.zerowal.core.LogFixture.cut;
import static io.zerowal.core.LogFixture.flipBit;
import static io.zerowal.core.LogFixture.readAll;
import static io.zerowal.core.LogFixture.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.zerowal.core.storage.MemoryStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code open} does with the files a crash or a damaged medium leaves: deterministic cases on
 * {@link MemoryStorage}, damaged through its file contents.
 */
class RecoveryTest {
  /** 40 records of 300 bytes: four segments, the last one (4 records) unsealed as after a crash. */
  private static final int RECORDS = 40;
  private static final int PAYLOAD = 300;
  private static final int FRAME = RecordFrame.HEADER_SIZE + PAYLOAD;

  private final LogFixture crashed = LogFixture.crashedAfter(RECORDS, PAYLOAD);
  private final List<String> segments = crashed.segments();
  private final String last = segments.get(segments.size() - 1);
  private final String middle = segments.get(1);

  @Test
  void fixtureHasSealedSegmentsAndAnUnsealedLastOne() {
    assertThat(segments).hasSize(4);
    assertThat(crashed.handlesIn(last)).hasSize(4);
    assertThat(crashed.files.get(last)).hasSize(SegmentHeader.SIZE + 4 * FRAME);
  }

  // ---------------------------------------------------------------- clean and torn tails

  @Test
  void cleanCloseReportsNothingTruncated() {
    LogFixture closed = LogFixture.closedAfter(RECORDS, PAYLOAD);
    try (WriteAheadLog log = builder(closed.storage()).open()) {
      RecoveryReport report = log.recoveryReport();
      assertThat(report.bytesTruncated()).isZero();
      assertThat(report.tornTail()).isFalse();
      assertThat(report.recordsSkipped()).isZero();
      assertThat(report.corruptSegments()).isEmpty();
      closed.assertFirstRecords(readAll(log), RECORDS);
    }
  }

  @Test
  void logLeftByACrashAfterEveryAppendWasAcknowledgedOpensWithEveryRecord() {
    try (WriteAheadLog log = builder(crashed.storage()).open()) {
      assertThat(log.recoveryReport().bytesTruncated()).isZero();
      assertThat(log.recoveryReport().tornTail()).isFalse();
      crashed.assertFirstRecords(readAll(log), RECORDS);
    }
  }

  /** Bytes of the last frame that the crash left: mid-header (1..16), header only, mid-payload. */
  @ParameterizedTest(name = "{0} bytes of the last frame left")
  @ValueSource(ints = {1, 8, 9, 16, 17, 18, FRAME / 2, FRAME - 1})
  void tornTailIsTruncatedOnOpen(int leftOfLastFrame) throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] intact = mem.contents(last);
    mem.replaceContents(last, cut(intact, FRAME - leftOfLastFrame));

    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.recoveryReport().tornTail()).isTrue();
      assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(leftOfLastFrame);
      crashed.assertFirstRecords(readAll(log), RECORDS - 1);
      assertThat(log.nextSequence()).isEqualTo(RECORDS - 1);
      assertThat(mem.contents(last)).isEqualTo(cut(intact, FRAME));
    }
  }

  @Test
  void tornTailIsCutDurablyBeforeAnyNewWrite() throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] intact = mem.contents(last);
    mem.replaceContents(last, cut(intact, 100));
    WriteAheadLog log = builder(mem).open();

    MemoryStorage afterSecondCrash = mem.crash(1);
    log.close();

    assertThat(afterSecondCrash.contents(last)).isEqualTo(cut(intact, FRAME));
  }

  @Test
  void garbageAfterTheLastFrameIsTruncatedOnOpen() throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] garbage = new byte[777];
    new Random(42).nextBytes(garbage);
    garbage[0] = (byte) 0xff; // not the all-zero end marker
    byte[] intact = mem.contents(last);
    mem.replaceContents(last, concat(intact, garbage));

    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.recoveryReport().tornTail()).isTrue();
      assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(garbage.length);
      crashed.assertFirstRecords(readAll(log), RECORDS);
      assertThat(mem.contents(last)).isEqualTo(intact);
    }
  }

  @Test
  void zerosAfterTheLastFrameAreTruncatedAndReportedOnOpen() throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] intact = mem.contents(last);
    mem.replaceContents(last, concat(intact, new byte[500]));

    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.recoveryReport().tornTail()).isTrue();
      assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(500);
      crashed.assertFirstRecords(readAll(log), RECORDS);
      assertThat(mem.contents(last)).isEqualTo(intact);
    }
  }

  @Test
  void preallocatedSpaceAfterTheLastFrameIsNotReportedAsATornTail() {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog writer = builder(mem).preallocate(true).open();
    byte[] p = LogFixture.payload(0, PAYLOAD);
    writer.append(p).join();
    MemoryStorage survivor = mem.crash(3);
    writer.close();

    try (WriteAheadLog log = builder(survivor).open()) {
      assertThat(log.recoveryReport().tornTail()).isFalse();
      assertThat(log.recoveryReport().bytesTruncated()).isZero();
      assertThat(LogFixture.payloadsOf(readAll(log))).containsExactly(p);
    }
  }

  @Test
  void logAppendsAfterATruncatedTornTailAndTheNextOpenIsClean() throws IOException {
    MemoryStorage mem = crashed.storage();
    mem.replaceContents(last, cut(mem.contents(last), 50));
    byte[] more = LogFixture.payload(RECORDS - 1, PAYLOAD);

    try (WriteAheadLog log = builder(mem).open()) {
      RecordHandle h = log.append(more).join();
      assertThat(h.sequence()).isEqualTo(RECORDS - 1);
    }
    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.recoveryReport().bytesTruncated()).isZero();
      assertThat(log.recoveryReport().tornTail()).isFalse();
      assertThat(log.verify()).isEqualTo(RECORDS);
      List<LogRecord> records = readAll(log);
      crashed.assertFirstRecords(records.subList(0, RECORDS - 1), RECORDS - 1);
      assertThat(records.get(RECORDS - 1).sequence()).isEqualTo(RECORDS - 1);
      assertThat(records.get(RECORDS - 1).payloadBytes()).isEqualTo(more);
    }
  }

  @Test
  void sealedSegmentsAreNotScannedOnOpen() {
    LogFixture big = LogFixture.crashedAfter(400, PAYLOAD);
    assertThat(big.segments()).hasSizeGreaterThan(30);

    try (WriteAheadLog log = builder(big.storage()).open()) {
      RecoveryReport report = log.recoveryReport();
      assertThat(report.bytesScanned()).isLessThan(LogFixture.SEGMENT_SIZE);
      assertThat(report.records()).isEqualTo(400);
    }
  }

  // ---------------------------------------------------------------- damage in the last segment

  /*
   * Syncs cover a prefix of the last segment, so whatever follows its first bad frame was never
   * acknowledged if a crash left it (a later page of the unfinished group reached the disk, an
   * earlier one did not): it is the torn tail, under both policies, and the valid records cut with
   * it are reported.
   */

  @Test
  void crcMismatchFollowedByValidFramesInTheLastSegmentIsCutAsATornTailAndReported()
      throws IOException {
    RecordHandle damaged = crashed.handlesIn(last).get(1);
    MemoryStorage mem = crashed.storage();
    byte[] bytes = flipBit(mem.contents(last), damaged.offset() + 40, 3);
    mem.replaceContents(last, bytes);

    assertTornAt(mem, RecoveryPolicy.STRICT, damaged, bytes.length);
  }

  @Test
  void zerosFollowedByValidFramesInTheLastSegmentAreCutAsATornTailAndReported()
      throws IOException {
    RecordHandle damaged = crashed.handlesIn(last).get(1);
    MemoryStorage mem = crashed.storage();
    byte[] bytes = mem.contents(last);
    Arrays.fill(bytes, (int) damaged.offset(), (int) damaged.offset() + FRAME, (byte) 0);
    mem.replaceContents(last, bytes);

    assertTornAt(mem, RecoveryPolicy.STRICT, damaged, bytes.length);
  }

  @Test
  void skipCorruptCutsADamagedFrameOfTheLastSegmentAndWhatFollowsAsATornTail() throws IOException {
    RecordHandle damaged = crashed.handlesIn(last).get(1);
    MemoryStorage mem = crashed.storage();
    byte[] bytes = flipBit(mem.contents(last), damaged.offset() + 40, 3);
    mem.replaceContents(last, bytes);

    assertTornAt(mem, RecoveryPolicy.SKIP_CORRUPT, damaged, bytes.length);
    assertThat(mem.list()).noneMatch(n -> n.contains(".corrupt"));
    assertStrictOpenReturnsAllRecordsBut(mem, 37, 38, 39);
  }

  /** Opens with the last segment cut at {@code damaged}: two valid records after it are cut too. */
  private void assertTornAt(MemoryStorage mem, RecoveryPolicy policy, RecordHandle damaged,
      long size) {
    try (WriteAheadLog log = builder(mem).recoveryPolicy(policy).open()) {
      RecoveryReport report = log.recoveryReport();
      assertThat(report.tornTail()).isTrue();
      assertThat(report.bytesTruncated()).isEqualTo(size - damaged.offset());
      assertThat(report.recordsCut()).isEqualTo(2);
      assertThat(report.recordsSkipped()).isZero();
      assertThat(report.corruptSegments()).isEmpty();
      crashed.assertFirstRecords(readAll(log), (int) damaged.sequence());
      assertThat(log.nextSequence()).isEqualTo(damaged.sequence());
    }
  }

  // ---------------------------------------------------------------- damage in sealed segments

  @Test
  void badFooterOfASealedSegmentFailsStrictOpenNamingTheFooter() throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] bytes = mem.contents(middle);
    int footer = bytes.length - RecordFrame.FOOTER_SIZE;
    mem.replaceContents(middle, flipBit(bytes, footer + 20, 0));

    CorruptLogException e = strictOpenFails(mem);

    assertThat(e.segment()).isEqualTo(middle);
    assertThat(e.offset()).isEqualTo(footer);
  }

  @Test
  void badHeaderOfASealedSegmentFailsStrictOpenNamingTheHeader() throws IOException {
    MemoryStorage mem = crashed.storage();
    mem.replaceContents(middle, flipBit(mem.contents(middle), 9, 5));

    CorruptLogException e = strictOpenFails(mem);

    assertThat(e.segment()).isEqualTo(middle);
    assertThat(e.offset()).isZero();
  }

  @Test
  void flippedPayloadBitInASealedSegmentIsFoundByVerifyAndReadsButNotByOpen()
      throws IOException {
    RecordHandle damaged = crashed.handlesIn(middle).get(3);
    MemoryStorage mem = crashed.storage();
    mem.replaceContents(middle, flipBit(mem.contents(middle), damaged.offset() + 100, 6));

    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.recoveryReport().records()).isEqualTo(RECORDS);

      CorruptLogException byVerify = corruptionFrom(log::verify);
      assertThat(byVerify.segment()).isEqualTo(middle);
      assertThat(byVerify.offset()).isEqualTo(damaged.offset());

      List<LogRecord> before = new ArrayList<>();
      CorruptLogException byReader = corruptionFrom(() -> {
        try (LogReader r = log.readFrom(0)) {
          r.forEach(before::add);
        }
      });
      assertThat(byReader.segment()).isEqualTo(middle);
      assertThat(byReader.offset()).isEqualTo(damaged.offset());
      crashed.assertFirstRecords(before, (int) damaged.sequence());

      assertThatThrownBy(() -> log.read(damaged)).isInstanceOf(CorruptLogException.class);
    }
  }

  @Test
  void flippedPayloadBitInASealedSegmentCostsASkipCorruptReaderOnlyThatRecord() throws IOException {
    List<RecordHandle> inMiddle = crashed.handlesIn(middle);
    RecordHandle damaged = inMiddle.get(3);
    MemoryStorage mem = crashed.storage();
    mem.replaceContents(middle, flipBit(mem.contents(middle), damaged.offset() + 100, 6));

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open();
        LogReader r = log.readFrom(0)) {
      List<LogRecord> records = new ArrayList<>();
      r.forEach(records::add);

      // The reader resumes at the next valid frame: only the damaged record is lost.
      assertThat(r.recordsSkipped()).isEqualTo(1);
      assertAllRecordsBut(records, damaged.sequence());
      assertEveryRecordIsTheOneAppended(records);
    }
  }

  @Test
  void skipCorruptRebuildsASealedSegmentWithABadFooterWithoutLosingRecords() throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] bytes = mem.contents(middle);
    byte[] original = flipBit(bytes, bytes.length - 3, 1);
    mem.replaceContents(middle, original);

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().recordsSkipped()).isZero();
      assertThat(log.recoveryReport().corruptSegments()).containsExactly(middle + ".corrupt");
      assertThat(mem.contents(middle + ".corrupt")).isEqualTo(original);
      crashed.assertFirstRecords(readAll(log), RECORDS);
    }
    assertStrictOpenReturnsAllRecordsBut(mem);
  }

  @Test
  void skipCorruptRebuildsASealedSegmentWithABadHeader() throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] original = flipBit(mem.contents(middle), 2, 2);
    mem.replaceContents(middle, original);

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().corruptSegments()).containsExactly(middle + ".corrupt");
      assertThat(mem.contents(middle + ".corrupt")).isEqualTo(original);
      crashed.assertFirstRecords(readAll(log), RECORDS);
    }
    assertStrictOpenReturnsAllRecordsBut(mem);
  }

  @Test
  void skipCorruptSkipsADamagedFrameOfASealedSegmentWithABadFooter() throws IOException {
    RecordHandle damaged = crashed.handlesIn(middle).get(5);
    MemoryStorage mem = crashed.storage();
    byte[] bytes = flipBit(mem.contents(middle), damaged.offset() + 1, 0); // its length field
    byte[] original = flipBit(bytes, bytes.length - 3, 1);
    mem.replaceContents(middle, original);

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().recordsSkipped()).isEqualTo(1);
      assertThat(log.recoveryReport().corruptSegments()).containsExactly(middle + ".corrupt");
      assertAllRecordsBut(readAll(log), damaged.sequence());
      assertThat(log.verify()).isEqualTo(RECORDS - 1);
    }
    assertStrictOpenReturnsAllRecordsBut(mem, damaged.sequence());
  }

  // ---------------------------------------------------------------- missing segments

  @Test
  void deletedMiddleSegmentFailsStrictOpenNamingTheSegmentAfterTheGap() throws IOException {
    MemoryStorage mem = crashed.storage();
    mem.delete(middle);
    mem.syncDirectory();

    CorruptLogException e = strictOpenFails(mem);

    assertThat(e.segment()).isEqualTo(segments.get(2));
    assertThat(e.getMessage()).contains("missing");
  }

  @Test
  void deletedMiddleSegmentIsReportedAsSkippedUnderSkipCorrupt() throws IOException {
    List<RecordHandle> lost = crashed.handlesIn(middle);
    MemoryStorage mem = crashed.storage();
    mem.delete(middle);
    mem.syncDirectory();

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().recordsSkipped()).isEqualTo(lost.size());
      long[] missing = lost.stream().mapToLong(RecordHandle::sequence).toArray();
      assertAllRecordsBut(readAll(log), missing);
    }
    long[] missing = lost.stream().mapToLong(RecordHandle::sequence).toArray();
    assertStrictOpenReturnsAllRecordsBut(mem, missing);
  }

  @ParameterizedTest(name = "{0} of its records left")
  @ValueSource(ints = {0, 1, 11})
  void sealedSegmentCutAtAFrameBoundaryFailsStrictOpenNamingWhereItsRecordsEnd(int left)
      throws IOException {
    MemoryStorage mem = crashed.storage();
    int end = SegmentHeader.SIZE + left * FRAME;
    mem.replaceContents(middle, Arrays.copyOf(mem.contents(middle), end));

    CorruptLogException e = strictOpenFails(mem);

    assertThat(e.segment()).isEqualTo(middle);
    assertThat(e.offset()).isEqualTo(end);
  }

  @ParameterizedTest(name = "{0} of its records left")
  @ValueSource(ints = {0, 1, 11})
  void sealedSegmentCutAtAFrameBoundaryIsRebuiltUnderSkipCorrupt(int left) throws IOException {
    List<RecordHandle> inMiddle = crashed.handlesIn(middle);
    MemoryStorage mem = crashed.storage();
    byte[] original = Arrays.copyOf(mem.contents(middle), SegmentHeader.SIZE + left * FRAME);
    mem.replaceContents(middle, original);
    long[] lost = inMiddle.subList(left, inMiddle.size()).stream()
        .mapToLong(RecordHandle::sequence).toArray();

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().recordsSkipped()).isEqualTo(lost.length);
      assertThat(log.recoveryReport().corruptSegments()).containsExactly(middle + ".corrupt");
      assertThat(mem.contents(middle + ".corrupt")).isEqualTo(original);
      assertAllRecordsBut(readAll(log), lost);
    }
    assertStrictOpenReturnsAllRecordsBut(mem, lost);
  }

  // ---------------------------------------------------------------- crash during roll

  @ParameterizedTest(name = "{0} bytes of the new segment's header")
  @ValueSource(ints = {0, 1, 4, 19})
  void segmentTornAtCreationIsRemovedOnOpen(int headerBytes) throws IOException {
    LogFixture closed = LogFixture.closedAfter(RECORDS, PAYLOAD);
    String next = SegmentName.of(RECORDS);
    byte[] header = SegmentHeader.encode(RECORDS, 0, new LogId(0, 0)).array();
    Map<String, byte[]> files = closed.copyOfFiles();
    files.put(next, Arrays.copyOf(header, headerBytes));
    MemoryStorage mem = LogFixture.storageWith(files);

    try (WriteAheadLog log = builder(mem).open()) {
      closed.assertFirstRecords(readAll(log), RECORDS);
      assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(headerBytes);
      assertThat(log.append(new byte[] {7}).join().sequence()).isEqualTo(RECORDS);
    }
  }

  @Test
  void segmentOfZerosLeftByACrashDuringRollIsRemovedOnOpen() throws IOException {
    LogFixture closed = LogFixture.closedAfter(RECORDS, PAYLOAD);
    Map<String, byte[]> files = closed.copyOfFiles();
    files.put(SegmentName.of(RECORDS), new byte[SegmentHeader.SIZE + 64]);
    MemoryStorage mem = LogFixture.storageWith(files);

    try (WriteAheadLog log = builder(mem).open()) {
      closed.assertFirstRecords(readAll(log), RECORDS);
      assertThat(log.nextSequence()).isEqualTo(RECORDS);
    }
  }

  // ---------------------------------------------------------------- failed writes

  @Test
  void writeFailureDuringARollPoisonsTheLogAndReopenRecoversTheAcknowledgedRecords() {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog log = builder(mem).open();
    int fitInOneSegment = (LogFixture.SEGMENT_SIZE - SegmentHeader.SIZE - RecordFrame.FOOTER_SIZE)
        / FRAME;
    for (int i = 0; i < fitInOneSegment; i++) {
      log.append(crashed.payloads.get(i)).join();
    }
    mem.failNextWrite(); // the footer that seals the full segment

    Throwable appendFailure = catchThrowable(
        () -> log.append(crashed.payloads.get(fitInOneSegment)).join());

    assertThat(appendFailure).hasCauseInstanceOf(LogFailedException.class);
    assertTimeoutPreemptively(Duration.ofSeconds(10), log::close, "close after a failed roll");
    try (WriteAheadLog reopened = builder(mem).open()) {
      crashed.assertFirstRecords(readAll(reopened), fitInOneSegment);
    }
  }

  // ---------------------------------------------------------------- interrupted salvage

  @Test
  void salvageInterruptedAfterSettingTheDamagedFileAsideIsFinishedOnOpen() throws IOException {
    MemoryStorage mem = salvagedMiddleSegment();
    // The crash came between renaming the damaged file aside and renaming the copy into place.
    mem.rename(middle, middle + ".tmp");
    mem.syncDirectory();

    try (WriteAheadLog log = builder(mem).open()) {
      crashed.assertFirstRecords(readAll(log), RECORDS);
      assertThat(mem.exists(middle + ".tmp")).isFalse();
      assertThat(mem.exists(middle + ".corrupt")).isTrue();
    }
  }

  @Test
  void salvageInterruptedBeforeSettingTheDamagedFileAsideIsDiscardedOnOpen() throws IOException {
    MemoryStorage mem = crashed.storage();
    byte[] damaged = flipBit(mem.contents(middle), 9, 5);
    mem.replaceContents(middle, damaged);
    // The crash came while the copy was written: a partial copy next to the damaged segment.
    byte[] partialCopy = Arrays.copyOf(SegmentHeader.encode(SegmentName.parse(middle), SegmentHeader.FLAG_GAPS, new LogId(0, 0))
        .array(), SegmentHeader.SIZE + 5);
    try (var out = mem.create(middle + ".tmp", 0)) {
      out.write(java.nio.ByteBuffer.wrap(partialCopy));
      out.sync();
    }
    mem.syncDirectory();

    assertThatThrownBy(() -> builder(mem).open()).isInstanceOf(CorruptLogException.class);
    assertThat(mem.exists(middle + ".tmp")).isFalse();
    assertThat(mem.contents(middle)).isEqualTo(damaged);

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      crashed.assertFirstRecords(readAll(log), RECORDS);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static CorruptLogException strictOpenFails(MemoryStorage mem) {
    Throwable t = catchThrowable(() -> builder(mem).open().close());
    assertThat(t).isInstanceOf(CorruptLogException.class);
    return (CorruptLogException) t;
  }

  private static CorruptLogException corruptionFrom(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(CorruptLogException.class);
    return (CorruptLogException) t;
  }

  private MemoryStorage salvagedMiddleSegment() throws IOException {
    MemoryStorage mem = crashed.storage();
    mem.replaceContents(middle, flipBit(mem.contents(middle), 9, 5));
    builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open().close();
    assertThat(mem.exists(middle + ".corrupt")).isTrue();
    return mem;
  }

  private void assertAllRecordsBut(List<LogRecord> records, long... missing) {
    List<Long> expected = LogFixture.range(0, RECORDS);
    for (long m : missing) {
      expected.remove(m);
    }
    assertThat(sequences(records)).containsExactlyElementsOf(expected);
    assertEveryRecordIsTheOneAppended(records);
  }

  private void assertEveryRecordIsTheOneAppended(List<LogRecord> records) {
    for (LogRecord r : records) {
      assertThat(r.payloadBytes()).as("payload of record %d", r.sequence())
          .isEqualTo(crashed.payloads.get((int) r.sequence()));
    }
  }

  private void assertStrictOpenReturnsAllRecordsBut(MemoryStorage mem, long... missing) {
    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.recoveryReport().recordsSkipped()).isZero();
      assertAllRecordsBut(readAll(log), missing);
      log.verify();
    }
  }
}
