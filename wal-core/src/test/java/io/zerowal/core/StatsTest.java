/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.appendAll;
import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.payload;
import static io.zerowal.core.TestLogs.payloads;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@link LogStats} counts, checked against the storage's own count of syncs and flushes: one
 * per group, as the durability asks.
 */
class StatsTest {
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  @Test
  void concurrentAppendersShareGroupsAndSyncOncePerGroup() throws Exception {
    ObservedStorage storage = new ObservedStorage(logs.memory);
    WriteAheadLog log = logs.open(WriteAheadLog.builder(storage).durability(Durability.SYNC));
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

    // A group's bytes are released just after its futures complete: wait for that, bounded.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestLogs.WAIT_SECONDS);
    while (log.stats().pendingBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    LogStats stats = log.stats();
    assertThat(stats.records()).isEqualTo(log.nextSequence())
        .isGreaterThan(threads * perThread);
    assertThat(stats.groups()).isLessThan(stats.records());
    assertThat(stats.segmentsRolled()).isZero();
    // One sync per group, or fewer when one sync behind the writer covered several groups.
    assertThat(stats.syncs()).isBetween(1L, stats.groups());
    assertThat(storage.syncs.get()).isEqualTo(stats.syncs());
    assertThat(stats.averageGroupSize()).isGreaterThan(1.0);
    assertThat(stats.pendingBytes()).isZero();
    assertThat(stats.nextSequence()).isEqualTo(stats.records());
  }

  @Test
  void flushDurabilityFlushesPerGroupAndNeverSyncs() throws Exception {
    ObservedStorage storage = new ObservedStorage(logs.memory);
    WriteAheadLog log = logs.open(WriteAheadLog.builder(storage).durability(Durability.FLUSH));

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
    ObservedStorage storage = new ObservedStorage(logs.memory);
    WriteAheadLog log = logs.open(WriteAheadLog.builder(storage).durability(Durability.NONE));

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
    WriteAheadLog log = logs.openMemory();
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

  @Test
  void segmentBytesAreTheSizesOfTheSegmentFilesWritten() throws Exception {
    WriteAheadLog log = logs.open(WriteAheadLog.builder(logs.memory).segmentSize(4096)
        .maxRecordSize(1024).durability(Durability.FLUSH));
    appendAll(log, payloads(40, 300)); // rolls: several sealed segments and an open one

    long files = 0;
    for (String name : logs.memory.list()) {
      files += logs.memory.size(name);
    }

    assertThat(log.stats().segments()).isGreaterThan(2);
    assertThat(log.stats().segmentBytes()).isEqualTo(files);
  }
}
