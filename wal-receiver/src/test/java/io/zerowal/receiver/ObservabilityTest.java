/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zerowal.core.Durability;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ObservabilityTest {
  private final MemoryStorages disks = new MemoryStorages();

  private MicroBatchEngine.Builder engine(ManualReceiver r, BatchProcessor p) {
    return disks.configure(MicroBatchEngine.builder()).name("obs").durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(20)).blockInterval(Duration.ofMillis(5))
        .receiver("r", r).processor(p);
  }

  @Test
  void logStatsRecoveryReportsAndBacklogAreExposed() throws Exception {
    ManualReceiver r = new ManualReceiver();
    CountDownLatch hold = new CountDownLatch(1);
    MicroBatchEngine e = engine(r, b -> {
      if (b.recordCount() > 0) {
        hold.await();
      }
    }).build();
    assertThat(e.logStats()).isEmpty();
    e.start();
    r.storeBlock("a").get();
    awaitTrue(() -> e.pendingBatches() == 1); // the batch holding "a" runs, held
    r.storeBlock("b").get();
    assertThat(e.unallocatedBlocks()).isEqualTo(1);
    assertThat(e.logStats()).containsOnlyKeys("metadata", "r");
    assertThat(e.logStats().get("r").records()).isEqualTo(2);
    assertThat(e.logStats().get("metadata").syncs()).isPositive();
    assertThat(e.recoveryReports()).containsOnlyKeys("metadata", "r");
    hold.countDown();
    e.stop();

    MicroBatchEngine again = engine(new ManualReceiver(), b -> { }).build();
    again.start();
    assertThat(again.recoveryReports().get("r").records()).isEqualTo(2);
    again.stop();
  }

  @Test
  void storeLatencyPercentilesAndEngineNameOnItsThreads() throws Exception {
    ManualReceiver r = new ManualReceiver();
    List<String> mdc = new CopyOnWriteArrayList<>();
    List<BatchStats> late = new CopyOnWriteArrayList<>();
    MicroBatchEngine e = engine(r, b -> mdc.add(Thread.currentThread().getName() + " "
        + MDC.get("zerowal.engine"))).build();
    e.onBatchCompleted(late::add); // set after build
    e.start();
    for (int i = 0; i < 50; i++) {
      r.storeBlock("x" + i).get();
    }
    awaitTrue(() -> !late.isEmpty());
    ReceiverStats s = e.receiverStats().get("r");
    assertThat(s.storeLatencyPercentile(50)).isPositive()
        .isLessThanOrEqualTo(s.storeLatencyPercentile(99));
    assertThat(s.storeLatencyPercentile(100).toNanos())
        .isCloseTo(s.maxStoreLatency().toNanos(), within(s.maxStoreLatency().toNanos() / 8 + 1));
    e.stop();
    MDC.put("probe", "1");
    boolean mdcWorks = "1".equals(MDC.get("probe")); // slf4j-simple's MDC keeps nothing
    MDC.remove("probe");
    assertThat(mdc).isNotEmpty()
        .containsOnly("zerowal-obs-batches " + (mdcWorks ? "obs" : null));
  }

  @Test
  void percentilesOfAHistogramAreWithinAnEighth() {
    LatencyHistogram h = new LatencyHistogram();
    for (long n = 1; n <= 100_000; n++) {
      h.record(n * 1_000);
    }
    long[] counts = h.snapshot();
    assertThat(LatencyHistogram.percentile(counts, 50).toNanos())
        .isBetween(50_000_000L, 50_000_000L * 9 / 8);
    assertThat(LatencyHistogram.percentile(counts, 99).toNanos())
        .isBetween(99_000_000L, 99_000_000L * 9 / 8);
    assertThat(LatencyHistogram.percentile(new long[512], 99)).isZero();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!c.getAsBoolean()) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(2);
    }
  }
}
