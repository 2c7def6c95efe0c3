/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.appendAll;
import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static io.zerowal.core.TestLogs.payloads;
import static io.zerowal.core.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code truncateBefore}: which segments it deletes and which it keeps, and what reads and readers
 * of truncated records see.
 */
class TruncateTest {
  @TempDir Path dir;
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  @Test
  void truncateBeforeDeletesOnlyWholeOlderSegments() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<RecordHandle> handles = appendAll(log, payloads(200, 100));
    int segmentsBefore = log.stats().segments();
    long cut = 120;
    long segmentOfCut = handles.get((int) cut).segment();

    int deleted = log.truncateBefore(cut);

    assertThat(deleted).isPositive();
    assertThat(log.firstSequence()).isEqualTo(segmentOfCut);
    assertThat(log.stats().segments()).isEqualTo(segmentsBefore - deleted);
    assertThat(logs.memory.list()).doesNotContain(SegmentName.of(handles.get(0).segment()))
        .contains(SegmentName.of(segmentOfCut));
    List<LogRecord> rest = readAll(log, log.firstSequence());
    assertThat(rest.get(0).sequence()).isEqualTo(segmentOfCut);
    assertThat(rest).hasSize((int) (200 - segmentOfCut));
  }

  @Test
  void truncateBeforeNeverDeletesTheSegmentBeingWritten() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<RecordHandle> handles = appendAll(log, payloads(100, 100));
    RecordHandle last = handles.get(99);

    log.truncateBefore(Long.MAX_VALUE);

    assertThat(log.firstSequence()).isEqualTo(last.segment());
    assertThat(log.stats().segments()).isEqualTo(1);
    assertThat(bytes(log.read(last))).isEqualTo(payload(99, 100));
    RecordHandle next = await(log.append(payload(100, 100)));
    assertThat(next.sequence()).isEqualTo(100);
  }

  @Test
  void truncateBeforeTakesASegmentDeletedByHandAsDeleted() throws Exception {
    // Found by a hostile probe: an operator deleted an old segment under a running engine, whose
    // next cleanup then failed on NoSuchFileException and stopped the engine.
    WriteAheadLog log = logs.open(WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096)
        .maxRecordSize(1000));
    List<RecordHandle> handles = appendAll(log, payloads(200, 100));
    long cut = 150;
    long segmentOfCut = handles.get((int) cut).segment();
    long second = handles.stream().mapToLong(RecordHandle::segment).filter(g -> g > 0)
        .findFirst().orElseThrow();
    Files.delete(dir.resolve(SegmentName.of(handles.get(0).segment())));

    int deleted = log.truncateBefore(cut);

    assertThat(deleted).isGreaterThan(1);
    assertThat(log.firstSequence()).isEqualTo(segmentOfCut);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .doesNotContain(SegmentName.of(second));
    }
    assertThat(bytes(log.read(handles.get(199)))).isEqualTo(payload(199, 100));
    assertThat(await(log.append(payload(200, 100))).sequence()).isEqualTo(200);
  }

  @Test
  void truncateBeforeTheFirstSequenceDeletesNothing() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    appendAll(log, payloads(100, 100));

    assertThat(log.truncateBefore(0)).isZero();
    assertThat(log.truncateBefore(1)).isZero();
    assertThat(log.firstSequence()).isZero();
  }

  @Test
  void truncateBeforeANegativeSequenceIsRejected() {
    WriteAheadLog log = logs.openMemory();

    assertThatThrownBy(() -> log.truncateBefore(-5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
  }

  @Test
  void readOfATruncatedRecordFailsClearly() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<RecordHandle> handles = appendAll(log, payloads(200, 100));
    log.truncateBefore(150);

    assertThatThrownBy(() -> log.read(handles.get(0)))
        .isExactlyInstanceOf(WalException.class)
        .hasMessageContaining("record 0").hasMessageContaining("truncateBefore");
  }

  // ---------------------------------------------------------------- readers across a truncation

  @Test
  void readerOpenedBeforeTruncationKeepsReadingTheSegmentItHolds() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<RecordHandle> handles = appendAll(log, payloads(200, 100));
    long secondSegment = handles.stream().filter(h -> h.segment() > 0).findFirst().orElseThrow()
        .segment();

    List<Long> seen = new ArrayList<>();
    try (LogReader r = log.readFrom(0)) {
      var it = r.iterator();
      seen.add(it.next().sequence());
      assertThat(log.truncateBefore(secondSegment)).isEqualTo(1);
      it.forEachRemaining(rec -> seen.add(rec.sequence()));
    }

    assertThat(seen).containsExactlyElementsOf(Stream.iterate(0L, s -> s + 1).limit(200).toList());
  }

  @Test
  void readerOpenedBeforeTruncationFailsClearlyAtASegmentDeletedBeforeItGotThere()
      throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    appendAll(log, payloads(200, 100));

    try (LogReader r = log.readFrom(0)) {
      var it = r.iterator();
      it.next();
      log.truncateBefore(150);
      assertThatThrownBy(() -> it.forEachRemaining(rec -> { }))
          .isInstanceOf(WalException.class).hasMessageContaining("truncateBefore")
          .hasMessageContaining("firstSequence()");
    }
  }

  @Test
  void readerOnLocalStorageKeepsReadingASegmentDeletedUnderIt() throws Exception {
    WriteAheadLog log = logs.open(WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096)
        .maxRecordSize(1000));
    List<RecordHandle> handles = appendAll(log, payloads(100, 100));
    long secondSegment = handles.stream().filter(h -> h.segment() > 0).findFirst().orElseThrow()
        .segment();

    List<Long> seen = new ArrayList<>();
    try (LogReader r = log.readFrom(0)) {
      var it = r.iterator();
      seen.add(it.next().sequence());
      log.truncateBefore(secondSegment);
      assertThat(Files.exists(dir.resolve(SegmentName.of(0)))).isFalse();
      it.forEachRemaining(rec -> seen.add(rec.sequence()));
    }

    assertThat(seen).hasSize(100).startsWith(0L, 1L).endsWith(99L);
  }
}
