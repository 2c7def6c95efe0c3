/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appenders, a truncator and readers at once, then close: nothing deadlocks, every future settles,
 * readers see only correct payloads or a clear {@link WalException}.
 */
class ConcurrencyTest {
  private static final int APPENDERS = 6;
  private static final int PER_APPENDER = 3000;

  @TempDir Path dir;

  @Test
  void appendTruncateReadAndCloseTogetherOnMemoryStorage() throws Exception {
    MemoryStorage memory = new MemoryStorage();
    runTogether(memory, () -> WriteAheadLog.builder(memory).segmentSize(8192).maxRecordSize(1000));
  }

  @Test
  void appendTruncateReadAndCloseTogetherOnLocalStorage() throws Exception {
    runTogether(new LocalStorage(dir), () -> {
      try {
        return WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(8192).maxRecordSize(1000)
            .durability(Durability.FLUSH);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private interface Opener {
    WriteAheadLog.Builder builder();
  }

  private void runTogether(Storage storage, Opener opener) throws Exception {
    WriteAheadLog log = opener.builder().open();
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<RecordHandle>> futures = new ConcurrentLinkedQueue<>();
    Map<Long, byte[]> acked = new ConcurrentHashMap<>();
    AtomicReference<RecordHandle> latest = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();

    for (int t = 0; t < APPENDERS; t++) {
      int id = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < PER_APPENDER; i++) {
          byte[] p = payload(id * 1_000_000L + i, 1 + i % 300);
          try {
            CompletableFuture<RecordHandle> f = log.append(p);
            futures.add(f);
            f.thenAccept(h -> {
              acked.put(h.sequence(), p);
              latest.set(h);
            });
          } catch (LogClosedException closed) {
            return;
          } catch (Throwable e) {
            unexpected.add(e);
            return;
          }
        }
      }, "appender-" + t));
    }
    threads.add(new Thread(() -> {
      while (!stop.get()) {
        try {
          log.truncateBefore(Math.max(0, log.nextSequence() - 200));
        } catch (LogClosedException closed) {
          return;
        } catch (Throwable e) {
          unexpected.add(e);
          return;
        }
      }
    }, "truncator"));
    threads.add(new Thread(() -> {
      while (!stop.get()) {
        try {
          RecordHandle h = latest.get();
          if (h != null) {
            check(acked, h.sequence(), TestLogs.bytes(log.read(h)));
          }
          try (LogReader r = log.readFrom(log.firstSequence())) {
            int n = 0;
            for (LogRecord rec : r) {
              check(acked, rec.sequence(), rec.payloadBytes());
              if (++n == 500) {
                break;
              }
            }
          }
        } catch (LogClosedException closed) {
          return;
        } catch (WalException deleted) {
          if (deleted.getClass() != WalException.class
              || !deleted.getMessage().contains("truncateBefore")) {
            unexpected.add(deleted);
            return;
          }
        } catch (Throwable e) {
          unexpected.add(e);
          return;
        }
      }
    }, "reader"));

    threads.forEach(Thread::start);
    assertThat(TestLogs.eventually(() -> acked.size() >= APPENDERS * PER_APPENDER / 3)).isTrue();
    assertTimeoutPreemptively(Duration.ofSeconds(TestLogs.WAIT_SECONDS), log::close);
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(TestLogs.WAIT_SECONDS));
      assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
    }

    assertThat(unexpected).isEmpty();
    long succeeded = 0;
    for (CompletableFuture<RecordHandle> f : futures) {
      try {
        f.get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
        succeeded++;
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(LogClosedException.class);
      }
    }
    assertThat(succeeded).isGreaterThanOrEqualTo(APPENDERS * PER_APPENDER / 3);

    try (WriteAheadLog again = opener.builder().open()) {
      long first = again.firstSequence();
      Map<Long, byte[]> found = new ConcurrentHashMap<>();
      try (LogReader r = again.readFrom(first)) {
        for (LogRecord rec : r) {
          found.put(rec.sequence(), rec.payloadBytes());
        }
      }
      assertThat((long) found.size()).isEqualTo(again.nextSequence() - first);
      for (Map.Entry<Long, byte[]> e : acked.entrySet()) {
        if (e.getKey() >= first) {
          assertThat(found.get(e.getKey())).as("acknowledged record %d", e.getKey())
              .isEqualTo(e.getValue());
        }
      }
    }
  }

  private static void check(Map<Long, byte[]> acked, long sequence, byte[] read) {
    byte[] expected = acked.get(sequence);
    if (expected != null) {
      assertThat(read).as("record %d", sequence).isEqualTo(expected);
    }
  }
}
