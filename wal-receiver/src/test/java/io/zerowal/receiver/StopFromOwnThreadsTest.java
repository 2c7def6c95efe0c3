/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link MicroBatchEngine#stop()} and {@link MicroBatchEngine#stopNow()} called from a thread the
 * engine calls user code on return at once and the stop proceeds; a later stop from another thread
 * waits for it and returns. Before, each of these hung forever.
 */
class StopFromOwnThreadsTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private final MemoryStorage metadata = new MemoryStorage();
  private final Map<String, GatedStorage> data = new HashMap<>();
  private final AtomicReference<MicroBatchEngine> engine = new AtomicReference<>();
  /** The thread a stop was called on, once that call returned. */
  private final CompletableFuture<String> stopReturnedOn = new CompletableFuture<>();
  private final BatchRecorder recorder = new BatchRecorder();

  private MicroBatchEngine.Builder builder(Receiver receiver, BatchProcessor processor) {
    return MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new GatedStorage()))
        .metadataStorage(metadata)
        .batchInterval(Duration.ofMillis(10)).blockInterval(Duration.ofMillis(5))
        .receiver("r1", receiver).processor(processor);
  }

  private void stopFromHere() {
    engine.get().stop();
    stopReturnedOn.complete(Thread.currentThread().getName());
  }

  /** The stop called from an engine thread returned, the engine terminated, and stop() from here returns. */
  private void assertStopsWithoutHanging() {
    assertTimeoutPreemptively(LIMIT, () -> {
      assertThat(stopReturnedOn.get()).isNotEqualTo(Thread.currentThread().getName());
      assertThat(engine.get().awaitTermination(LIMIT)).isTrue();
      engine.get().stop();
    });
    assertThat(engine.get().isRunning()).isFalse();
    assertThat(engine.get().failure()).isEmpty();
  }

  @Test
  void stopFromTheBatchProcessorReturnsAndTheEngineDrains() throws Exception {
    ManualReceiver r = new ManualReceiver();
    engine.set(builder(r, batch -> {
      recorder.process(batch);
      if (batch.recordCount() > 0) {
        stopFromHere();
      }
    }).build());
    engine.get().start();
    r.storeBlock("last").get();

    assertStopsWithoutHanging();
    assertThat(stopReturnedOn.get()).isEqualTo("zerowal-engine-batches");
    assertThat(recorder.allRecords()).containsExactly("last");
  }

  @Test
  void stopFromOnBatchCompletedReturnsAndTheEngineDrains() throws Exception {
    ManualReceiver r = new ManualReceiver();
    engine.set(builder(r, recorder).onBatchCompleted(stats -> {
      if (stats.records() > 0) {
        stopFromHere();
      }
    }).build());
    engine.get().start();
    r.storeBlock("last").get();

    assertStopsWithoutHanging();
    assertThat(recorder.allRecords()).containsExactly("last");
  }

  @Test
  void stopFromAStoreAcknowledgementReturnsAndTheEngineDrains() throws Exception {
    ManualReceiver r = new ManualReceiver();
    engine.set(builder(r, recorder).build());
    engine.get().start();
    // A finite source that stops on its last ack: held in flight until the callback is attached,
    // so the acknowledgement runs on one of the engine's or the logs' threads, never on this one.
    data.get("r1").closeGate();
    r.context.store(new byte[] {'a'});
    r.context.store(new byte[] {'b'}).thenRun(this::stopFromHere);
    data.get("r1").openGate();

    assertStopsWithoutHanging();
    assertThat(stopReturnedOn.get()).startsWith("zerowal-");
    assertThat(recorder.allRecords()).containsExactly("a", "b");
  }

  @Test
  void stopNowFromAStoreAcknowledgementReturnsAndTheEngineStops() throws Exception {
    ManualReceiver r = new ManualReceiver();
    engine.set(builder(r, recorder).build());
    engine.get().start();
    data.get("r1").closeGate(); // the callback is attached before the store completes
    r.context.store(new byte[] {'a'}).thenRun(() -> {
      engine.get().stopNow();
      stopReturnedOn.complete(Thread.currentThread().getName());
    });
    data.get("r1").openGate();

    assertStopsWithoutHanging();
  }

  @Test
  void stopFromReceiverOnStopReturnsAndTheOuterStopCompletes() throws Exception {
    ManualReceiver inner = new ManualReceiver();
    Receiver r = new Receiver() {
      @Override
      public void onStart(ReceiverContext context) {
        inner.onStart(context);
      }

      @Override
      public void onStop() {
        stopFromHere();
      }
    };
    engine.set(builder(r, recorder).build());
    engine.get().start();
    inner.storeBlock("x").get();

    assertTimeoutPreemptively(LIMIT, () -> engine.get().stop());
    assertThat(stopReturnedOn).isDone();
    assertThat(recorder.allRecords()).containsExactly("x");
  }
}
