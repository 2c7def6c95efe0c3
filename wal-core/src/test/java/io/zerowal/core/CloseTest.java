/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.appendAll;
import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.eventually;
import static io.zerowal.core.TestLogs.payload;
import static io.zerowal.core.TestLogs.payloads;
import static io.zerowal.core.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.LocalStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code close}: it drains what was appended before it, is idempotent and safe from a completion
 * callback, makes every later call fail, and leaves a log that reopens where it stopped.
 */
class CloseTest {
  @TempDir Path dir;
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  @Test
  void closeIsIdempotent() {
    WriteAheadLog log = logs.openMemory();

    log.close();
    log.close();

    assertThatThrownBy(log::nextSequence).isInstanceOf(LogClosedException.class);
  }

  @Test
  void closeDrainsEveryAppendMadeBeforeIt() throws Exception {
    WriteAheadLog log = logs.open(WriteAheadLog.builder(logs.memory));
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
    try (WriteAheadLog again = logs.open(WriteAheadLog.builder(logs.memory))) {
      List<LogRecord> all = readAll(again, firstQueued);
      assertThat(all).hasSize(data.size());
      for (int i = 0; i < data.size(); i++) {
        assertThat(all.get(i).payloadBytes()).isEqualTo(data.get(i));
      }
    }
  }

  @Test
  void everyCallAfterCloseThrowsLogClosedException() throws Exception {
    WriteAheadLog log = logs.openMemory();
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
    WriteAheadLog log = logs.openMemory();
    appendAll(log, payloads(3, 10));
    LogReader r = log.readFrom(0);
    log.close();

    assertThatThrownBy(() -> r.iterator().hasNext()).isInstanceOf(LogClosedException.class);
    r.close();
  }

  @Test
  void closeFromACompletionCallbackDoesNotDeadlockAndStillDrainsTheQueue() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(logs.memory).open();
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
      try (WriteAheadLog again = WriteAheadLog.builder(logs.memory).open()) {
        return again.nextSequence() == expectedNext;
      } catch (LogLockedException stillLocked) {
        return false;
      }
    })).isTrue();
  }

  @Test
  void aSecondCloseReturnsOnlyOnceTheFirstHasReleasedTheStorage() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(logs.memory).open();
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
      try (WriteAheadLog again = WriteAheadLog.builder(logs.memory).open()) {
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

  // ---------------------------------------------------------------- reopening after a clean close

  @Test
  void reopenAfterCloseContinuesTheSequence() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(logs.memory).open()) {
      appendAll(log, payloads(7, 10));
    }
    try (WriteAheadLog log = WriteAheadLog.builder(logs.memory).open()) {
      assertThat(log.nextSequence()).isEqualTo(7);
      assertThat(log.recoveryReport().records()).isEqualTo(7);
      assertThat(await(log.append(payload(7, 10))).sequence()).isEqualTo(7);
      assertThat(readAll(log, 0)).extracting(LogRecord::sequence)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
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
}
