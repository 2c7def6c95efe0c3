/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.StorageLockedException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the log fails: broken and full media, bad input, a second writer, back-pressure. */
class FailureTest {
  @TempDir Path dir;

  private final MemoryStorage memory = new MemoryStorage();

  private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
    try {
      f.get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected " + f + " to fail");
  }

  /** Appends until {@code f} fails, remembering what completed. Returns the acknowledged records. */
  private static Map<Long, byte[]> acknowledged(List<CompletableFuture<RecordHandle>> futures,
      List<byte[]> payloads) throws Exception {
    Map<Long, byte[]> acked = new LinkedHashMap<>();
    for (int i = 0; i < futures.size(); i++) {
      CompletableFuture<RecordHandle> f = futures.get(i);
      try {
        acked.put(f.get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS).sequence(), payloads.get(i));
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(LogFailedException.class);
      }
    }
    return acked;
  }

  private static void assertPresent(WriteAheadLog log, Map<Long, byte[]> acked) {
    Map<Long, byte[]> found = new LinkedHashMap<>();
    try (LogReader r = log.readFrom(log.firstSequence())) {
      for (LogRecord rec : r) {
        found.put(rec.sequence(), rec.payloadBytes());
      }
    }
    for (Map.Entry<Long, byte[]> e : acked.entrySet()) {
      assertThat(found.get(e.getKey())).as("acknowledged record %d", e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  // ---------------------------------------------------------------- failed sync and write

  @Test
  void failedSyncFailsThePendingGroupWithLogFailedException() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(memory).open();
    await(log.append(payload(0, 10)));
    memory.failNextSync();

    Throwable failure = failureOf(log.append(payload(1, 10)));

    assertThat(failure).isInstanceOf(LogFailedException.class)
        .hasMessageContaining("simulated sync failure").hasMessageContaining("open it again");
    log.close();
  }

  @Test
  void afterAFailedSyncEveryAppendFailsWithLogFailedException() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(memory).open();
    memory.failNextSync();
    failureOf(log.append(payload(0, 10)));

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> log.append(payload(1, 10)))
          .isInstanceOf(LogFailedException.class).hasMessageContaining("simulated sync failure");
    }
    log.close();
  }

  @Test
  void aFailedSyncIsNeverRetried() throws Exception {
    ObservedStorage storage = new ObservedStorage(memory);
    WriteAheadLog log = WriteAheadLog.builder(storage).open();
    CountDownLatch inSync = storage.holdNextSyncThenFail();
    CompletableFuture<RecordHandle> failing = log.append(payload(0, 10));
    assertThat(inSync.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    storage.failHeldSync();
    failureOf(failing);
    log.close();

    assertThat(storage.callsAfterFailedSync.get()).as("writes, syncs and creates after the failure")
        .isZero();
  }

  @Test
  void appendsQueuedBehindAFailedSyncFailAndTheLogStillCloses() throws Exception {
    ObservedStorage storage = new ObservedStorage(memory);
    WriteAheadLog log = WriteAheadLog.builder(storage).open();
    CountDownLatch inSync = storage.holdNextSyncThenFail();
    CompletableFuture<RecordHandle> failing = log.append(payload(0, 10));
    assertThat(inSync.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<RecordHandle>> behind = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      behind.add(log.append(payload(i, 10))); // queued while the writer is inside the sync
    }

    storage.failHeldSync();

    assertThat(failureOf(failing)).isInstanceOf(LogFailedException.class);
    for (CompletableFuture<RecordHandle> f : behind) {
      assertThat(failureOf(f)).isInstanceOf(LogFailedException.class);
    }
    assertTimeoutPreemptively(Duration.ofSeconds(TestLogs.WAIT_SECONDS), log::close);
    assertThat(storage.callsAfterFailedSync.get()).isZero();
  }

  @Test
  void afterAFailedSyncReopenKeepsEveryAcknowledgedRecord() throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    WriteAheadLog log = WriteAheadLog.builder(memory).segmentSize(8192).maxRecordSize(1000).open();
    for (int i = 0; i < 200; i++) {
      if (i == 120) {
        memory.failNextSync();
      }
      payloads.add(payload(i, 37 + i % 50));
      try {
        futures.add(log.append(payloads.get(i)));
      } catch (LogFailedException expected) {
        payloads.remove(i);
        break;
      }
      if (i % 10 == 0) {
        futures.get(i).handle((h, e) -> null).get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
    Map<Long, byte[]> acked = acknowledged(futures, payloads);
    log.close();
    assertThat(acked).hasSizeGreaterThanOrEqualTo(100);

    try (WriteAheadLog again = WriteAheadLog.builder(memory).segmentSize(8192)
        .maxRecordSize(1000).open()) {
      assertPresent(again, acked);
      RecordHandle next = await(again.append(payload(999, 10)));
      assertThat(next.sequence()).isEqualTo(again.nextSequence() - 1);
    }
  }

  @Test
  void afterAFailedWriteReopenKeepsEveryAcknowledgedRecord() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(memory).open();
    List<byte[]> payloads = new ArrayList<>();
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      payloads.add(payload(i, 100));
      futures.add(log.append(payloads.get(i)));
    }
    await(futures.get(49));
    memory.failNextWrite();
    CompletableFuture<RecordHandle> failing = log.append(payload(50, 100));

    Throwable failure = failureOf(failing);
    assertThat(failure).isInstanceOf(LogFailedException.class)
        .hasMessageContaining("simulated write failure");
    assertThatThrownBy(() -> log.append(payload(51, 10))).isInstanceOf(LogFailedException.class);
    Map<Long, byte[]> acked = acknowledged(futures, payloads);
    log.close();

    try (WriteAheadLog again = WriteAheadLog.builder(memory).open()) {
      assertThat(again.nextSequence()).isEqualTo(50);
      assertPresent(again, acked);
      assertThat(await(again.append(payload(50, 100))).sequence()).isEqualTo(50);
    }
  }

  @Test
  void fullDiskFailsTheAppendClearlyAndAfterMoreSpaceTheLogReopensAndContinues()
      throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(memory).open();
    List<byte[]> payloads = new ArrayList<>();
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      payloads.add(payload(i, 1000));
      futures.add(log.append(payloads.get(i)));
    }
    await(futures.get(19));
    memory.setCapacity(memory.usedBytes() + 500);

    Throwable failure = failureOf(log.append(payload(20, 1000)));
    assertThat(failure).isInstanceOf(LogFailedException.class)
        .hasMessageContaining("No space left on device");
    Map<Long, byte[]> acked = acknowledged(futures, payloads);
    log.close();

    memory.setCapacity(Long.MAX_VALUE);
    try (WriteAheadLog again = WriteAheadLog.builder(memory).open()) {
      assertThat(again.recoveryReport().tornTail()).isTrue();
      assertThat(again.nextSequence()).isEqualTo(20);
      assertPresent(again, acked);
      RecordHandle h = await(again.append(payload(20, 1000)));
      assertThat(h.sequence()).isEqualTo(20);
      assertThat(bytes(again.read(h))).isEqualTo(payload(20, 1000));
    }
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void oversizeRecordIsRejectedAndTheLogKeepsWorking() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).maxRecordSize(100).open()) {
      assertThatThrownBy(() -> log.append(new byte[101]))
          .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("101")
          .hasMessageContaining("maxRecordSize 100");
      assertThatThrownBy(() -> log.append(ByteBuffer.allocateDirect(1000)))
          .isInstanceOf(RecordTooLargeException.class);

      RecordHandle h = await(log.append(payload(0, 100)));
      assertThat(h.sequence()).isZero();
      assertThat(bytes(log.read(h))).isEqualTo(payload(0, 100));
    }
  }

  @Test
  void nullPayloadIsRejectedNamingTheArgument() {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      assertThatThrownBy(() -> log.append((byte[]) null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("payload");
      assertThatThrownBy(() -> log.append((ByteBuffer) null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("payload");
    }
  }

  @Test
  void nullHandleIsRejectedNamingTheArgument() {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      assertThatThrownBy(() -> log.read(null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("handle");
    }
  }

  @Test
  void handleOfAnotherLogIsRejected() throws Exception {
    RecordHandle foreign;
    try (WriteAheadLog other = WriteAheadLog.builder(new MemoryStorage()).open()) {
      for (int i = 0; i < 5; i++) {
        other.append(payload(i, 10));
      }
      foreign = await(other.append(payload(5, 10)));
    }
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      await(log.append(payload(0, 10)));
      assertThatThrownBy(() -> log.read(foreign)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("another log");
    }
  }

  // ---------------------------------------------------------------- a second writer

  @Test
  void secondLogOnTheSameMemoryStorageFailsWhileTheFirstIsOpen() throws Exception {
    WriteAheadLog first = WriteAheadLog.builder(memory).open();
    await(first.append(payload(0, 10)));

    assertThatThrownBy(() -> WriteAheadLog.builder(memory).open())
        .isInstanceOf(LogLockedException.class).hasMessageContaining("locked")
        .hasCauseInstanceOf(StorageLockedException.class);
    assertThatThrownBy(() -> WriteAheadLog.builder(memory).open())
        .as("the failed open must not have released the first log's lock")
        .hasCauseInstanceOf(StorageLockedException.class);
    assertThat(await(first.append(payload(1, 10))).sequence()).isEqualTo(1);

    first.close();
    try (WriteAheadLog second = WriteAheadLog.builder(memory).open()) {
      assertThat(second.nextSequence()).isEqualTo(2);
    }
  }

  @Test
  void secondLogOnTheSameLocalDirectoryFailsWhileTheFirstIsOpen() throws Exception {
    WriteAheadLog first = WriteAheadLog.builder(new LocalStorage(dir)).open();
    await(first.append(payload(0, 10)));

    assertThatThrownBy(() -> WriteAheadLog.builder(new LocalStorage(dir)).open())
        .isInstanceOf(LogLockedException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString())
        .hasMessageContaining("already open")
        .hasCauseInstanceOf(StorageLockedException.class);
    assertThatThrownBy(() -> WriteAheadLog.builder(new LocalStorage(dir)).open())
        .as("the failed open must not have released the first log's lock")
        .hasCauseInstanceOf(StorageLockedException.class);
    assertThat(await(first.append(payload(1, 10))).sequence()).isEqualTo(1);

    first.close();
    try (WriteAheadLog second = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      assertThat(second.nextSequence()).isEqualTo(2);
    }
  }

  // ---------------------------------------------------------------- format version

  @Test
  void unknownSegmentFormatVersionFailsOpenNamingTheVersionAndWhatToDo() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      await(log.append(payload(0, 10)));
    }
    String segment = SegmentName.of(0);
    byte[] original = memory.contents(segment);
    byte[] changed = original.clone();
    ByteBuffer b = ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(4, (short) 7);
    CRC32C crc = new CRC32C();
    crc.update(changed, 0, SegmentHeader.SIZE - 4);
    b.putInt(SegmentHeader.SIZE - 4, RecordFrame.mask((int) crc.getValue()));
    memory.replaceContents(segment, changed);

    assertThatThrownBy(() -> WriteAheadLog.builder(memory).open())
        .isInstanceOf(WalException.class).isNotInstanceOf(CorruptLogException.class)
        .hasMessageContaining(segment).hasMessageContaining("version 7")
        .hasMessageContaining("open the log with the ZeroWAL release that wrote it");

    memory.replaceContents(segment, original);
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      assertThat(log.nextSequence()).as("the failed open released its lock").isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------- back-pressure

  @Test
  void failFastBackPressureRefusesAppendsWhileTheWriterIsStalled() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).maxRecordSize(1000)
        .maxPendingBytes(3000).backPressure(BackPressure.FAIL_FAST).open()) {
      List<CompletableFuture<RecordHandle>> accepted = new ArrayList<>();
      try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
        accepted.add(log.append(payload(0, 1000)));
        accepted.add(log.append(payload(1, 1000)));

        assertThatThrownBy(() -> log.append(payload(2, 1000)))
            .isInstanceOf(BackPressureException.class).hasMessageContaining("maxPendingBytes is 3000")
            .hasMessageContaining("BackPressure.BLOCK");
      }
      for (CompletableFuture<RecordHandle> f : accepted) {
        assertThat(bytes(log.read(await(f)))).hasSize(1000);
      }
      assertThat(TestLogs.eventually(() -> log.stats().pendingBytes() == 0)).isTrue();
      assertThat(await(log.append(payload(4, 1000))).length()).isEqualTo(1000);
    }
  }

  @Test
  void blockingBackPressureWaitsAndProceedsWhenRoomFrees() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).maxRecordSize(1000)
        .maxPendingBytes(2100).backPressure(BackPressure.BLOCK).open()) {
      AtomicReference<CompletableFuture<RecordHandle>> blocked = new AtomicReference<>();
      Thread appender;
      try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
        await(stall.stalledAppend);
        CompletableFuture<RecordHandle> queued = log.append(payload(0, 1000));
        CompletableFuture<RecordHandle> queued2 = log.append(payload(1, 1000));
        appender = new Thread(() -> blocked.set(log.append(payload(2, 1000))), "blocked-appender");
        appender.start();
        assertThat(TestLogs.eventually(() -> appender.getState() == Thread.State.TIMED_WAITING
            || appender.getState() == Thread.State.WAITING)).isTrue();
        assertThat(blocked.get()).as("append returned while the log was full").isNull();
        assertThat(queued).isNotDone();
        assertThat(queued2).isNotDone();
      }
      appender.join(TimeUnit.SECONDS.toMillis(TestLogs.WAIT_SECONDS));
      assertThat(appender.isAlive()).isFalse();
      RecordHandle h = await(blocked.get());
      assertThat(bytes(log.read(h))).isEqualTo(payload(2, 1000));
    }
  }
}
