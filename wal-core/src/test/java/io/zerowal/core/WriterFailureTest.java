/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriterFailureTest {

  @Test
  void writerStopsAfterAFailedWriteOrSyncWhileAppendersKeepQueueing() throws Exception {
    for (int attempt = 0; attempt < 40; attempt++) {
      MemoryStorage storage = new MemoryStorage();
      WriteAheadLog log = WriteAheadLog.builder(storage).open();
      ExecutorService appenders = Executors.newFixedThreadPool(4);
      List<Future<?>> running = new ArrayList<>();
      List<CompletableFuture<RecordHandle>> appended = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < 4; t++) {
        running.add(appenders.submit(() -> {
          try {
            while (true) {
              appended.add(log.append(new byte[64]));
            }
          } catch (WalException expected) {
            return null; // the log failed or closed
          }
        }));
      }
      Thread.sleep(5);
      if (attempt % 2 == 0) {
        storage.failNextSync();
      } else {
        storage.failNextWrite();
      }
      CompletableFuture<Void> closed = CompletableFuture.runAsync(log::close);
      // Before the fix the writer thread spun forever on records the failure had already settled.
      assertThat(closed).succeedsWithin(Duration.ofSeconds(10));
      for (Future<?> f : running) {
        f.get(10, TimeUnit.SECONDS);
      }
      appenders.shutdown();
      assertThat(appended).allMatch(CompletableFuture::isDone);
    }
  }
}
