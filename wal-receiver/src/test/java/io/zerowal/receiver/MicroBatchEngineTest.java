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
import io.zerowal.core.storage.Storage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MicroBatchEngineTest {
  private final MemoryStorage metadata = new MemoryStorage();
  private final Map<String, MemoryStorage> data = new HashMap<>();

  private MicroBatchEngine.Builder engine(Duration batchInterval, BatchProcessor processor,
      Receiver receiver) {
    return MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new MemoryStorage()))
        .metadataStorage(metadata)
        .batchInterval(batchInterval)
        .blockInterval(Duration.ofMillis(5))
        .receiver("r1", receiver)
        .processor(processor);
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(2);
    }
  }

  /**
   * A receiver that sees a store fail because its log failed must see the engine failed too, or
   * it stores into the dead log again (the Flume sink's next transaction did, racing the engine).
   * The check runs in the store's own completion, the earliest anyone can see the failure.
   */
  @Test
  void aStoreFailedByItsLogFindsTheEngineFailedAlready() throws Exception {
    MemoryStorage disk = new MemoryStorage();
    GatedStorage gated = new GatedStorage(disk);
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = MicroBatchEngine.builder().dataStorage(id -> gated)
        .metadataStorage(metadata).durability(Durability.SYNC)
        .batchInterval(Duration.ofMinutes(1)).receiver("r1", r).processor(b -> { }).build();
    e.start();
    try {
      gated.closeGate(); // the store stays in flight until its completion below is attached
      disk.failNextSync();
      CompletableFuture<Boolean> failedWhenSeen = r.storeBlock("a")
          .handle((info, error) -> error != null && e.failure().isPresent());
      gated.openGate();
      assertThat(failedWhenSeen.get(10, TimeUnit.SECONDS)).as("engine failed when the store was")
          .isTrue();
      assertThat(e.failure().orElseThrow()).hasStackTraceContaining("simulated sync failure");
    } finally {
      gated.openGate();
      e.stopNow();
    }
  }

  @Test
  void visitReadsBlocksOfEverySizeThroughOneBufferAndMatchesTheCopyingRead() throws Exception {
    // Blocks of different sizes, largest in the middle: each is read over the one before it.
    List<List<String>> blocks = List.of(List.of("a".repeat(700), "b"), List.of("c"),
        List.of("d".repeat(3000), "e".repeat(10), "f"), List.of("g".repeat(50)));
    List<String> visited = Collections.synchronizedList(new ArrayList<>());
    List<String> copied = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch stored = new CountDownLatch(1);
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(Duration.ofMillis(20), batch -> {
      if (batch.recordCount() == 0) {
        return;
      }
      stored.await(); // every block in this batch: stored before the first batch time
      batch.visit((block, record) -> visited.add(ManualReceiver.text(record)));
      batch.records().forEach(record -> copied.add(ManualReceiver.text(record)));
    }, r).batchInterval(Duration.ofMinutes(1)).build();
    e.start();
    try {
      for (List<String> block : blocks) {
        r.storeBlock(block.toArray(String[]::new)).get(10, TimeUnit.SECONDS);
      }
      stored.countDown();
    } finally {
      e.stop(); // the final batch holds all four blocks
    }
    List<String> expected = blocks.stream().flatMap(List::stream).toList();
    assertThat(visited).containsExactlyElementsOf(expected);
    assertThat(copied).containsExactlyElementsOf(expected);
  }

  @Test
  void uncompletedBatchReRunsFirstWithTheSameBatchTimeAndRecords() throws Exception {
    BatchRecorder failing = new BatchRecorder();
    AtomicLong failedTime = new AtomicLong();
    failing.failWhen = b -> {
      if (b.recordCount() > 0) {
        failedTime.set(b.batchTime());
        return true;
      }
      return false;
    };
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine first = engine(Duration.ofMillis(20), failing, r).build();
    first.start();
    r.storeBlock("a", "b").get();
    assertThat(first.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(first.failure()).get().isInstanceOf(EngineFailedException.class);
    assertThat(first.failure().get().getMessage())
        .contains("batch " + failedTime.get(), "sink down", "re-runs with the same blocks");

    BatchRecorder recorder = new BatchRecorder();
    ManualReceiver r2 = new ManualReceiver();
    MicroBatchEngine second = engine(Duration.ofMillis(20), recorder, r2).build();
    second.start();
    awaitCondition(() -> recorder.runs.size() >= 2);
    second.stop();

    assertThat(recorder.runs.get(0))
        .isEqualTo(new BatchRecorder.Run(failedTime.get(), true, List.of("a", "b")));
    assertThat(recorder.runs.subList(1, recorder.runs.size()))
        .allSatisfy(run -> {
          assertThat(run.recovered()).isFalse();
          assertThat(run.batchTime()).isGreaterThan(failedTime.get());
          assertThat(run.records()).isEmpty();
        });
  }

  @Test
  void storedButUnallocatedBlocksGoIntoTheNextBatch() throws Exception {
    BatchRecorder never = new BatchRecorder();
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine first = engine(Duration.ofHours(1), never, r).build();
    first.start();
    r.storeBlock("x", "y").get();
    r.storeBlock("z").get();
    first.stopNow();
    assertThat(never.runs).isEmpty();

    BatchRecorder recorder = new BatchRecorder();
    MicroBatchEngine second = engine(Duration.ofMillis(20), recorder, new ManualReceiver()).build();
    second.start();
    awaitCondition(() -> !recorder.runs.isEmpty());
    second.stop();

    BatchRecorder.Run run = recorder.runs.get(0);
    assertThat(run.recovered()).isFalse();
    assertThat(run.records()).containsExactly("x", "y", "z");
    assertThat(recorder.allRecords()).containsExactly("x", "y", "z");
  }

  @Test
  void completedBatchNeverRunsAgain() throws Exception {
    BatchRecorder recorder = new BatchRecorder();
    CountDownLatch completed = new CountDownLatch(1);
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine first = engine(Duration.ofMillis(20), recorder, r)
        .onBatchCompleted(s -> {
          if (s.records() > 0) {
            completed.countDown();
          }
        }).build();
    first.start();
    r.storeBlock("done").get();
    assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
    first.stopNow();

    BatchRecorder after = new BatchRecorder();
    MicroBatchEngine second = engine(Duration.ofMillis(10), after, new ManualReceiver()).build();
    second.start();
    awaitCondition(() -> after.runs.size() >= 3);
    second.stop();

    assertThat(after.runs).noneMatch(BatchRecorder.Run::recovered);
    assertThat(after.allRecords()).isEmpty();
    assertThat(after.runs.get(0).batchTime())
        .isGreaterThan(recorder.nonEmpty().get(0).batchTime());
  }

  @Test
  void gracefulStopProcessesEveryAcceptedRecordInStoreOrder() throws Exception {
    BatchRecorder recorder = new BatchRecorder();
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine engine = engine(Duration.ofMillis(30), recorder, r).build();
    engine.start();
    List<CompletableFuture<BlockInfo>> acks = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      expected.add("record-" + i);
      acks.add(r.context.store(("record-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    engine.stop();

    assertThat(r.stopped).isTrue();
    assertThat(r.context.isStopped()).isTrue();
    assertThat(acks).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(recorder.allRecords()).isEqualTo(expected);
    assertThat(engine.receiverStats().get("r1").records()).isEqualTo(2000);
    assertThat(engine.recordsProcessed()).isEqualTo(2000);
    assertThat(r.context.store(ByteBuffer.wrap(new byte[1])))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("is stopped");
  }

  @Test
  void blockWhoseDataIsMissingStopsTheStartAsCorruption() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine first = engine(Duration.ofHours(1), new BatchRecorder(), r).build();
    first.start();
    r.storeBlock("acknowledged").get();
    first.stopNow();

    data.put("r1", new MemoryStorage()); // the data log is gone
    MicroBatchEngine second = engine(Duration.ofMillis(10), new BatchRecorder(),
        new ManualReceiver()).build();
    assertThatThrownBy(second::start)
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("receiver=r1, block=0")
        .hasMessageContaining("the acknowledged block is missing");
    assertThat(second.isRunning()).isFalse();
  }

  @Test
  void blocksOfAReceiverNoLongerConfiguredStopTheStart() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine first = engine(Duration.ofHours(1), new BatchRecorder(), r).build();
    first.start();
    r.storeBlock("pending").get();
    first.stopNow();

    MicroBatchEngine second = MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new MemoryStorage()))
        .metadataStorage(metadata).receiver("other", new ManualReceiver())
        .processor(new BatchRecorder()).build();
    assertThatThrownBy(second::start).isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("no receiver r1 is configured");
  }

  @Test
  void cleanupDeletesDataAndMetadataSegmentsAsBatchesComplete() throws Exception {
    BatchRecorder recorder = new BatchRecorder();
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine engine = engine(Duration.ofMillis(5), recorder, r)
        .dataSegmentSize(4096).metadataSegmentSize(4096).maxBlockBytes(1024).build();
    engine.start();
    Storage dataStorage = data.get("r1");
    int maxFiles = 0;
    byte[] payload = new byte[200];
    for (int i = 0; i < 2000; i++) {
      r.context.store(List.of(ByteBuffer.wrap(payload))).get();
      if (i % 200 == 199) {
        // Once what was stored is processed and a batch cleaned up after it, few files remain.
        long stored = i + 1;
        awaitCondition(() -> engine.recordsProcessed() == stored);
        long done = engine.batchesCompleted();
        awaitCondition(() -> engine.batchesCompleted() > done + 1);
        maxFiles = Math.max(maxFiles, dataStorage.list().size() + metadata.list().size());
      }
    }
    awaitCondition(() -> engine.recordsProcessed() == 2000);
    // One more batch, so that cleanup runs after the last records were processed.
    long batches = engine.batchesCompleted();
    awaitCondition(() -> engine.batchesCompleted() > batches + 1);
    List<String> dataFiles = new ArrayList<>(dataStorage.list());
    List<String> metadataFiles = new ArrayList<>(metadata.list());
    engine.stop();

    // 2000 blocks of 200 bytes fill about 110 data segments and the events 40 metadata segments.
    // Besides its segments, the data log keeps at most two processed segments' files for reuse
    // (recycleDataSegments, on by default).
    assertThat(maxFiles).isLessThanOrEqualTo(5 + 2);
    List<String> dataSegments = dataFiles.stream().filter(n -> n.endsWith(".wal")).toList();
    assertThat(dataSegments).hasSizeLessThanOrEqualTo(2)
        .noneMatch(n -> n.startsWith("0000000000000000000."));
    assertThat(dataFiles.stream().filter(n -> !n.endsWith(".wal")))
        .allMatch(n -> n.startsWith("recycled-") && n.endsWith(".spare")).hasSizeBetween(1, 2);
    assertThat(metadataFiles).hasSizeLessThanOrEqualTo(3);
    assertThat(metadataFiles.stream().mapToLong(n -> Long.parseLong(n.substring(0, 20))).min()
        .getAsLong()).isGreaterThan(1000);
  }

  @Test
  void failFastRefusesAStoreBeyondTheBufferedBound() throws Exception {
    ManualReceiver r = new ManualReceiver();
    GatedStorage gated = new GatedStorage();
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> gated).metadataStorage(metadata)
        .batchInterval(Duration.ofHours(1)).blockInterval(Duration.ofHours(1)).receiver("r1", r)
        .processor(new BatchRecorder())
        .maxBlockBytes(64).maxBufferedBytes(100).backPressure(BackPressure.FAIL_FAST)
        .dataSegmentSize(4096).build();
    engine.start();
    gated.closeGate(); // the first store stays in flight
    r.context.store(new byte[50]);
    assertThatThrownBy(() -> r.context.store(new byte[50]))
        .isInstanceOf(BackPressureException.class)
        .hasMessageContaining("receiver r1 already buffers 54 bytes");
    assertThatThrownBy(() -> r.context.store(new byte[60]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBlockBytes 64");
    gated.openGate();
    engine.stop();
  }

  @Test
  void rateLimitSpacesRecordsOut() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine engine = engine(Duration.ofMillis(50), new BatchRecorder(), r)
        .maxRecordsPerSecond(200).build();
    engine.start();
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      r.context.store(new byte[8]);
    }
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    engine.stop();
    assertThat(elapsedMillis).isBetween(400L, 5000L);
  }
}
