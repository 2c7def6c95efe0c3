/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.TestMdc;

/**
 * The engine's name in the MDC ({@code zerowal.engine}): on the threads the engine starts, and on
 * the log threads (created by wal-core, which knows no engine) while they run its callbacks.
 */
class EngineMdcTest {
  private TestMdc mdc;

  @BeforeEach
  void workingMdc() {
    mdc = TestMdc.install();
  }

  @AfterEach
  void restoreMdc() {
    mdc.close();
  }

  @Test
  void acknowledgementsOnTheLogsThreadsAndBatchesCarryTheEngineName() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    ManualReceiver r = new ManualReceiver();
    GatedStorage data = new GatedStorage();
    MicroBatchEngine e = MicroBatchEngine.builder().name("orders")
        .dataStorage(id -> data).metadataStorage(new MemoryStorage("meta"))
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(20))
        .receiver("r", r)
        .processor(b -> seen.add("batch " + MDC.get(EngineThreads.MDC_KEY))).build();
    e.start();
    data.closeGate(); // the stores stay in flight until their callbacks are attached
    CompletableFuture<String> ack = new CompletableFuture<>();
    r.storeBlock("x").thenRun(() -> ack.complete(Thread.currentThread().getName() + " "
        + MDC.get(EngineThreads.MDC_KEY)));
    CompletableFuture<String> single = r.context.store(new byte[] {1})
        .thenApply(b -> MDC.get(EngineThreads.MDC_KEY));
    data.openGate();
    String acked = ack.get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    e.stop();
    assertThat(acked).as("a list store's acknowledgement, thread and MDC").endsWith(" orders")
        .doesNotStartWith("zerowal-orders-"); // a log's thread, not one the engine started
    assertThat(single.get(10, TimeUnit.SECONDS)).as("a single-record store's acknowledgement")
        .isEqualTo("orders");
    assertThat(seen).isNotEmpty().allMatch("batch orders"::equals);
  }

  @Test
  void aCallbackPutsTheThreadsOwnEntryBackAfter() {
    EngineThreads threads = new EngineThreads("a");
    List<String> inside = new CopyOnWriteArrayList<>();
    threads.callback(() -> inside.add(MDC.get(EngineThreads.MDC_KEY)));
    assertThat(MDC.get(EngineThreads.MDC_KEY)).isNull();

    MDC.put(EngineThreads.MDC_KEY, "b"); // a thread of another engine, or the user's own entry
    threads.callback(() -> {
      inside.add(MDC.get(EngineThreads.MDC_KEY));
      threads.callback(() -> inside.add(MDC.get(EngineThreads.MDC_KEY))); // nested
      inside.add(MDC.get(EngineThreads.MDC_KEY));
    });
    assertThat(MDC.get(EngineThreads.MDC_KEY)).isEqualTo("b");
    MDC.remove(EngineThreads.MDC_KEY);
    assertThat(inside).containsExactly("a", "a", "a", "a");
  }
}
