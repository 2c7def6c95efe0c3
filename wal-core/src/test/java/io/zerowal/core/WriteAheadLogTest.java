package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.eventually;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public behaviour of an open log: append, read, replay, truncate, roll, close, stats. */
class WriteAheadLogTest {
  @TempDir Path dir;

  private final MemoryStorage memory = new MemoryStorage();
  private final List<WriteAheadLog> opened = new ArrayList<>();

  @AfterEach
  void closeLogs() {
    opened.forEach(WriteAheadLog::close);
  }

  private WriteAheadLog open(WriteAheadLog.Builder builder) {
    WriteAheadLog log = builder.open();
    opened.add(log);
    return log;
  }

  private WriteAheadLog openMemory() {
    return open(WriteAheadLog.builder(memory).maxRecordSize(1 << 20).segmentSize(4 << 20));
  }

  private WriteAheadLog openSmallSegments() {
    return open(WriteAheadLog.builder(memory).segmentSize(4096).maxRecordSize(1000));
  }

  private static List<RecordHandle> appendAll(WriteAheadLog log, List<byte[]> payloads)
      throws Exception {
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    for (byte[] p : payloads) {
      futures.add(log.append(p));
    }
    List<RecordHandle> handles = new ArrayList<>();
    for (CompletableFuture<RecordHandle> f : futures) {
      handles.add(await(f));
    }
    return handles;
  }

