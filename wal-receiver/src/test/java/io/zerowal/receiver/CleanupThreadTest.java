/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.MemoryStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Segments are deleted after each batch on the engine's cleanup thread, not the batch thread: a
 * deletion that waits (an unlink and a directory sync behind a busy file-system journal took up
 * to 400 ms each on this project's disk, a dozen per batch at 800k records/s) must not hold up the
 * next batch, and a deletion that fails still fails the engine.
 */
class CleanupThreadTest {
  private static final String RECORD = "x".repeat(1500); // two blocks fill a 4 KiB segment

  /** Data storage whose deletes can be held, or made to fail. */
  private static final class SlowDeletes extends ForwardingStorage {
    final CountDownLatch deleteEntered = new CountDownLatch(1);
    final CountDownLatch releaseDeletes = new CountDownLatch(1);
    volatile boolean failDeletes;
    volatile boolean deleteReturned;

    SlowDeletes() {
      super(new MemoryStorage());
    }

    @Override
    public void delete(String name) throws IOException {
      deleteEntered.countDown();
      if (failDeletes) {
        throw new IOException("injected: cannot delete " + name);
      }
      try {
        if (!releaseDeletes.await(30, TimeUnit.SECONDS)) {
          throw new IOException("the test never released the delete of " + name);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      super.delete(name);
      deleteReturned = true;
    }
  }

  private static MicroBatchEngine engine(SlowDeletes data, ManualReceiver r, AtomicLong batches,
      AtomicLong records) {
    return MicroBatchEngine.builder().dataStorage(id -> data)
        .metadataStorage(new MemoryStorage()).batchInterval(Duration.ofMillis(50))
        .blockInterval(Duration.ofMillis(20)).dataSegmentSize(4096).maxBlockBytes(2048)
        .receiver("r1", r)
        .processor(b -> records.addAndGet(b.recordCount()))
        .onBatchCompleted(s -> batches.incrementAndGet()).build();
  }

  private static void storeBlocks(ManualReceiver r, int n) throws Exception {
    List<CompletableFuture<BlockInfo>> acks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      acks.add(r.storeBlock(RECORD));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
  }

  private static void awaitAtLeast(AtomicLong counter, long n, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (counter.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": " + counter.get() + " after 10 s, expected " + n);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aDeletionThatWaitsDoesNotHoldUpTheNextBatches() throws Exception {
    SlowDeletes data = new SlowDeletes();
    ManualReceiver r = new ManualReceiver();
    AtomicLong batches = new AtomicLong();
    AtomicLong records = new AtomicLong();
    MicroBatchEngine e = engine(data, r, batches, records);
    e.start();
    try {
      storeBlocks(r, 8); // several segments; the batch that processes them deletes them
      assertThat(data.deleteEntered.await(10, TimeUnit.SECONDS))
          .as("a processed segment is being deleted").isTrue();
      long before = batches.get();
      storeBlocks(r, 4);
      awaitAtLeast(records, 12, "records processed while a deletion is held");
      awaitAtLeast(batches, before + 3, "batches completed while a deletion is held");
      assertThat(data.deleteReturned).as("the deletion is still held").isFalse();
      assertThat(e.receiverStats().get("r1").unprocessedBytes())
          .as("processed blocks leave the backlog only once their segments are deleted")
          .isGreaterThan(0);
      data.releaseDeletes.countDown();
      storeBlocks(r, 1);
      awaitAtLeast(records, 13, "records processed after the deletion returned");
    } finally {
      data.releaseDeletes.countDown();
      e.stop();
    }
    assertThat(data.deleteReturned).isTrue();
    assertThat(records.get()).isEqualTo(13);
    assertThat(e.receiverStats().get("r1").unprocessedBytes())
        .as("every processed block left the backlog by the end of the stop").isZero();
  }

  @Test
  void aStopWaitsForTheDeletionInProgressBeforeTheLogsClose() throws Exception {
    SlowDeletes data = new SlowDeletes();
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(data, r, new AtomicLong(), new AtomicLong());
    e.start();
    storeBlocks(r, 8);
    assertThat(data.deleteEntered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> stop = CompletableFuture.runAsync(e::stop);
    Thread.sleep(200);
    assertThat(stop).as("the stop waits for the deletion").isNotDone();
    assertThat(e.awaitTermination(Duration.ofMillis(1))).as("not terminated meanwhile").isFalse();
    data.releaseDeletes.countDown();
    stop.get(10, TimeUnit.SECONDS);
    assertThat(data.deleteReturned).isTrue();
    assertThat(e.isRunning()).isFalse();
    assertThat(e.failure()).isEmpty();
  }

  @Test
  void aDeletionThatFailsFailsTheEngineWithinABatchInterval() throws Exception {
    SlowDeletes data = new SlowDeletes();
    data.failDeletes = true;
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(data, r, new AtomicLong(), new AtomicLong());
    e.start();
    try {
      storeBlocks(r, 8);
      assertThat(e.awaitTermination(Duration.ofSeconds(10))).as("the engine fails").isTrue();
      assertThat(e.failure()).get().isInstanceOf(UncheckedIOException.class);
      assertThat(e.failure().get().getMessage()).contains("deleting old segments");
      assertThat(e.failure().get().getCause()).hasMessageContaining("injected: cannot delete");
    } finally {
      e.stopNow();
    }
  }
}
