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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code readFrom} replays: every record from the start sequence up to the durable end when
 * the reader was made, in order, across segments, the same by iteration and by
 * {@link LogReader#visit}.
 * How a reader hands records out (once, closing, the visitor's view) is {@link LogReaderTest}.
 */
class ReplayTest {
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  // ---------------------------------------------------------------- iteration

  @Test
  void readFromZeroReplaysEveryRecordInOrder() throws Exception {
    WriteAheadLog log = logs.openMemory();
    List<byte[]> data = payloads(50, 33);
    appendAll(log, data);

    List<LogRecord> records = readAll(log, 0);

    assertThat(records).extracting(LogRecord::sequence)
        .containsExactlyElementsOf(Stream.iterate(0L, s -> s + 1).limit(50).toList());
    for (LogRecord r : records) {
      assertThat(r.payloadBytes()).isEqualTo(data.get((int) r.sequence()));
    }
  }

  @Test
  void readFromTheMiddleStartsAtThatSequence() throws Exception {
    WriteAheadLog log = logs.openMemory();
    List<byte[]> data = payloads(50, 33);
    appendAll(log, data);

    List<LogRecord> records = readAll(log, 37);

    assertThat(records).extracting(LogRecord::sequence)
        .containsExactlyElementsOf(Stream.iterate(37L, s -> s + 1).limit(13).toList());
    assertThat(records.get(0).payloadBytes()).isEqualTo(data.get(37));
  }

  @Test
  void readFromNextSequenceIsEmpty() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(5, 10));

    try (LogReader r = log.readFrom(log.nextSequence())) {
      assertThat(r.iterator().hasNext()).isFalse();
      assertThat(r.endSequence()).isEqualTo(5);
    }
  }

  @Test
  void readFromAnEmptyLogIsEmpty() {
    WriteAheadLog log = logs.openMemory();

    assertThat(readAll(log, 0)).isEmpty();
  }

  @Test
  void readFromStreamsAcrossManySmallSegments() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<byte[]> data = payloads(300, 150);
    appendAll(log, data);
    assertThat(log.stats().segments()).isGreaterThan(10);

    List<LogRecord> records = readAll(log, 0);
    List<LogRecord> fromMiddle = readAll(log, 211);

    assertThat(records).hasSize(300);
    for (LogRecord r : records) {
      assertThat(r.payloadBytes()).isEqualTo(data.get((int) r.sequence()));
      assertThat(bytes(log.read(r.handle()))).isEqualTo(data.get((int) r.sequence()));
    }
    assertThat(fromMiddle).extracting(LogRecord::sequence)
        .containsExactlyElementsOf(Stream.iterate(211L, s -> s + 1).limit(89).toList());
  }

  @Test
  void readerStopsAtTheDurableEndWhenItWasCreated() throws Exception {
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      appendAll(log, payloads(3, 10));
      List<Long> seen = new ArrayList<>();
      r.forEach(rec -> seen.add(rec.sequence()));
      assertThat(seen).containsExactly(0L, 1L, 2L);
    }
  }

  // ---------------------------------------------------------------- visit (zero-copy)

  /** Sequences and payload copies that {@link LogReader#visit} saw. */
  private static Map<Long, byte[]> visitAll(WriteAheadLog log, long from) {
    Map<Long, byte[]> seen = new java.util.LinkedHashMap<>();
    try (LogReader r = log.readFrom(from)) {
      long n = r.visit((sequence, payload) -> {
        assertThat(payload.isReadOnly()).isTrue();
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        assertThat(seen.put(sequence, copy)).as("record %d visited twice", sequence).isNull();
      });
      assertThat(n).isEqualTo(seen.size());
    }
    return seen;
  }

  @Test
  void visitReplaysTheSameRecordsAsIterationAcrossSegments() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<byte[]> data = payloads(300, 150);
    appendAll(log, data);
    assertThat(log.stats().segments()).isGreaterThan(10);

    for (long from : new long[] {0, 1, 211, 299, 300}) {
      Map<Long, byte[]> visited = visitAll(log, from);
      List<LogRecord> iterated = readAll(log, from);

      assertThat(visited.keySet()).as("from %d", from)
          .containsExactlyElementsOf(iterated.stream().map(LogRecord::sequence).toList());
      visited.forEach((seq, bytes) ->
          assertThat(bytes).as("record %d", seq).isEqualTo(data.get(seq.intValue())));
    }
  }

  @Test
  void visitAcrossSegmentsFilledToDifferentEnds() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      data.add(payload(i, 1 + (i * 137) % 900)); // segments end at varied offsets
    }
    appendAll(log, data);

    Map<Long, byte[]> visited = visitAll(log, 0);

    assertThat(visited).hasSize(200);
    visited.forEach((seq, bytes) -> assertThat(bytes).as("record %d", seq)
        .isEqualTo(data.get(seq.intValue())));
  }

  @Test
  void visitHandsOutRecordsLargerThanTheReadBuffer() throws Exception {
    WriteAheadLog log = logs.openMemory();
    // 64 KiB is the smallest read buffer and 1 MiB the largest: records of both sizes and beyond
    // the first make the reader grow its buffer mid-segment.
    List<byte[]> data = List.of(payload(0, 10), payload(1, 200_000), payload(2, 1 << 20),
        payload(3, 7), payload(4, 70_000));
    appendAll(log, data);

    Map<Long, byte[]> visited = visitAll(log, 0);

    assertThat(visited).hasSize(5);
    visited.forEach((seq, bytes) -> assertThat(bytes).isEqualTo(data.get(seq.intValue())));
  }
}
