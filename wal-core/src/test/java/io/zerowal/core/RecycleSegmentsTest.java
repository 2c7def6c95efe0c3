/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recycleSegments(true)}: truncated segments' files are written over by later segments, and
 * what recovery, readers and {@code verify()} make of the older frames behind a recycled segment's
 * data.
 */
class RecycleSegmentsTest {
  private static final int SEGMENT = 4096;
  private static final int RECORD = 100;

  @TempDir Path dir;

  private static WriteAheadLog.Builder builder(io.zerowal.core.storage.Storage storage) {
    return WriteAheadLog.builder(storage).segmentSize(SEGMENT).maxRecordSize(1000)
        .recycleSegments(true);
  }

  /** Appends {@code count} records of {@code size} bytes numbered from {@code from}, waits for all. */
  private static void append(WriteAheadLog log, int from, int count, int size) {
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      futures.add(log.append(LogFixture.payload(i, size)));
    }
    futures.forEach(CompletableFuture::join);
  }

  /**
   * Appends records 0 to 199 of {@value #RECORD} bytes (several segments) and truncates every
   * segment but the one being written, so that the log holds spares for its next rolls.
   */
  private static void fillAndTruncate(WriteAheadLog log) {
    append(log, 0, 200, RECORD);
    log.truncateBefore(log.nextSequence());
  }

  private static List<String> spares(MemoryStorage mem) throws IOException {
    return mem.list().stream().filter(SegmentRecycler::isSpare).toList();
  }

  private static int flags(byte[] segment) {
    return ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN).getShort(6) & 0xffff;
  }

  /** The segments of {@code mem} whose header says they were written into a recycled file. */
  private static long recycledSegments(MemoryStorage mem) {
    return LogFixture.files(mem).entrySet().stream()
        .filter(e -> SegmentName.parse(e.getKey()) >= 0 && e.getValue().length >= SegmentHeader.SIZE)
        .filter(e -> (flags(e.getValue()) & SegmentHeader.FLAG_RECYCLED) != 0).count();
  }

  private static void assertRecords(WriteAheadLog log, long first, long next, int size) {
    List<LogRecord> records = LogFixture.readAll(log);
    assertThat(log.firstSequence()).isEqualTo(first);
    assertThat(log.nextSequence()).isEqualTo(next);
    assertThat(LogFixture.sequences(records)).containsExactlyElementsOf(LogFixture.range(first, next));
    for (LogRecord r : records) {
      assertThat(r.payloadBytes()).as("record " + r.sequence())
          .isEqualTo(LogFixture.payload((int) r.sequence(), size));
    }
    assertThat(log.verify()).isEqualTo(next - first);
  }

  @Test
  void truncatedSegmentsAreWrittenOverByLaterSegmentsAndCleanedUpOnClose() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    try (WriteAheadLog log = builder(mem).open()) {
      append(log, 0, 200, RECORD);
      int segments = log.stats().segments();
      assertThat(segments).isGreaterThan(4);

      int removed = log.truncateBefore(log.nextSequence());

      assertThat(removed).isEqualTo(segments - 1);
      assertThat(spares(mem)).hasSize(SegmentRecycler.CAPACITY);
      assertThat(mem.list().stream().filter(n -> SegmentName.parse(n) >= 0)).hasSize(1);
      long first = log.firstSequence();

      append(log, 200, 100, RECORD); // rolls more than twice: two rolls take the spares
      assertThat(spares(mem)).isEmpty();
      assertThat(recycledSegments(mem)).isEqualTo(SegmentRecycler.CAPACITY);
      assertRecords(log, first, 300, RECORD);
    }
    assertThat(spares(mem)).as("close deletes the spares").isEmpty();
    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.recoveryReport().tornTail()).isFalse();
      assertThat(log.recoveryReport().bytesTruncated()).isZero();
      assertRecords(log, log.firstSequence(), 300, RECORD);
    }
  }

  @Test
  void recycledSegmentsAreCutBehindTheirFooterWhenSealed() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    try (WriteAheadLog log = builder(mem).open()) {
      fillAndTruncate(log);
      append(log, 200, 200, 10); // small records: a recycled segment seals before the old data ends
      long last = lastBase(mem);
      int checked = 0;
      for (Map.Entry<String, byte[]> e : LogFixture.files(mem).entrySet()) {
        byte[] bytes = e.getValue();
        long base = SegmentName.parse(e.getKey());
        if (base >= 0 && base != last && (flags(bytes) & SegmentHeader.FLAG_RECYCLED) != 0) {
          assertThat(footerAtEnd(bytes)).as(e.getKey() + " ends with its own footer")
              .isNotNull().extracting(RecordFrame.Footer::lastSequence)
              .matches(seq -> seq >= base);
          checked++;
        }
      }
      assertThat(checked).isPositive();
      assertThat(log.verify()).isEqualTo(log.nextSequence() - log.firstSequence());
    }
  }

  private static RecordFrame.Footer footerAtEnd(byte[] bytes) {
    return RecordFrame.decodeFooter(java.util.Arrays.copyOfRange(bytes,
        bytes.length - RecordFrame.FOOTER_SIZE, bytes.length));
  }

  private static long lastBase(MemoryStorage mem) throws IOException {
    return mem.list().stream().mapToLong(SegmentName::parse).max().orElseThrow();
  }

  /**
   * A kill -9 (every write reached the page cache, nothing was sealed) in a recycled segment: the
   * records end where the older segment's frames begin. Same-size records put the new data's end
   * exactly on an older frame; other sizes end it inside one. Neither is a torn tail.
   */
  @Test
  void processCrashInARecycledSegmentEndsItsDataQuietly() throws Exception {
    for (int size : new int[] {RECORD, 37, 333}) {
      MemoryStorage mem = new MemoryStorage();
      WriteAheadLog log = builder(mem).open();
      fillAndTruncate(log);
      long first = log.firstSequence();
      // Into a recycled file, ending before the older segment's footer (an older frame follows).
      int more = 20;
      append(log, 200, more, size);
      assertThat(recycledSegments(mem)).isPositive();
      Map<String, byte[]> files = LogFixture.files(mem); // the files as a kill -9 leaves them
      log.close();

      try (WriteAheadLog recovered = builder(LogFixture.storageWith(files)).open()) {
        RecoveryReport report = recovered.recoveryReport();
        assertThat(report.tornTail()).as("size " + size + ": " + report).isFalse();
        assertThat(report.recordsCut()).isZero();
        assertThat(recovered.nextSequence()).isEqualTo(200 + more);
        List<LogRecord> records = LogFixture.readAll(recovered);
        assertThat(records.get(0).sequence()).isEqualTo(first);
        assertThat(records.get(records.size() - 1).payloadBytes())
            .isEqualTo(LogFixture.payload(200 + more - 1, size));
        assertThat(recovered.verify()).isEqualTo(200 + more - first);
        recovered.append(new byte[] {1}).join();
      }
    }
  }

  /**
   * The older segment's footer at the very end of a recycled segment's file (the new data did not
   * reach it) is that older segment's, not a seal of this one.
   */
  @Test
  void anOlderSegmentsFooterAtTheEndIsNotASeal() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog log = builder(mem).open();
    fillAndTruncate(log);
    long base = log.nextSequence();
    append(log, 200, 25, RECORD); // fills the tail segment and rolls into a recycled file
    append(log, 225, 2, RECORD);
    Map<String, byte[]> files = LogFixture.files(mem);
    log.close();
    String last = files.keySet().stream().filter(n -> SegmentName.parse(n) >= 0)
        .max(String::compareTo).orElseThrow();
    byte[] bytes = files.get(last);
    assertThat(flags(bytes) & SegmentHeader.FLAG_RECYCLED).isNotZero();
    RecordFrame.Footer old = footerAtEnd(bytes);
    assertThat(old).as("the older segment's footer is still at the end").isNotNull();
    assertThat(old.lastSequence()).isLessThan(base);

    try (WriteAheadLog recovered = builder(LogFixture.storageWith(files)).open()) {
      assertThat(recovered.recoveryReport().tornTail()).isFalse();
      assertThat(recovered.nextSequence()).isEqualTo(227);
      assertThat(LogFixture.readAll(recovered).get((int) (226 - recovered.firstSequence()))
          .payloadBytes()).isEqualTo(LogFixture.payload(226, RECORD));
    }
  }

  /**
   * A power loss inside a seal: the footer reached the disk but not the cut of the file behind it,
   * so the older segment's bytes still follow this segment's own footer. Found by
   * {@link RecycleCrashPropertyTest}: recovery took the footer for a frame out of place and refused
   * to open the log.
   */
  @Test
  void aSealWhoseCutWasLostEndsTheDataAtItsFooter() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog log = builder(mem).open();
    fillAndTruncate(log);
    append(log, 200, 25, 37); // rolls into a recycled file, ends well before its older data
    long next = log.nextSequence();
    String last = SegmentName.of(lastBase(mem));
    byte[] before = LogFixture.files(mem).get(last); // new data, then the older segment's bytes
    log.close(); // seals: footer, cut
    Map<String, byte[]> files = LogFixture.files(mem);
    byte[] sealed = files.get(last);
    assertThat(footerAtEnd(sealed)).isNotNull();
    assertThat(before.length).isGreaterThan(sealed.length);
    byte[] uncut = before.clone();
    System.arraycopy(sealed, 0, uncut, 0, sealed.length); // the footer, and no cut
    files.put(last, uncut);

    try (WriteAheadLog recovered = builder(LogFixture.storageWith(files)).open()) {
      RecoveryReport report = recovered.recoveryReport();
      assertThat(report.tornTail()).as(report.toString()).isFalse();
      assertThat(recovered.nextSequence()).isEqualTo(next);
      assertThat(LogFixture.readAll(recovered).get((int) (next - 1 - recovered.firstSequence()))
          .payloadBytes()).isEqualTo(LogFixture.payload((int) next - 1, 37));
      recovered.append(new byte[] {3}).join();
      assertThat(recovered.verify()).isEqualTo(next + 1 - recovered.firstSequence());
    }
  }

  /**
   * A crash after a spare became the next segment but before its header was synced: the header is
   * the zeros the recycler wrote, so the segment is torn at creation, and none of the older
   * segment's frames behind it is counted as a record cut.
   */
  @Test
  void aRecycledSegmentTornAtCreationKeepsNoneOfTheOlderFrames() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    Map<String, byte[]> files;
    long next;
    try (WriteAheadLog log = builder(mem).open()) {
      fillAndTruncate(log);
      next = log.nextSequence();
      files = LogFixture.files(mem);
    }
    String spare = files.keySet().stream().filter(SegmentRecycler::isSpare).findFirst()
        .orElseThrow();
    byte[] bytes = files.remove(spare);
    assertThat(bytes.length).isGreaterThan(SEGMENT / 2);
    assertThat(java.util.Arrays.copyOf(bytes, SegmentHeader.SIZE))
        .as("the recycler cleared the header").containsOnly(0);
    // The tail was sealed by close; as if the roll had renamed the spare and then lost power:
    files.put(SegmentName.of(next), bytes);

    try (WriteAheadLog recovered = builder(LogFixture.storageWith(files)).open()) {
      RecoveryReport report = recovered.recoveryReport();
      assertThat(report.tornTail()).isTrue();
      assertThat(report.recordsCut()).as("older frames are not this segment's records").isZero();
      assertThat(recovered.nextSequence()).isEqualTo(next);
      assertThat(recovered.append(new byte[] {7}).join().sequence()).isEqualTo(next);
      assertThat(recovered.verify()).isEqualTo(next + 1 - recovered.firstSequence());
    }
  }

  @Test
  void openDeletesLeftoverSpares() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    Map<String, byte[]> files;
    try (WriteAheadLog log = builder(mem).open()) {
      fillAndTruncate(log);
      files = LogFixture.files(mem); // a kill -9 leaves the spares behind
    }
    assertThat(files.keySet().stream().filter(SegmentRecycler::isSpare)).hasSize(2);
    MemoryStorage crashed = LogFixture.storageWith(files);
    try (WriteAheadLog recovered = WriteAheadLog.builder(crashed).segmentSize(SEGMENT).open()) {
      assertThat(spares(crashed)).isEmpty();
      assertThat(recovered.nextSequence()).isEqualTo(200);
    }
  }

  @Test
  void aReaderOfASegmentWhoseFileIsReusedFailsSayingItWasTruncated() throws Exception {
    // Segments larger than a reader's 1 MiB buffer, so that the reader reads the file again.
    int segment = 2 << 20;
    int size = 1000;
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(segment)
        .recycleSegments(true).durability(Durability.NONE).open()) {
      int perSegment = segment / (size + RecordFrame.HEADER_SIZE);
      append(log, 0, perSegment * 3, size);
      try (LogReader reader = log.readFrom(0)) {
        Iterator<LogRecord> it = reader.iterator();
        assertThat(it.next().sequence()).isZero();
        log.truncateBefore(log.nextSequence());
        append(log, perSegment * 3, perSegment * 3, 7); // over the reader's file, other sizes
        assertThatThrownBy(() -> {
          while (it.hasNext()) {
            LogRecord r = it.next();
            assertThat(r.payloadBytes()).isEqualTo(LogFixture.payload((int) r.sequence(), size));
          }
        }).isInstanceOf(WalException.class).isNotInstanceOf(CorruptLogException.class)
            .hasMessageContaining("deleted by truncateBefore");
      }
    }
  }

  @Test
  void recycledSegmentsSurviveReopeningOnLocalDisk() throws Exception {
    try (WriteAheadLog log = builder(new LocalStorage(dir)).open()) {
      fillAndTruncate(log);
      append(log, 200, 100, RECORD);
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())
            .filter(SegmentRecycler::isSpare)).isEmpty();
      }
    }
    try (WriteAheadLog log = builder(new LocalStorage(dir)).open()) {
      assertThat(log.recoveryReport().tornTail()).isFalse();
      assertRecords(log, log.firstSequence(), 300, RECORD);
    }
  }

  @Test
  void aSpareDeletedByHandIsSkippedNotFatal() throws Exception {
    // Hostile probe: an operator cleaning the directory deleted the spares under a running log;
    // the next roll failed on the missing file and the log stopped taking appends.
    try (WriteAheadLog log = builder(new LocalStorage(dir)).open()) {
      fillAndTruncate(log);
      try (var files = Files.list(dir)) {
        for (Path p : files.filter(p -> SegmentRecycler.isSpare(p.getFileName().toString()))
            .toList()) {
          Files.delete(p);
        }
      }
      append(log, 200, 100, RECORD); // rolls three times
      assertRecords(log, log.firstSequence(), 300, RECORD);
    }
  }

  @Test
  void aStorageThatCannotWriteIntoFilesDeletesSegmentsInstead() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    ForwardingStorage noReopen = new ForwardingStorage(mem) {
      @Override
      public SegmentOutput openForWrite(String name, long position) {
        throw new UnsupportedOperationException("object store");
      }
    };
    try (WriteAheadLog log = builder(noReopen).open()) {
      fillAndTruncate(log);
      assertThat(spares(mem)).isEmpty();
      assertThat(mem.list().stream().filter(n -> SegmentName.parse(n) >= 0)).hasSize(1);
      append(log, 200, 100, RECORD);
      assertThat(recycledSegments(mem)).isZero();
      assertRecords(log, log.firstSequence(), 300, RECORD);
    }
  }
}
