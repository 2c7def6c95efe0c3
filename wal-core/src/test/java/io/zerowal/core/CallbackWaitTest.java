/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A completion callback that waits for an append of its own log fails fast instead of deadlocking
 * the log, whose threads run the callbacks. (A deadlock makes these tests time out.)
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallbackWaitTest {
  private final MemoryStorage memory = new MemoryStorage();

  /**
   * Attaches {@code callback} to an append so that it runs on one of the log's threads (retrying
   * while the append completes before the callback is attached) and returns what it threw.
   */
  private static Throwable failureOfCallbackOnALogThread(WriteAheadLog log,
      Function<RecordHandle, Object> callback) throws Exception {
    Thread test = Thread.currentThread();
    for (int attempt = 0; attempt < 1000; attempt++) {
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      CompletableFuture<Object> f = log.append(payload(attempt, 10)).thenApply(h -> {
        ranOn.set(Thread.currentThread());
        return callback.apply(h);
      });
      try {
        f.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (ranOn.get() != test) {
          return e.getCause();
        }
        continue;
      }
      if (ranOn.get() != test) {
        throw new AssertionError("the callback waited on a log thread without failing");
      }
    }
    throw new AssertionError("the callback never ran on a log thread");
  }

  /** The log took the failed callback in its stride: it appends, reads back and closes in time. */
  private static void assertStillAppendsAndCloses(WriteAheadLog log) throws Exception {
    RecordHandle later = await(log.append(payload(2, 5)));
    assertThat(bytes(log.read(later))).isEqualTo(payload(2, 5));
    CompletableFuture<Void> closed = CompletableFuture.runAsync(log::close);
    closed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void joinOfTheSameLogsAppendInACallbackFailsAndTheLogKeepsWorking() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(memory).open();
    Throwable t = failureOfCallbackOnALogThread(log, h -> log.append(payload(1, 5)).join());

    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock")
        .hasMessageContaining("thenCompose");
    assertStillAppendsAndCloses(log);
  }

  @Test
  void getOfAStageChainedOnTheSameLogsAppendInACallbackFails() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      Throwable t = failureOfCallbackOnALogThread(log, h -> {
        try {
          return log.append(payload(3, 5)).thenApply(RecordHandle::sequence).get();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });

      assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock");
      assertThat(await(log.append(payload(4, 5))).sequence()).isPositive();
    }
  }

  @Test
  void anAppendInACallbackWhenTheLogIsFullFailsInsteadOfWaitingForItself() throws Exception {
    // Found by a hostile probe: 8 producers, maxPendingBytes 8 MiB, BLOCK, a callback appending
    // on the sync thread waited for room that only that thread could make; the log hung.
    WriteAheadLog log = WriteAheadLog.builder(memory).durability(Durability.SYNC)
        .maxRecordSize(1024).maxPendingBytes(4096).backPressure(BackPressure.BLOCK).open();
    Throwable t = failureOfCallbackOnALogThread(log, h -> {
      for (int i = 0; i < 1000; i++) { // each adds its frame; nothing completes meanwhile
        log.append(payload(100 + i, 100));
      }
      return null;
    });

    assertThat(t).isInstanceOf(BackPressureException.class).hasMessageContaining("deadlock")
        .hasMessageContaining("maxPendingBytes 4096");
    assertStillAppendsAndCloses(log);
  }

  @Test
  void joinOfAnotherLogsAppendInACallbackIsAllowed() throws Exception {
    MemoryStorage other = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open();
        WriteAheadLog second = WriteAheadLog.builder(other).open()) {
      RecordHandle h = await(log.append(payload(5, 5))
          .thenApply(x -> second.append(payload(6, 5)).join()));
      assertThat(bytes(second.read(h))).isEqualTo(payload(6, 5));
    }
  }
}
