/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReadOnlyLog}: opening a log to look at it writes nothing (every file's name and bytes are
 * the same afterwards), takes no lock, and reports exactly what a real open then does.
 */
class ReadOnlyLogTest {
  private static final int RECORDS = 60;
  private static final int PAYLOAD = 200;

  @TempDir Path dir;

  private WriteAheadLog.Builder builder() throws IOException {
    return WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096).maxRecordSize(1024)
        .durability(Durability.FLUSH);
  }

  private void writeLog(boolean close) throws Exception {
    WriteAheadLog log = builder().open();
    TestLogs.appendAll(log, TestLogs.payloads(RECORDS, PAYLOAD));
    if (close) {
      log.close();
    } else {
      // As a kill leaves it: release the lock without sealing the last segment.
      Files.copy(dir.resolve(segments().get(segments().size() - 1)), dir.resolve("tail.copy"));
      log.close();
      String last = segments().get(segments().size() - 1);
      Files.move(dir.resolve("tail.copy"), dir.resolve(last),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private List<String> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted()
          .toList();
    }
  }

  /** Every file of the directory, lock file included, by name. */
  private Map<String, List<Byte>> files() throws IOException {
    Map<String, List<Byte>> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : Files.readAllBytes(p)) {
          bytes.add(b);
        }
        out.put(p.getFileName().toString(), bytes);
      }
    }
    return out;
  }

  private static void assertSameOutcome(RecoveryReport planned, RecoveryReport done) {
    assertThat(planned.segments()).as("segments").isEqualTo(done.segments());
    assertThat(planned.records()).as("records").isEqualTo(done.records());
    assertThat(planned.firstSequence()).as("firstSequence").isEqualTo(done.firstSequence());
    assertThat(planned.nextSequence()).as("nextSequence").isEqualTo(done.nextSequence());
    assertThat(planned.bytesTruncated()).as("bytesTruncated").isEqualTo(done.bytesTruncated());
    assertThat(planned.tornTail()).as("tornTail").isEqualTo(done.tornTail());
    assertThat(planned.recordsCut()).as("recordsCut").isEqualTo(done.recordsCut());
    assertThat(planned.recordsSkipped()).as("recordsSkipped").isEqualTo(done.recordsSkipped());
    assertThat(planned.corruptSegments()).as("corruptSegments")
        .isEqualTo(done.corruptSegments());
    assertThat(planned.bytesScanned()).as("bytesScanned").isEqualTo(done.bytesScanned());
  }

  private static List<Long> sequences(LogReader reader) {
    List<Long> out = new ArrayList<>();
    try (reader) {
      reader.forEach(r -> out.add(r.sequence()));
    }
    return out;
  }

  @Test
  void cleanLogIsReadWithoutAnyChangeAndNothingPlanned() throws Exception {
    writeLog(true);
    Map<String, List<Byte>> before = files();

    try (ReadOnlyLog view = builder().openReadOnly()) {
      assertThat(view.plannedChanges()).isEmpty();
      assertThat(view.firstSequence()).isZero();
      assertThat(view.nextSequence()).isEqualTo(RECORDS);
      assertThat(view.recoveryReport().tornTail()).isFalse();
      assertThat(sequences(view.readFrom(0))).containsExactlyElementsOf(LogFixture.range(0, RECORDS));
      assertThat(view.segments()).extracting(SegmentInfo::name).containsExactlyElementsOf(segments());
      assertThat(view.segments()).allMatch(SegmentInfo::sealed);
      assertThat(view.segments().stream().mapToLong(SegmentInfo::records).sum()).isEqualTo(RECORDS);
      ReadOnlyLog.Verification v = view.verify(name -> { });
      assertThat(v.ok()).isTrue();
      assertThat(v.records()).isEqualTo(RECORDS);
    }

    assertThat(files()).isEqualTo(before);
  }

  @Test
  void tornTailIsReportedAndPlannedButNotCut() throws Exception {
    writeLog(false);
    String last = segments().get(segments().size() - 1);
    byte[] tail = Files.readAllBytes(dir.resolve(last));
    Files.write(dir.resolve(last), LogFixture.cut(tail, 7)); // the last frame torn
    Map<String, List<Byte>> before = files();

    RecoveryReport planned;
    List<String> changes;
    try (ReadOnlyLog view = builder().openReadOnly()) {
      planned = view.recoveryReport();
      changes = view.plannedChanges();
      assertThat(planned.tornTail()).isTrue();
      assertThat(planned.bytesTruncated()).isEqualTo(PAYLOAD + RecordFrame.HEADER_SIZE - 7);
      assertThat(changes).containsExactly("truncate " + last + " from " + (tail.length - 7)
          + " to " + (tail.length - 7 - (PAYLOAD + RecordFrame.HEADER_SIZE - 7)) + " bytes");
      assertThat(sequences(view.readFrom(0)))
          .containsExactlyElementsOf(LogFixture.range(0, RECORDS - 1));
      assertThat(view.verify(name -> { }).ok()).as("a torn tail is not corruption").isTrue();
    }
    assertThat(files()).isEqualTo(before);

    try (WriteAheadLog log = builder().open()) {
      assertSameOutcome(planned, log.recoveryReport());
    }
    // Cut as planned, then sealed by the close.
    assertThat(Files.size(dir.resolve(last)))
        .isEqualTo(tail.length - PAYLOAD - RecordFrame.HEADER_SIZE + RecordFrame.FOOTER_SIZE);
  }

  @Test
  void corruptMidLogSegmentFailsStrictAsOpenDoesAndItsSalvageIsOnlyPlanned() throws Exception {
    writeLog(true);
    List<String> names = segments();
    String middle = names.get(1);
    byte[] bytes = Files.readAllBytes(dir.resolve(middle));
    Files.write(dir.resolve(middle), LogFixture.flipBit(bytes, SegmentHeader.SIZE + 40, 3));
    // The footer is trusted by open: damage the footer's count too so that recovery sees it.
    byte[] damaged = Files.readAllBytes(dir.resolve(middle));
    damaged[damaged.length - 10] ^= 1;
    Files.write(dir.resolve(middle), damaged);
    Files.write(dir.resolve("next-segment.spare"), new byte[4096]);
    Map<String, List<Byte>> before = files();

    CorruptLogException strictView = null;
    try (ReadOnlyLog view = builder().openReadOnly()) {
      throw new AssertionError("expected a CorruptLogException, got " + view.recoveryReport());
    } catch (CorruptLogException e) {
      strictView = e;
    }
    assertThat(files()).isEqualTo(before);

    RecoveryReport planned;
    List<Long> viewRecords;
    try (ReadOnlyLog view = builder().recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).openReadOnly()) {
      planned = view.recoveryReport();
      assertThat(planned.corruptSegments()).containsExactly(middle + ".corrupt");
      assertThat(view.plannedChanges()).startsWith("delete next-segment.spare")
          .contains("rename " + middle + " to " + middle + ".corrupt")
          .anyMatch(c -> c.startsWith("create " + middle + ".tmp ("));
      ReadOnlyLog.Verification v = view.verify(name -> { });
      assertThat(v.problems()).hasSize(1);
      assertThat(v.problems().get(0).getMessage()).contains(middle);
      viewRecords = sequences(view.readFrom(0));
    }
    assertThat(files()).isEqualTo(before);

    assertThatThrownBy(() -> builder().open()).isInstanceOf(CorruptLogException.class)
        .hasMessage(strictView.getMessage());
    try (WriteAheadLog log = builder().recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertSameOutcome(planned, log.recoveryReport());
      assertThat(viewRecords).as("the view reads what the repair keeps")
          .hasSize(RECORDS - 1).isEqualTo(sequences(log.readFrom(0)));
    }
    assertThat(Files.exists(dir.resolve(middle + ".corrupt"))).isTrue();
    assertThat(Files.exists(dir.resolve("next-segment.spare"))).isFalse();
  }

  @Test
  void verifyNamesEveryDamagedSegmentWithItsOffset() throws Exception {
    writeLog(true);
    List<String> names = segments();
    for (int i : new int[] {0, 2}) {
      byte[] bytes = Files.readAllBytes(dir.resolve(names.get(i)));
      Files.write(dir.resolve(names.get(i)), LogFixture.flipBit(bytes, SegmentHeader.SIZE
          + RecordFrame.HEADER_SIZE + 5, 0)); // the first record's payload
    }
    List<String> started = new ArrayList<>();

    try (ReadOnlyLog view = builder().openReadOnly()) {
      ReadOnlyLog.Verification v = view.verify(started::add);
      assertThat(started).containsExactlyElementsOf(names);
      assertThat(v.problems()).extracting(CorruptLogException::getMessage)
          .satisfiesExactly(
              m -> assertThat(m).contains(names.get(0)).contains("offset " + SegmentHeader.SIZE),
              m -> assertThat(m).contains(names.get(2)).contains("offset " + SegmentHeader.SIZE));
      assertThat(v.segments()).isEqualTo(names.size());
    }
  }

  @Test
  void opensWithoutTheLockWhileAWriterHoldsTheLogAndSeesItsSnapshot() throws Exception {
    try (WriteAheadLog writer = builder().durability(Durability.SYNC).open()) {
      TestLogs.appendAll(writer, TestLogs.payloads(RECORDS, PAYLOAD));
      assertThatThrownBy(() -> builder().open()).isInstanceOf(LogLockedException.class);

      try (ReadOnlyLog view = builder().openReadOnly()) {
        assertThat(view.nextSequence()).isEqualTo(RECORDS);
        assertThat(view.plannedChanges()).isEmpty();
        TestLogs.appendAll(writer, TestLogs.payloads(10, PAYLOAD)); // the writer goes on
        assertThat(sequences(view.readFrom(0)))
            .containsExactlyElementsOf(LogFixture.range(0, RECORDS));
        assertThat(view.verify(name -> { }).ok()).isTrue();
      }
      assertThat(writer.nextSequence()).isEqualTo(RECORDS + 10);
      TestLogs.appendAll(writer, TestLogs.payloads(1, PAYLOAD)); // and still holds its lock
    }
  }

  @Test
  void aViewOnTheWritersOwnStorageLeavesItsLockAlone() throws Exception {
    LocalStorage shared = new LocalStorage(dir);
    try (WriteAheadLog writer = WriteAheadLog.builder(shared).open()) {
      writer.append(new byte[] {1}).join();

      try (ReadOnlyLog view = WriteAheadLog.builder(shared).openReadOnly()) {
        assertThat(view.nextSequence()).isEqualTo(1);
      }

      assertThatThrownBy(() -> builder().open()).as("the writer still holds the lock")
          .isInstanceOf(LogLockedException.class);
      writer.append(new byte[] {2}).join();
    }
  }

  @Test
  void closedViewRefusesCalls() throws Exception {
    writeLog(true);
    ReadOnlyLog view = builder().openReadOnly();
    view.close();
    view.close();
    assertThatThrownBy(view::nextSequence).isInstanceOf(LogClosedException.class);
  }
}
