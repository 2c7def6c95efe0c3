/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Eight clients send 10^5 records each over loopback: every record acked and processed once. */
class LoopbackLoadTest {
  private static final int CLIENTS = 8;
  private static final int RECORDS = 100_000;
  private static final int PER_BATCH = 100;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void eightClientsEveryRecordAckedAndProcessedOnce() throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(CLIENTS);
    try (IngestFixture f = IngestFixture.start(IngestServer.builder())) {
      long start = System.nanoTime();
      List<Future<Long>> results = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        results.add(senders.submit(() -> {
          long ackedRecords = 0;
          try (IngestClient ingest = f.client().build()) {
            List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
            for (int b = 0; b < RECORDS / PER_BATCH; b++) {
              acks.add(ingest.send(IngestFixture.records("c" + client + "-b" + b, PER_BATCH)));
            }
            for (CompletableFuture<BatchAck> a : acks) {
              assertThat(a.get(60, TimeUnit.SECONDS).duplicate()).isFalse();
              ackedRecords += PER_BATCH;
            }
          }
          return ackedRecords;
        }));
      }
      long acked = 0;
      for (Future<Long> r : results) {
        acked += r.get(100, TimeUnit.SECONDS);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      f.engine.stop();
      Map<String, Integer> counts = f.processedCounts();
      long duplicates = counts.values().stream().filter(n -> n > 1).count();
      System.out.printf("load: %d clients, %d records acked in %d ms; processed %d distinct,"
          + " %d duplicated%n", CLIENTS, acked, took.toMillis(), counts.size(), duplicates);
      assertThat(acked).isEqualTo((long) CLIENTS * RECORDS);
      assertThat(counts).hasSize(CLIENTS * RECORDS);
      assertThat(duplicates).isZero();
      assertThat(f.server.batchesStored()).isEqualTo(CLIENTS * RECORDS / PER_BATCH);
    } finally {
      senders.shutdownNow();
    }
  }
}