  private static List<byte[]> payloads(int count, int length) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(payload(i, length));
    }
    return list;
  }

  private static List<LogRecord> readAll(WriteAheadLog log, long from) {
    List<LogRecord> records = new ArrayList<>();
    try (LogReader r = log.readFrom(from)) {
      r.forEach(records::add);
    }
    return records;
  }

  // ---------------------------------------------------------------- append and read

  @Test
  void appendedByteArrayReadsBackIdentical() throws Exception {
    WriteAheadLog log = openMemory();
    byte[] data = payload(1, 300);

    RecordHandle h = await(log.append(data));

    assertThat(bytes(log.read(h))).isEqualTo(data);
  }

  @Test
  void appendedByteBufferReadsBackItsRemainingBytesAndKeepsPositionAndLimit() throws Exception {
    WriteAheadLog log = openMemory();
    byte[] backing = payload(2, 100);
    ByteBuffer buffer = ByteBuffer.wrap(backing).position(10).limit(60);

    RecordHandle h = await(log.append(buffer));

    assertThat(buffer.position()).isEqualTo(10);
    assertThat(buffer.limit()).isEqualTo(60);
    assertThat(h.length()).isEqualTo(50);
    assertThat(bytes(log.read(h))).isEqualTo(java.util.Arrays.copyOfRange(backing, 10, 60));
  }

  @Test
  void readOnlyAndDirectBuffersAreAccepted() throws Exception {
    WriteAheadLog log = openMemory();
    byte[] small = payload(3, 200);
    byte[] large = payload(4, 100_000);
    ByteBuffer direct = ByteBuffer.allocateDirect(small.length).put(small).flip();
    ByteBuffer largeDirect = ByteBuffer.allocateDirect(large.length).put(large).flip();

    RecordHandle readOnly = await(log.append(ByteBuffer.wrap(small).asReadOnlyBuffer()));
    RecordHandle smallDirect = await(log.append(direct));
    RecordHandle bigDirect = await(log.append(largeDirect));
    RecordHandle bigReadOnly = await(log.append(ByteBuffer.wrap(large).asReadOnlyBuffer()));

    assertThat(bytes(log.read(readOnly))).isEqualTo(small);
    assertThat(bytes(log.read(smallDirect))).isEqualTo(small);
    assertThat(bytes(log.read(bigDirect))).isEqualTo(large);
    assertThat(bytes(log.read(bigReadOnly))).isEqualTo(large);
    assertThat(direct.position()).isZero();
    assertThat(largeDirect.remaining()).isEqualTo(large.length);
  }

  @Test
  void zeroLengthRecordIsARecord() throws Exception {
    WriteAheadLog log = openMemory();

    RecordHandle h = await(log.append(new byte[0]));

    assertThat(h.length()).isZero();
    assertThat(log.read(h).remaining()).isZero();
    assertThat(readAll(log, 0)).extracting(LogRecord::sequence).containsExactly(0L);
    assertThat(log.nextSequence()).isEqualTo(1);
  }

  @Test
  void recordsLargerThan64KiBMixedWithSmallOnesReadBackIdentical() throws Exception {
    WriteAheadLog log = openMemory();
    int[] lengths = {10, 70_000, 0, 65_536, 65_537, 3, 200_000, 1, 64 << 10, 500_000, 17};
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      data.add(payload(i, lengths[i]));
    }

    List<RecordHandle> handles = appendAll(log, data);

    for (int i = 0; i < data.size(); i++) {
      assertThat(bytes(log.read(handles.get(i)))).as("record %d", i).isEqualTo(data.get(i));
    }
    List<LogRecord> replay = readAll(log, 0);
    assertThat(replay).hasSize(data.size());
    for (int i = 0; i < data.size(); i++) {
      assertThat(replay.get(i).payloadBytes()).as("replayed record %d", i).isEqualTo(data.get(i));
    }
    assertThat(log.verify()).isEqualTo(data.size());
  }

  @Test
  void handlesHaveIncreasingSequencesAndReadBack() throws Exception {
    WriteAheadLog log = openSmallSegments();
    List<byte[]> data = payloads(200, 90);

    List<RecordHandle> handles = appendAll(log, data);

    for (int i = 0; i < handles.size(); i++) {
      assertThat(handles.get(i).sequence()).isEqualTo(i);
      assertThat(bytes(log.read(handles.get(i)))).isEqualTo(data.get(i));
    }
    assertThat(handles).extracting(RecordHandle::segment).isSorted();
  }

  @Test
  void appendsFromManyThreadsCompleteInSequenceOrder() throws Exception {
    WriteAheadLog log = openMemory();
    int threads = 8;
    int perThread = 300;
    int whileStalled = 50;
    // Callbacks attached before completion run on the writer thread, in completion order.
    ConcurrentLinkedQueue<Long> completedOnLogThread = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<RecordHandle>> futures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<Void>> callbacks = new ConcurrentLinkedQueue<>();
    Map<Long, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch queuedWhileStalled = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long first;
    try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
      first = await(stall.stalledAppend).sequence() + 1;
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            byte[] p = payload(thread * 100_000L + i, 1 + (i * 37) % 500);
            CompletableFuture<RecordHandle> f = log.append(p);
            futures.add(f);
            callbacks.add(f.thenAccept(h -> {
              if (Thread.currentThread().getName().startsWith("zerowal-")) {
                completedOnLogThread.add(h.sequence());
              }
              written.put(h.sequence(), p);
            }));
            if (i == whileStalled - 1) {
              queuedWhileStalled.countDown();
            }
          }
          return null;
        }));
      }
      assertThat(queuedWhileStalled.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      stall.release();
      for (Future<?> w : workers) {
        w.get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
      }
      for (CompletableFuture<Void> f : callbacks) {
        await(f);
      }
    } finally {
      pool.shutdownNow();
    }

    List<Long> order = new ArrayList<>(completedOnLogThread);
    assertThat(order).hasSizeGreaterThanOrEqualTo(threads * whileStalled);
    assertThat(order).doesNotHaveDuplicates().isSorted();
    List<Long> sequences = new ArrayList<>();
    for (CompletableFuture<RecordHandle> f : futures) {
      sequences.add(await(f).sequence());
    }
    assertThat(sequences).doesNotHaveDuplicates().hasSize(threads * perThread)
        .allMatch(s -> s >= first && s < first + threads * perThread);
    for (LogRecord r : readAll(log, first)) {
      assertThat(r.payloadBytes()).as("record %d", r.sequence()).isEqualTo(written.get(r.sequence()));
    }
  }

  // ---------------------------------------------------------------- readFrom

  @Test
  void readFromZeroReplaysEveryRecordInOrder() throws Exception {
    WriteAheadLog log = openMemory();
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
    WriteAheadLog log = openMemory();
    List<byte[]> data = payloads(50, 33);
    appendAll(log, data);

    List<LogRecord> records = readAll(log, 37);

    assertThat(records).extracting(LogRecord::sequence)
        .containsExactlyElementsOf(Stream.iterate(37L, s -> s + 1).limit(13).toList());
    assertThat(records.get(0).payloadBytes()).isEqualTo(data.get(37));
  }

  @Test
  void readFromNextSequenceIsEmpty() throws Exception {
    WriteAheadLog log = openMemory();
    appendAll(log, payloads(5, 10));

    try (LogReader r = log.readFrom(log.nextSequence())) {
      assertThat(r.iterator().hasNext()).isFalse();
      assertThat(r.endSequence()).isEqualTo(5);
    }
  }

  @Test
  void readFromAnEmptyLogIsEmpty() {
    WriteAheadLog log = openMemory();

    assertThat(readAll(log, 0)).isEmpty();
  }

  @Test
  void readFromStreamsAcrossManySmallSegments() throws Exception {
    WriteAheadLog log = openSmallSegments();
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
    WriteAheadLog log = openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      appendAll(log, payloads(3, 10));
      List<Long> seen = new ArrayList<>();
      r.forEach(rec -> seen.add(rec.sequence()));
      assertThat(seen).containsExactly(0L, 1L, 2L);
    }
  }

  @Test
  void readFromANegativeSequenceIsRejected() {
    WriteAheadLog log = openMemory();

    assertThatThrownBy(() -> log.readFrom(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void readFromBeyondNextSequenceIsRejected() throws Exception {
    WriteAheadLog log = openMemory();
    appendAll(log, payloads(3, 10));

    assertThatThrownBy(() -> log.readFrom(4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4").hasMessageContaining("3");
  }

  @Test
  void readFromBelowFirstSequenceAfterTruncationFailsNamingTheOldestRecord() throws Exception {
    WriteAheadLog log = openSmallSegments();
    appendAll(log, payloads(200, 100));
    log.truncateBefore(150);
    long first = log.firstSequence();
    assertThat(first).isPositive();

    assertThatThrownBy(() -> log.readFrom(first - 1)).isInstanceOf(WalException.class)
        .hasMessageContaining("truncateBefore").hasMessageContaining(String.valueOf(first));
    assertThat(readAll(log, first).get(0).sequence()).isEqualTo(first);
  }

  @Test
  void aLogReaderCanBeIteratedOnlyOnce() throws Exception {
    WriteAheadLog log = openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      r.iterator();
      assertThatThrownBy(r::iterator).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("once");
    }
  }

  // ---------------------------------------------------------------- readFrom + visit (zero-copy)

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
    WriteAheadLog log = openSmallSegments();
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
    WriteAheadLog log = openSmallSegments();
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
    WriteAheadLog log = openMemory();
    // 64 KiB is the smallest read buffer and 1 MiB the largest: records of both sizes and beyond
    // the first make the reader grow its buffer mid-segment.
    List<byte[]> data = List.of(payload(0, 10), payload(1, 200_000), payload(2, 1 << 20),
        payload(3, 7), payload(4, 70_000));
    appendAll(log, data);

    Map<Long, byte[]> visited = visitAll(log, 0);

    assertThat(visited).hasSize(5);
    visited.forEach((seq, bytes) -> assertThat(bytes).isEqualTo(data.get(seq.intValue())));
  }

  @Test
  void theVisitedPayloadIsExactlyThePayloadWhateverTheVisitorDoesWithIt() throws Exception {
    WriteAheadLog log = openMemory();
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
  void aLogReaderIsReadOnceWhicheverWay() throws Exception {
    WriteAheadLog log = openMemory();
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
  void visitWithNullIsRejectedAndLeavesTheReaderUsable() throws Exception {
    WriteAheadLog log = openMemory();
    appendAll(log, payloads(3, 10));

    try (LogReader r = log.readFrom(0)) {
      assertThatThrownBy(() -> r.visit(null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("visitor is null");
      assertThat(r.visit((s, p) -> { })).isEqualTo(3);
    }
  }

  @Test
  void aVisitorThatThrowsStopsTheReplayAndTheExceptionReachesTheCaller() throws Exception {
    WriteAheadLog log = openMemory();
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

  @Test
  void readingAClosedReaderFails() throws Exception {
    WriteAheadLog log = openMemory();
    appendAll(log, payloads(3, 10));
    LogReader r = log.readFrom(0);
    r.close();

    assertThatThrownBy(() -> r.visit((s, p) -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(r::iterator).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  // ---------------------------------------------------------------- truncateBefore

  @Test
  void truncateBeforeDeletesOnlyWholeOlderSegments() throws Exception {
    WriteAheadLog log = openSmallSegments();
    List<RecordHandle> handles = appendAll(log, payloads(200, 100));
    int segmentsBefore = log.stats().segments();
    long cut = 120;
    long segmentOfCut = handles.get((int) cut).segment();

    int deleted = log.truncateBefore(cut);

    assertThat(deleted).isPositive();
    assertThat(log.firstSequence()).isEqualTo(segmentOfCut);
    assertThat(log.stats().segments()).isEqualTo(segmentsBefore - deleted);
    assertThat(memory.list()).doesNotContain(SegmentName.of(handles.get(0).segment()))
        .contains(SegmentName.of(segmentOfCut));
    List<LogRecord> rest = readAll(log, log.firstSequence());
    assertThat(rest.get(0).sequence()).isEqualTo(segmentOfCut);
    assertThat(rest).hasSize((int) (200 - segmentOfCut));
  }

  @Test
  void truncateBeforeNeverDeletesTheSegmentBeingWritten() throws Exception {
    WriteAheadLog log = openSmallSegments();
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
  void truncateBeforeTheFirstSequenceDeletesNothing() throws Exception {
    WriteAheadLog log = openSmallSegments();
    appendAll(log, payloads(100, 100));

    assertThat(log.truncateBefore(0)).isZero();
    assertThat(log.truncateBefore(1)).isZero();
    assertThat(log.firstSequence()).isZero();
  }

  @Test
  void truncateBeforeANegativeSequenceIsRejected() {
    WriteAheadLog log = openMemory();

    assertThatThrownBy(() -> log.truncateBefore(-5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
  }

  @Test
  void readOfATruncatedRecordFailsClearly() throws Exception {
    WriteAheadLog log = openSmallSegments();
    List<RecordHandle> handles = appendAll(log, payloads(200, 100));
    log.truncateBefore(150);

    assertThatThrownBy(() -> log.read(handles.get(0)))
        .isExactlyInstanceOf(WalException.class)
        .hasMessageContaining("record 0").hasMessageContaining("truncateBefore");
  }

  @Test
  void readerOpenedBeforeTruncationKeepsReadingTheSegmentItHolds() throws Exception {
    WriteAheadLog log = openSmallSegments();
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
    WriteAheadLog log = openSmallSegments();
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
    WriteAheadLog log = open(WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096)
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

  // ---------------------------------------------------------------- rolling

  @Test
  void segmentsRollBySize() throws Exception {
    WriteAheadLog log = openSmallSegments();

    List<RecordHandle> handles = appendAll(log, payloads(100, 200));

    LogStats stats = log.stats();
    assertThat(stats.segmentsRolled()).isPositive();
    assertThat(stats.segments()).isEqualTo(stats.segmentsRolled() + 1);
    assertThat(handles.stream().map(RecordHandle::segment).distinct().count())
        .isEqualTo(stats.segments());
    for (RecordHandle h : handles) {
      assertThat(h.offset() + RecordFrame.frameSize(h.length())).isLessThanOrEqualTo(4096);
    }
  }

  @Test
  void segmentsRollByAge() throws Exception {
    WriteAheadLog log = open(WriteAheadLog.builder(memory).rollInterval(Duration.ofMillis(50)));
    RecordHandle first = await(log.append(payload(0, 10)));

    assertThat(eventually(() -> log.stats().segmentsRolled() >= 1)).isTrue();
    RecordHandle second = await(log.append(payload(1, 10)));

    assertThat(second.segment()).isGreaterThan(first.segment());
    assertThat(bytes(log.read(first))).isEqualTo(payload(0, 10));
    assertThat(log.truncateBefore(second.sequence())).isEqualTo(1);
  }

  // ---------------------------------------------------------------- local storage

  @Test
  void preallocatedLocalSegmentsWorkAndReopen() throws Exception {
    List<byte[]> data = payloads(120, 300);
    List<RecordHandle> handles;
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).preallocate(true)
        .segmentSize(16 << 10).maxRecordSize(1000).open()) {
      handles = appendAll(log, data);
      assertThat(log.stats().segmentsRolled()).isPositive();
    }
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).preallocate(true)
        .segmentSize(16 << 10).maxRecordSize(1000).open()) {
      assertThat(log.recoveryReport().tornTail()).isFalse();
      assertThat(log.nextSequence()).isEqualTo(120);
      assertThat(log.verify()).isEqualTo(120);
      for (int i = 0; i < data.size(); i++) {
        assertThat(bytes(log.read(handles.get(i)))).isEqualTo(data.get(i));
      }
      RecordHandle next = await(log.append(payload(120, 300)));
      assertThat(next.sequence()).isEqualTo(120);
    }
  }

  @Test
  void reopenOnLocalStorageContinuesTheSequenceWithTheSameBytes() throws Exception {
    List<byte[]> data = payloads(30, 5000);
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      appendAll(log, data);
    }
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      RecordHandle h = await(log.append(payload(30, 5000)));
      assertThat(h.sequence()).isEqualTo(30);
      List<LogRecord> all = readAll(log, 0);
      assertThat(all).hasSize(31);
      for (int i = 0; i < 30; i++) {
        assertThat(all.get(i).payloadBytes()).isEqualTo(data.get(i));
      }
    }
  }

  // ---------------------------------------------------------------- close

  @Test
  void closeIsIdempotent() {
    WriteAheadLog log = openMemory();

    log.close();
    log.close();

    assertThatThrownBy(log::nextSequence).isInstanceOf(LogClosedException.class);
  }

  @Test
  void closeDrainsEveryAppendMadeBeforeIt() throws Exception {
    WriteAheadLog log = open(WriteAheadLog.builder(memory));
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    List<byte[]> data = payloads(500, 100);
    long firstQueued;
    try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
      firstQueued = await(stall.stalledAppend).sequence() + 1;
      for (byte[] p : data) {
        futures.add(log.append(p));
      }
      new Thread(stall::release).start();
      log.close();
    }

    for (CompletableFuture<RecordHandle> f : futures) {
      assertThat(f).isCompleted();
      assertThat(f.isCompletedExceptionally()).isFalse();
    }
    try (WriteAheadLog again = open(WriteAheadLog.builder(memory))) {
      List<LogRecord> all = readAll(again, firstQueued);
      assertThat(all).hasSize(data.size());
      for (int i = 0; i < data.size(); i++) {
        assertThat(all.get(i).payloadBytes()).isEqualTo(data.get(i));
      }
    }
  }

  @Test
  void everyCallAfterCloseThrowsLogClosedException() throws Exception {
    WriteAheadLog log = openMemory();
    RecordHandle h = await(log.append(payload(0, 10)));
    log.close();

    List<ThrowingCallable> calls = List.of(
        () -> log.append(new byte[1]),
        () -> log.append(ByteBuffer.allocate(1)),
        () -> log.read(h),
        () -> log.readFrom(0),
        () -> log.truncateBefore(0),
        log::stats,
        log::verify,
        log::firstSequence,
        log::nextSequence,
        log::recoveryReport);
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(LogClosedException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void aReaderOfAClosedLogThrowsLogClosedException() throws Exception {
    WriteAheadLog log = openMemory();
    appendAll(log, payloads(3, 10));
    LogReader r = log.readFrom(0);
    log.close();

    assertThatThrownBy(() -> r.iterator().hasNext()).isInstanceOf(LogClosedException.class);
    r.close();
  }

  @Test
  void closeFromACompletionCallbackDoesNotDeadlockAndStillDrainsTheQueue() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(memory).open();
    List<CompletableFuture<RecordHandle>> queued = new ArrayList<>();
    try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log, log::close)) {
      for (int i = 0; i < 20; i++) {
        queued.add(log.append(payload(i, 50)));
      }
    }

    long last = -1;
    for (CompletableFuture<RecordHandle> f : queued) {
      assertThat(await(f).sequence()).isEqualTo(last < 0 ? await(f).sequence() : last + 1);
      last = await(f).sequence();
    }
    long expectedNext = last + 1;
    assertThat(eventually(() -> {
      try {
        log.append(new byte[1]);
        return false;
      } catch (LogClosedException expected) {
        return true;
      }
    })).isTrue();
    // The writer thread releases the storage once it has exited; then the log opens again.
    assertThat(eventually(() -> {
      try (WriteAheadLog again = WriteAheadLog.builder(memory).open()) {
        return again.nextSequence() == expectedNext;
      } catch (java.io.UncheckedIOException stillLocked) {
        return false;
      }
    })).isTrue();
  }

  @Test
  void aSecondCloseReturnsOnlyOnceTheFirstHasReleasedTheStorage() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(memory).open();
    CountDownLatch holdDrain = new CountDownLatch(1);
    try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log, log::close)) {
      // Queued behind the stall, so its callback is attached before completion: runs on the writer.
      log.append(payload(1, 10)).thenRun(() -> {
        try {
          holdDrain.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    assertThat(eventually(() -> {
      try {
        log.append(new byte[1]);
        return false;
      } catch (LogClosedException expected) {
        return true;
      }
    })).isTrue();

    java.util.concurrent.atomic.AtomicReference<Throwable> reopen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread closer = new Thread(() -> {
      log.close();
      try (WriteAheadLog again = WriteAheadLog.builder(memory).open()) {
        again.nextSequence();
      } catch (Throwable e) {
        reopen.set(e);
      }
    }, "second-closer");
    closer.start();
    assertThat(eventually(() -> closer.getState() == Thread.State.TERMINATED
        || closer.getState() == Thread.State.WAITING
        || closer.getState() == Thread.State.TIMED_WAITING)).isTrue();
    holdDrain.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(TestLogs.WAIT_SECONDS));

    assertThat(closer.isAlive()).isFalse();
    assertThat(reopen.get()).as("opening again right after close() returned").isNull();
  }

  @Test
  void reopenAfterCloseContinuesTheSequence() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      appendAll(log, payloads(7, 10));
    }
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      assertThat(log.nextSequence()).isEqualTo(7);
      assertThat(log.recoveryReport().records()).isEqualTo(7);
      assertThat(await(log.append(payload(7, 10))).sequence()).isEqualTo(7);
      assertThat(readAll(log, 0)).extracting(LogRecord::sequence)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }
  }

  // ---------------------------------------------------------------- stats

  @Test
  void concurrentAppendersShareGroupsAndSyncOncePerGroup() throws Exception {
    ObservedStorage storage = new ObservedStorage(memory);
    WriteAheadLog log = open(WriteAheadLog.builder(storage).durability(Durability.SYNC));
    int threads = 8;
    int perThread = 200;
    List<CompletableFuture<RecordHandle>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            futures.add(log.append(payload(thread * 1000L + i, 64)));
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (CompletableFuture<RecordHandle> f : futures) {
      await(f);
    }

    LogStats stats = log.stats();
    assertThat(stats.records()).isEqualTo(log.nextSequence())
        .isGreaterThan(threads * perThread);
    assertThat(stats.groups()).isLessThan(stats.records());
    assertThat(stats.segmentsRolled()).isZero();
    assertThat(stats.syncs()).isEqualTo(stats.groups());
    assertThat(storage.syncs.get()).isEqualTo(stats.syncs());
    assertThat(stats.averageGroupSize()).isGreaterThan(1.0);
    assertThat(stats.pendingBytes()).isZero();
    assertThat(stats.nextSequence()).isEqualTo(stats.records());
  }

  @Test
  void flushDurabilityFlushesPerGroupAndNeverSyncs() throws Exception {
    ObservedStorage storage = new ObservedStorage(memory);
    WriteAheadLog log = open(WriteAheadLog.builder(storage).durability(Durability.FLUSH));

    appendAll(log, payloads(50, 100));
    for (int i = 0; i < 5; i++) {
      await(log.append(payload(i, 10)));
    }

    LogStats stats = log.stats();
    assertThat(stats.groups()).isPositive();
    assertThat(stats.syncs()).isZero();
    assertThat(storage.syncs.get()).isZero();
    assertThat(storage.flushes.get()).isEqualTo(stats.groups());
  }

  @Test
  void noneDurabilityNeitherFlushesNorSyncs() throws Exception {
    ObservedStorage storage = new ObservedStorage(memory);
    WriteAheadLog log = open(WriteAheadLog.builder(storage).durability(Durability.NONE));

    appendAll(log, payloads(50, 100));
    for (int i = 0; i < 5; i++) {
      await(log.append(payload(i, 10)));
    }

    LogStats stats = log.stats();
    assertThat(stats.groups()).isPositive();
    assertThat(stats.syncs()).isZero();
    assertThat(storage.syncs.get()).isZero();
    assertThat(storage.flushes.get()).isZero();
  }

  @Test
  void statsCountRecordsBytesAndSequences() throws Exception {
    WriteAheadLog log = openMemory();
    appendAll(log, List.of(new byte[10], new byte[0], new byte[100]));

    LogStats stats = log.stats();

    assertThat(stats.records()).isEqualTo(3);
    assertThat(stats.payloadBytes()).isEqualTo(110);
    assertThat(stats.firstSequence()).isZero();
    assertThat(stats.nextSequence()).isEqualTo(3);
    assertThat(stats.segments()).isEqualTo(1);
    assertThat(stats.writes()).isPositive().isLessThanOrEqualTo(stats.groups());
    assertThat(stats.toString()).contains("records=3");
  }
}
