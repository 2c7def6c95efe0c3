/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import io.zerowal.core.Durability;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Back-pressure from the processor to the sources, and lag that shows. */
class BackPressureTest {
  private final MemoryStorage metadata = new MemoryStorage();
  private final Map<String, MemoryStorage> data = new HashMap<>();

  private MicroBatchEngine.Builder engine(Receiver receiver, BatchProcessor processor) {
    return MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new MemoryStorage()))
        .metadataStorage(metadata).durability(Durability.NONE)
        .batchInterval(Duration.ofMillis(50)).blockInterval(Duration.ofMillis(5))
        .receiver("flood", receiver).processor(processor);
  }

  /** Stores lists of 16 records of 1 KiB as fast as the engine lets it. */
  static final class Flood implements Receiver {
    final AtomicLong refused = new AtomicLong();
    volatile Thread thread;

    @Override
    public void onStart(ReceiverContext ctx) {
      thread = ctx.startThread("flood", () -> {
        List<ByteBuffer> records = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          records.add(ByteBuffer.allocate(1024));
        }
        while (!ctx.isStopped()) {
          if (ctx.store(records).isCompletedExceptionally()) {
            refused.incrementAndGet();
          }
        }
      });
    }

    @Override
    public void onStop() {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aProcessorEightTimesSlowerThanTheIntervalKeepsDiskBoundedAndLagVisible() throws Exception {
    List<BatchStats> batches = new CopyOnWriteArrayList<>();
    Flood flood = new Flood();
    MicroBatchEngine e = engine(flood, b -> Thread.sleep(400))
        .maxUnprocessedBytes(1 << 20).dataSegmentSize(64 << 10).maxBlockBytes(32 << 10)
        .onBatchCompleted(batches::add).build();
    e.start();
    long maxDisk = 0;
    long maxUnprocessed = 0;
    long end = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
    while (System.nanoTime() < end) {
      maxDisk = Math.max(maxDisk, data.get("flood").usedBytes());
      maxUnprocessed = Math.max(maxUnprocessed, e.unprocessedBytes());
      Thread.sleep(5);
    }
    long stored = e.receiverStats().get("flood").bytes();
    long refusedWhileRunning = flood.refused.get();
    e.stopNow();

    System.out.printf("slow processor (8x the interval), maxUnprocessedBytes 1 MiB: stored %d"
        + " bytes in 2.5 s, data log at most %d bytes, %d batches, last %s%n", stored, maxDisk,
        batches.size(), batches.isEmpty() ? "-" : batches.get(batches.size() - 1));
    assertThat(maxUnprocessed).isLessThanOrEqualTo((1 << 20) + 16 * 1024);
    // The bound plus the segments cleanup keeps (whole segments: partly processed ones, one open).
    assertThat(maxDisk).isLessThan((1 << 20) + 8 * (64 << 10));
    assertThat(batches).hasSizeGreaterThanOrEqualTo(3);
    BatchStats late = batches.get(batches.size() - 1);
    assertThat(late.missedIntervals()).isPositive();
    assertThat(late.schedulingDelay()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(late.endToEndLatency()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(e.missedBatchIntervals()).isGreaterThanOrEqualTo(batches.size());
    assertThat(refusedWhileRunning).isZero(); // BLOCK: waited, never refused
  }

  @Test
  void aStoreBlockedLongerThanMaxBlockTimeFailsNamingTheBound() throws Exception {
    ManualReceiver r = new ManualReceiver();
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine e = engine(r, b -> {
      if (b.recordCount() > 0) {
        release.await();
      }
    }).maxUnprocessedBytes(100).maxBlockTime(Duration.ofMillis(50)).build();
    e.start();
    r.context.store(new byte[80]).get();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> r.context.store(new byte[80]))
        .isInstanceOf(BackPressureException.class)
        .hasMessageContaining("after waiting maxBlockTime PT0.05S")
        .hasMessageContaining("holds 80 bytes stored and not yet processed (maxUnprocessedBytes 100)");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(
        Duration.ofMillis(50));
    release.countDown();
    e.stop();
  }

  @Test
  void failFastRefusesAStoreBeyondTheEngineWideBound() throws Exception {
    ManualReceiver r = new ManualReceiver();
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine e = engine(r, b -> {
      if (b.recordCount() > 0) {
        release.await();
      }
    }).maxEngineUnprocessedBytes(100).backPressure(BackPressure.FAIL_FAST).build();
    e.start();
    r.context.store(new byte[80]).get();
    assertThatThrownBy(() -> r.context.store(new byte[80]))
        .isInstanceOf(BackPressureException.class)
        .hasMessageContaining("the engine holds 80 bytes stored and not yet processed"
            + " (maxEngineUnprocessedBytes 100)");
    release.countDown();
    e.stop();
    assertThat(e.unprocessedBytes()).isZero();
  }

  @Test
  void aStopEndsAStoreWaitingForTheProcessor() throws Exception {
    ManualReceiver r = new ManualReceiver();
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine e = engine(r, b -> {
      if (b.recordCount() > 0) {
        release.await();
      }
    }).maxUnprocessedBytes(100).build();
    e.start();
    r.context.store(new byte[80]).get();
    CompletableFuture<CompletableFuture<BlockInfo>> blocked = CompletableFuture.supplyAsync(
        () -> r.context.store(new byte[80]));
    Thread.sleep(50);
    assertThat(blocked).isNotDone();
    CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      release.countDown(); // stopNow waits for the running batch
    });
    e.stopNow();
    assertThat(blocked.get(10, java.util.concurrent.TimeUnit.SECONDS).isCompletedExceptionally())
        .isTrue();
  }

  @Test
  void maxBatchRecordsSplitsABacklogIntoBatchesOldestFirst() throws Exception {
    ManualReceiver r = new ManualReceiver();
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch stored = new CountDownLatch(1);
    MicroBatchEngine e = engine(r, b -> {
      stored.await();
      List<String> texts = new ArrayList<>();
      b.records().forEach(rec -> texts.add(ManualReceiver.text(rec)));
      if (!texts.isEmpty()) {
        batches.add(texts);
      }
    }).maxBatchRecords(2).build();
    e.start();
    for (String s : List.of("a", "b", "c", "d", "e")) {
      r.storeBlock(s).get();
    }
    stored.countDown();
    e.stop();
    assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(2));
    assertThat(batches.stream().flatMap(List::stream).toList())
        .containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void maxBatchBytesSplitsABacklogIntoBatchesAndABlockOverItGoesAlone() throws Exception {
    ManualReceiver r = new ManualReceiver();
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch stored = new CountDownLatch(1);
    MicroBatchEngine e = engine(r, b -> {
      stored.await();
      List<String> texts = new ArrayList<>();
      b.records().forEach(rec -> texts.add(ManualReceiver.text(rec)));
      if (!texts.isEmpty()) {
        batches.add(texts);
      }
    }).maxBatchBytes(25).build();
    e.start();
    // Blocks of 10 bytes: two fit in 25; the 40-byte block is over the cap and forms one alone.
    List<String> blocks = List.of("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "d".repeat(40),
        "eeeeeeeeee");
    for (String s : blocks) {
      r.storeBlock(s).get();
    }
    stored.countDown();
    e.stop();
    assertThat(batches).allSatisfy(b -> assertThat(b.size() == 1
        || b.stream().mapToInt(String::length).sum() <= 25).as("batch " + b).isTrue());
    assertThat(batches).anySatisfy(b -> assertThat(b).containsExactly("d".repeat(40)));
    assertThat(batches.stream().flatMap(List::stream).toList())
        .containsExactlyElementsOf(blocks);
  }
}
