/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.appendAll;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static io.zerowal.core.TestLogs.payloads;
import static io.zerowal.core.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a {@link LogReader} hands out records: where it may start, the iterator, the zero-copy
 * {@link LogReader#visit} and its view, reading once, closing. Which records a replay yields is
 * {@link ReplayTest}.
 */
class LogReaderTest {
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  // ---------------------------------------------------------------- where a reader starts

  @Test
  void readFromANegativeSequenceIsRejected() {
    WriteAheadLog log = logs.openMemory();

    assertThatThrownBy(() -> log.readFrom(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void readFromBeyondNextSequenceIsRejected() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));

    assertThatThrownBy(() -> log.readFrom(4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4").hasMessageContaining("3");
  }

  @Test
  void readFromBelowFirstSequenceAfterTruncationFailsNamingTheOldestRecord() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    appendAll(log, payloads(200, 100));
    log.truncateBefore(150);
    long first = log.firstSequence();
    assertThat(first).isPositive();

    assertThatThrownBy(() -> log.readFrom(first - 1)).isInstanceOf(WalException.class)
        .hasMessageContaining("truncateBefore").hasMessageContaining(String.valueOf(first));
    assertThat(readAll(log, first).get(0).sequence()).isEqualTo(first);
  }

  @Test
  void aReaderStartsAtAnySequenceMidSegmentOrAtASegmentsFirstRecord() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<RecordHandle> handles = appendAll(log, payloads(100, 100));
    RecordHandle firstOfThirdSegment = handles.stream()
        .filter(h -> h.segment() > handles.get(0).segment() && h.sequence() == h.segment())
        .skip(1).findFirst().orElseThrow();
    long midSegment = firstOfThirdSegment.sequence() + 1;

    for (long from : new long[] {firstOfThirdSegment.sequence(), midSegment}) {
      List<LogRecord> records = readAll(log, from);

      assertThat(records).as("from %d", from).extracting(LogRecord::sequence)
          .containsExactlyElementsOf(LogFixture.range(from, 100));
      assertThat(records.get(0).handle()).as("from %d", from).isEqualTo(handles.get((int) from));
    }
  }

  // ---------------------------------------------------------------- iterator

  @Test
  void iterationHandsOutEveryRecordWithTheHandleItWasAppendedUnder() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<byte[]> data = payloads(120, 150);
    List<RecordHandle> handles = appendAll(log, data);
    assertThat(log.stats().segments()).isGreaterThan(3);

    List<LogRecord> records = readAll(log, 0);

    assertThat(records).extracting(LogRecord::handle).containsExactlyElementsOf(handles);
    for (LogRecord r : records) {
      assertThat(r.sequence()).isEqualTo(r.handle().sequence());
      assertThat(r.payloadBytes()).as("record %d", r.sequence())
          .isEqualTo(data.get((int) r.sequence()));
      assertThat(bytes(r.payload())).as("record %d", r.sequence())
          .isEqualTo(data.get((int) r.sequence()));
    }
  }

  @Test
  void hasNextDoesNotMoveTheIteratorOn() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      Iterator<LogRecord> it = r.iterator();

      assertThat(it.hasNext()).isTrue();
      assertThat(it.hasNext()).isTrue();
      assertThat(it.next().sequence()).isZero();
      assertThat(it.next().sequence()).isEqualTo(1);
    }
  }

  @Test
  void nextPastTheLastRecordThrowsNoSuchElementNamingTheEndSequence() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(2, 10));

    try (LogReader r = log.readFrom(1)) {
      Iterator<LogRecord> it = r.iterator();
      assertThat(it.next().sequence()).isEqualTo(1);

      assertThat(it.hasNext()).isFalse();
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class)
          .hasMessageContaining("2");
    }
  }

  @Test
  void endSequenceIsTheNextSequenceOfTheLogWhenTheReaderWasMade() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(4, 10));

    try (LogReader r = log.readFrom(1)) {
      appendAll(log, payloads(2, 10));

      assertThat(r.endSequence()).isEqualTo(4);
      assertThat(r.visit((s, p) -> { })).isEqualTo(3);
      assertThat(r.endSequence()).isEqualTo(4);
    }
  }

  @Test
  void noRecordIsSkippedOnAnUndamagedLog() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    appendAll(log, payloads(100, 100));

    try (LogReader r = log.readFrom(0)) {
      assertThat(r.recordsSkipped()).isZero();
      assertThat(r.visit((s, p) -> { })).isEqualTo(100);
      assertThat(r.recordsSkipped()).isZero();
    }
  }

  // ---------------------------------------------------------------- visit: a read-only view

  @Test
  void theVisitedPayloadIsExactlyThePayloadWhateverTheVisitorDoesWithIt() throws Exception {
    WriteAheadLog log = logs.openMemory();
    List<byte[]> data = List.of(payload(0, 4), payload(1, 300), payload(2, 1));
    appendAll(log, data);
    List<Long> seen = new ArrayList<>();

    try (LogReader r = log.readFrom(0)) {
      r.visit((sequence, p) -> {
        byte[] expected = data.get((int) sequence);
        assertThat(p.position()).isZero();
        assertThat(p.limit()).isEqualTo(expected.length);
        assertThat(p.capacity()).as("no bytes beyond the payload are reachable")
            .isEqualTo(expected.length);
        assertThat(p.get(0)).as("absolute index 0 is the payload's first byte")
            .isEqualTo(expected[0]);
        p.position(p.limit()).clear(); // a visitor may move position and limit around
        byte[] all = new byte[p.remaining()];
        p.get(all);
        assertThat(all).isEqualTo(expected);
        assertThatThrownBy(() -> p.put(0, (byte) 1)).isInstanceOf(
            java.nio.ReadOnlyBufferException.class);
        seen.add(sequence);
      });
    }
    assertThat(seen).containsExactly(0L, 1L, 2L);
  }

  @Test
  void visitFromTheMiddleVisitsEachRecordFromThereOnceInOrder() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<byte[]> data = payloads(100, 100);
    appendAll(log, data);
    List<Long> seen = new ArrayList<>();

    long visited;
    try (LogReader r = log.readFrom(37)) {
      visited = r.visit((sequence, p) -> {
        byte[] copy = new byte[p.remaining()];
        p.get(copy);
        assertThat(copy).as("record %d", sequence).isEqualTo(data.get((int) sequence));
        seen.add(sequence);
      });
    }

    assertThat(visited).isEqualTo(63);
    assertThat(seen).containsExactlyElementsOf(LogFixture.range(37, 100));
  }

  @Test
  void aCopyTakenDuringTheCallOutlivesTheView() throws Exception {
    WriteAheadLog log = logs.openMemory();
    List<byte[]> data = payloads(20, 500);
    appendAll(log, data);
    List<byte[]> copies = new ArrayList<>();

    try (LogReader r = log.readFrom(0)) {
      r.visit((sequence, p) -> copies.add(bytes(p)));
    }

    assertThat(copies).containsExactlyElementsOf(data);
  }

  @Test
  void visitWithNullIsRejectedAndLeavesTheReaderUsable() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      assertThatThrownBy(() -> r.visit(null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("visitor is null");
      assertThat(r.visit((s, p) -> { })).isEqualTo(3);
    }
  }

  @Test
  void aVisitorThatThrowsStopsTheReplayAndTheExceptionReachesTheCaller() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(10, 10));
    List<Long> seen = new ArrayList<>();

    try (LogReader r = log.readFrom(0)) {
      assertThatThrownBy(() -> r.visit((s, p) -> {
        seen.add(s);
        if (s == 4) {
          throw new IllegalStateException("stop at 4");
        }
      })).isInstanceOf(IllegalStateException.class).hasMessage("stop at 4");
    }
    assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  // ---------------------------------------------------------------- read once

  @Test
  void aLogReaderCanBeIteratedOnlyOnce() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      r.iterator();
      assertThatThrownBy(r::iterator).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("once");
    }
  }

  @Test
  void aLogReaderIsReadOnceWhicheverWay() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      assertThat(r.visit((s, p) -> { })).isEqualTo(3);
      assertThatThrownBy(() -> r.visit((s, p) -> { })).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("once");
      assertThatThrownBy(r::iterator).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("once");
    }
    try (LogReader r = log.readFrom(0)) {
      r.iterator();
      assertThatThrownBy(() -> r.visit((s, p) -> { })).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("readFrom again");
    }
  }

  @Test
  void afterAVisitorThrowsTheReaderCanOnlyBeClosed() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(5, 10));
    LogReader r = log.readFrom(0);
    assertThatThrownBy(() -> r.visit((s, p) -> {
      throw new IllegalStateException("visitor failed");
    })).hasMessage("visitor failed");

    assertThatThrownBy(() -> r.visit((s, p) -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("once");
    assertThatThrownBy(r::iterator).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("once");
    r.close();
  }

  // ---------------------------------------------------------------- closing

  @Test
  void readingAClosedReaderFails() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));
    LogReader r = log.readFrom(0);
    r.close();

    assertThatThrownBy(() -> r.visit((s, p) -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(r::iterator).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void closeIsIdempotentBeforeDuringAndAfterReading() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    appendAll(log, payloads(50, 100));
    LogReader unread = log.readFrom(0);
    LogReader halfRead = log.readFrom(0);
    Iterator<LogRecord> it = halfRead.iterator();
    it.next();
    LogReader fullyRead = log.readFrom(0);
    fullyRead.forEach(rec -> { });

    for (LogReader r : List.of(unread, halfRead, fullyRead)) {
      r.close();
      r.close();
    }

    assertThatThrownBy(unread::iterator).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
