/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockBuffersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  // ---------------------------------------------------------------- the pool

  @Test
  void aGivenBufferIsTakenAgainForABlockThatFitsWithItsLimitSetToTheBlock() {
    BlockBuffers pool = new BlockBuffers(1 << 20);
    ByteBuffer first = pool.take(1000);
    assertThat(first.position()).isZero();
    assertThat(first.limit()).isEqualTo(1000);
    assertThat(first.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    first.position(700);
    pool.give(first);

    ByteBuffer again = pool.take(800);

    assertThat(again).isSameAs(first);
    assertThat(again.position()).isZero();
    assertThat(again.limit()).isEqualTo(800);
    assertThat(pool.pooledBytes()).isZero();
  }

  @Test
  void aBlockLargerThanEveryKeptBufferGetsANewOneAndTheKeptOneStays() {
    BlockBuffers pool = new BlockBuffers(1 << 20);
    ByteBuffer small = pool.take(100);
    pool.give(small);

    ByteBuffer large = pool.take(200);

    assertThat(large).isNotSameAs(small);
    assertThat(large.capacity()).isEqualTo(200);
    assertThat(pool.take(50)).isSameAs(small);
  }

  @Test
  void keepsAtMostTwoBuffersWithinItsBytesPreferringTheLargest() {
    BlockBuffers pool = new BlockBuffers(1000);
    ByteBuffer a = ByteBuffer.allocate(100);
    ByteBuffer b = ByteBuffer.allocate(300);
    ByteBuffer c = ByteBuffer.allocate(400);
    pool.give(a);
    pool.give(b);
    pool.give(c); // full: replaces the smallest
    assertThat(pool.pooledBytes()).isEqualTo(700);
    pool.give(ByteBuffer.allocate(200)); // smaller than both kept: dropped
    assertThat(pool.pooledBytes()).isEqualTo(700);
    pool.give(ByteBuffer.allocate(800)); // would make 1,200 bytes, over the bound: dropped
    pool.give(ByteBuffer.allocate(1001)); // alone over the bound: dropped
    assertThat(pool.pooledBytes()).isEqualTo(700);

    assertThat(pool.take(350)).isSameAs(c);
    assertThat(pool.take(250)).isSameAs(b);
    assertThat(pool.take(50)).isNotSameAs(a);
  }

  @Test
  void keepsNeitherReadOnlyNorDirectBuffersAndABufferGivenTwiceOnlyOnce() {
    BlockBuffers pool = new BlockBuffers(1 << 20);
    pool.give(ByteBuffer.allocate(100).asReadOnlyBuffer());
    pool.give(ByteBuffer.allocateDirect(100));
    assertThat(pool.pooledBytes()).isZero();

    ByteBuffer b = ByteBuffer.allocate(100);
    pool.give(b);
    pool.give(b);

    assertThat(pool.pooledBytes()).isEqualTo(100);
    assertThat(pool.take(100)).isSameAs(b);
    assertThat(pool.take(100)).isNotSameAs(b);
  }

  // ---------------------------------------------------------------- through the writer

  private final TestConfigs configs = new TestConfigs();
  private final MemoryStorage data = new MemoryStorage();
  private EngineLogs logs;
  private BlockWriter writer;

  private void open() {
    configs.data.put("r1", new GatedStorage(data));
    EngineConfig config = configs.config(2048, "r1");
    logs = EngineLogs.open(config);
    writer = new BlockWriter("r1", logs.dataLogs().get("r1"), logs.tracker(),
        new LogCleaner(logs).floors("r1"), new Backlog(config, List.of()), DiskQuota.none(),
        config, t -> { }, new EngineThreads("test"));
  }

  @AfterEach
  void close() {
    configs.data.values().forEach(GatedStorage::openGate); // a failed test may leave it closed
    if (logs != null) {
      logs.close();
    }
  }

  /** Stores {@code count} records of {@code text} as ReceiverContext does; returns the buffer. */
  private ByteBuffer store(String text, int count, List<CompletableFuture<BlockInfo>> stored) {
    List<ByteBuffer> records = new ArrayList<>();
    long payload = 0;
    for (int i = 0; i < count; i++) {
      records.add(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      payload += text.length();
    }
    long size = BlockFormat.encodedSize(count, payload);
    assertThat(writer.reserve(size)).isTrue();
    ByteBuffer block = BlockFormat.encode(records, writer.blockBuffer((int) size));
    CompletableFuture<BlockInfo> result = new CompletableFuture<>();
    stored.add(result);
    writer.submit(block, count, payload, size, System.nanoTime(), null, result);
    return block;
  }

  private List<String> recordsOf(BlockInfo block) {
    ByteBuffer bytes = logs.dataLogs().get("r1").read(block.handle());
    return Arrays.stream(BlockFormat.decode(bytes, block)).map(ManualReceiver::text).toList();
  }

  @Test
  void aBlockEncodedIntoTheBufferOfTheLastOneLeavesTheLastOneIntactInTheLog() {
    open();
    List<CompletableFuture<BlockInfo>> stored = new ArrayList<>();
    ByteBuffer first = store("aaaa", 100, stored);
    assertThat(stored.get(0)).succeedsWithin(WAIT);

    ByteBuffer second = store("bbbb", 100, stored);
    assertThat(stored.get(1)).succeedsWithin(WAIT);

    assertThat(second).isSameAs(first); // reused: the test would prove nothing otherwise
    assertThat(recordsOf(stored.get(0).join())).hasSize(100).containsOnly("aaaa");
    assertThat(recordsOf(stored.get(1).join())).hasSize(100).containsOnly("bbbb");
  }

  @Test
  void aBufferIsNotHandedOutAgainWhileItsBlockIsStillBeingWritten() {
    open();
    List<CompletableFuture<BlockInfo>> stored = new ArrayList<>();
    configs.data.get("r1").closeGate();
    ByteBuffer held = store("held", 50, stored);
    ByteBuffer next = store("next", 50, stored);
    assertThat(next).isNotSameAs(held);
    assertThat(stored).noneMatch(CompletableFuture::isDone);

    configs.data.get("r1").openGate();

    assertThat(stored.get(0)).succeedsWithin(WAIT);
    assertThat(stored.get(1)).succeedsWithin(WAIT);
    assertThat(recordsOf(stored.get(0).join())).hasSize(50).containsOnly("held");
    assertThat(recordsOf(stored.get(1).join())).hasSize(50).containsOnly("next");
  }

  @Test
  void theBufferOfABlockWhoseWriteFailedIsNeverReused() {
    open();
    List<CompletableFuture<BlockInfo>> stored = new ArrayList<>();
    data.failNextWrite();
    ByteBuffer failed = store("lost", 10, stored);
    assertThat(stored.get(0)).failsWithin(WAIT);

    // The log is poisoned now, so the next store fails too; what matters is its buffer.
    assertThat(writer.blockBuffer(failed.capacity())).isNotSameAs(failed);
  }
}
