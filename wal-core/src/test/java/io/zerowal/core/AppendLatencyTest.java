/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LogStats#appendLatency()}: measured once per commit group, weighted by its records, and
 * bounded by what an appender observes.
 */
class AppendLatencyTest {
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  @Test
  void aStalledWriteCountsAtLeastTheStallAndAtMostTheTimeSinceOpen() throws Exception {
    WriteHookStorage storage = new WriteHookStorage(logs.memory);
    long beforeOpen = System.nanoTime();
    WriteAheadLog log = logs.open(WriteAheadLog.builder(storage).durability(Durability.SYNC));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong stallNanos = new AtomicLong();
    storage.beforeWrite = srcs -> {
      long start = System.nanoTime();
      entered.countDown();
      try {
        release.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stallNanos.set(System.nanoTime() - start);
    };

    CompletableFuture<RecordHandle> f = log.append(payload(1, 100));
    assertThat(entered.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    await(f);
    long sinceOpen = System.nanoTime() - beforeOpen;

    LatencySnapshot latency = log.stats().appendLatency();
    assertThat(latency.count()).isEqualTo(1);
    // An upper bound: the writer's window opens at its start or at its last look at an empty
    // queue, both after open began (how close it is depends on thread scheduling, not asserted).
    assertThat(latency.max().toNanos()).isGreaterThanOrEqualTo(stallNanos.get())
        .isLessThanOrEqualTo(sinceOpen);
    assertThat(latency.percentile(50)).isEqualTo(latency.max());
    assertThat(latency.total()).isEqualTo(latency.max());
  }

  @Test
  void everyRecordOfEveryGroupCountsOnce() throws Exception {
    WriteAheadLog log = logs.open(WriteAheadLog.builder(logs.memory).durability(Durability.SYNC));
    int threads = 8;
    int perThread = 200;
    List<CompletableFuture<RecordHandle>> futures = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new java.util.ArrayList<>();
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
    LatencySnapshot latency = stats.appendLatency();
    assertThat(latency.count()).isEqualTo(stats.records()).isEqualTo(threads * perThread);
    assertThat(latency.percentile(50)).isPositive().isLessThanOrEqualTo(latency.percentile(99));
    assertThat(latency.percentile(99)).isLessThanOrEqualTo(latency.max());
    assertThat(latency.mean()).isLessThanOrEqualTo(latency.max());
  }

  @Test
  void percentilesAreWithinOneEighthAboveTheExactValueAndNeverBelow() {
    LatencyHistogram h = new LatencyHistogram();
    for (long micros = 1; micros <= 10_000; micros++) {
      h.record(micros * 1000, 1);
    }
    h.record(7, 3); // small values are exact
    LatencySnapshot s = h.snapshot();

    assertThat(s.count()).isEqualTo(10_003);
    assertThat(s.max()).isEqualTo(Duration.ofMillis(10));
    for (double p : new double[] {50, 90, 99, 99.9}) {
      long exact = (long) Math.ceil(p / 100 * s.count() - 3) * 1000;
      assertThat(s.percentile(p).toNanos()).as("p%s", p)
          .isBetween(exact, exact + exact / 8);
    }
    assertThat(s.percentile(0)).isEqualTo(Duration.ofNanos(7));
    assertThat(s.percentile(100)).isEqualTo(s.max());
    assertThat(new LatencyHistogram().snapshot().percentile(99)).isZero();
    assertThatThrownBy(() -> s.percentile(100.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100.5");
  }
}
