/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockGeneratorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final TestConfigs configs = new TestConfigs();
  private EngineLogs logs;
  private BlockWriter writer;
  private BlockGenerator generator;

  private void open(int maxBlockBytes) {
    EngineConfig config = configs.config(maxBlockBytes, "r1");
    logs = EngineLogs.open(config);
    LogCleaner cleaner = new LogCleaner(logs);
    writer = new BlockWriter("r1", logs.dataLogs().get("r1"), logs.tracker(),
        cleaner.floors("r1"), new Backlog(config, List.of()), DiskQuota.none(), config, t -> { },
        new EngineThreads("test"));
    generator = new BlockGenerator(writer, maxBlockBytes);
  }

  @AfterEach
  void close() {
    if (logs != null) {
      logs.close();
    }
  }

  private CompletableFuture<BlockInfo> add(String record) {
    long size = 4 + record.length();
    assertThat(writer.reserve(size)).isTrue();
    return generator.add(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)), size, null);
  }

  private List<String> recordsOf(BlockInfo block) {
    ByteBuffer bytes = logs.dataLogs().get("r1").read(block.handle());
    return Arrays.stream(BlockFormat.decode(bytes, block)).map(ManualReceiver::text).toList();
  }

  private GatedStorage gate() {
    return configs.data.get("r1");
  }

  @Test
  void aLoneRecordIsCutAtOnceWithoutWaitingForATick() {
    open(1024);
    CompletableFuture<BlockInfo> lone = add("lone");
    assertThat(lone).succeedsWithin(WAIT);
    assertThat(recordsOf(lone.join())).containsExactly("lone");
  }

  @Test
  void recordsAddedWhileABlockIsInFlightFormOneBlockCutWhenItCompletes() {
    open(1024);
    gate().closeGate();
    CompletableFuture<BlockInfo> first = add("first"); // cut at once, held in flight
    List<CompletableFuture<BlockInfo>> futures = List.of(add("a"), add("bb"), add("ccc"));
    assertThat(futures).noneMatch(CompletableFuture::isDone);

    gate().openGate();

    assertThat(first).succeedsWithin(WAIT).satisfies(b -> assertThat(b.recordCount()).isEqualTo(1));
    BlockInfo block = futures.get(0).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(futures).allSatisfy(f -> assertThat(f).succeedsWithin(WAIT).isEqualTo(block));
    assertThat(block.recordCount()).isEqualTo(3);
    assertThat(block.bytes()).isEqualTo(6);
    assertThat(recordsOf(block)).containsExactly("a", "bb", "ccc");
    assertThat(writer.stats().bufferedBytes()).isZero();
  }

  @Test
  void theTickCutsWhatGatheredEvenWhileABlockIsInFlight() {
    open(1024);
    gate().closeGate();
    add("first");
    CompletableFuture<BlockInfo> second = add("second");
    generator.cut(); // the engine's tick: pipelines a second block behind the first
    CompletableFuture<BlockInfo> third = add("third");
    gate().openGate();
    assertThat(recordsOf(second.join())).containsExactly("second");
    assertThat(recordsOf(third.join())).containsExactly("third");
  }

  @Test
  void aBlockIsCutBeforeARecordThatWouldNotFit() {
    open(64); // header 5 + 2 * (4 + 20) = 53; a third record would make 77
    gate().closeGate();
    add("w"); // in flight
    CompletableFuture<BlockInfo> first = add("x".repeat(20));
    add("y".repeat(20));
    CompletableFuture<BlockInfo> third = add("z".repeat(20));
    gate().openGate();

    assertThat(first).succeedsWithin(WAIT).satisfies(b -> assertThat(b.recordCount()).isEqualTo(2));
    assertThat(third).succeedsWithin(WAIT).satisfies(b -> assertThat(b.recordCount()).isEqualTo(1));
  }

  @Test
  void aFullBlockIsCutAtOnce() {
    open(64);
    CompletableFuture<BlockInfo> full = add("f".repeat(55)); // 5 + 4 + 55 = 64
    assertThat(full).succeedsWithin(WAIT);
    assertThat(recordsOf(full.join())).containsExactly("f".repeat(55));
  }

  @Test
  void closingWithoutFlushFailsWhatIsGatheredAndGivesItsRoomBack() {
    open(1024);
    gate().closeGate();
    CompletableFuture<BlockInfo> inFlight = add("in flight");
    CompletableFuture<BlockInfo> pending = add("lost");
    generator.close(false);
    assertThat(pending).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
        .withMessageContaining("receiver r1 is stopped");
    gate().openGate();
    assertThat(inFlight).succeedsWithin(WAIT);
    assertThat(writer.stats().bufferedBytes()).isZero();
    assertThat(add("late")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
        .withMessageContaining("is stopped");
    assertThat(writer.stats().bufferedBytes()).isZero();
  }

  @Test
  void closingWithFlushStoresWhatIsGathered() {
    open(1024);
    gate().closeGate();
    add("in flight");
    CompletableFuture<BlockInfo> pending = add("kept");
    generator.close(true);
    gate().openGate();
    assertThat(pending).succeedsWithin(WAIT);
    assertThat(recordsOf(pending.join())).containsExactly("kept");
  }

  @Test
  void aCallerCannotCompleteTheFutureOfTheOtherRecordsOfItsBlock() {
    open(1024);
    gate().closeGate();
    add("in flight");
    CompletableFuture<BlockInfo> mine = add("a");
    CompletableFuture<BlockInfo> theirs = add("b");
    mine.cancel(false);
    gate().openGate();
    assertThat(theirs).succeedsWithin(WAIT);
  }
}
