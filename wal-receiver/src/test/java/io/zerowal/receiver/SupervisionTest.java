/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class SupervisionTest {
  private final MemoryStorage metadata = new MemoryStorage();
  private final Map<String, MemoryStorage> data = new HashMap<>();
  private final List<ReceiverFailure> failures = new CopyOnWriteArrayList<>();
  private final List<Throwable> engineFailures = new CopyOnWriteArrayList<>();

  private MicroBatchEngine.Builder engine() {
    return MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new MemoryStorage()))
        .metadataStorage(metadata).durability(Durability.NONE)
        .batchInterval(Duration.ofMillis(20)).blockInterval(Duration.ofMillis(5))
        .restartPolicy(RestartPolicy.attempts(2, Duration.ofMillis(1), Duration.ofMillis(5)))
        .processor(b -> { })
        .failureListener(new FailureListener() {
          @Override
          public void onReceiverFailure(ReceiverFailure f) {
            failures.add(f);
          }

          @Override
          public void onEngineFailure(Throwable t) {
            engineFailures.add(t);
          }
        });
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(2);
    }
  }

  /** Counts its starts and stops; each start runs {@code body} on a supervised thread. */
  static final class ThreadedReceiver implements Receiver {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final java.util.function.Consumer<ReceiverContext> body;
    volatile Thread thread;
    volatile ReceiverContext context;

    ThreadedReceiver(java.util.function.Consumer<ReceiverContext> body) {
      this.body = body;
    }

    @Override
    public void onStart(ReceiverContext ctx) {
      context = ctx;
      starts.incrementAndGet();
      thread = ctx.startThread("source", () -> body.accept(ctx));
    }

    @Override
    public void onStop() {
      stops.incrementAndGet();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aThrowingReceiverThreadIsRecordedAndRestartsOnlyThatReceiver() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    ThreadedReceiver bad = new ThreadedReceiver(ctx -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("broker gone");
      }
      ctx.store("after restart".getBytes(StandardCharsets.UTF_8)).join();
    });
    ManualReceiver good = new ManualReceiver();
    MicroBatchEngine e = engine().receiver("bad", bad).receiver("good", good).build();
    e.start();
    await(() -> bad.starts.get() == 2 && e.receiverStats().get("bad").records() == 1);

    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.receiverId()).isEqualTo("bad");
      assertThat(f.outcome()).isEqualTo(ReceiverFailure.Outcome.RESTARTING);
      assertThat(f.attempt()).isEqualTo(1);
      assertThat(f.error()).hasMessage("broker gone");
    });
    assertThat(bad.stops.get()).isEqualTo(1);
    assertThat(e.isRunning()).isTrue();
    assertThat(good.storeBlock("still").get().recordCount()).isEqualTo(1);
    e.stop();
    assertThat(engineFailures).isEmpty();
  }

  @Test
  void pastItsAttemptsAReceiverIsStoppedAloneAndTheOthersRunOn() throws Exception {
    ThreadedReceiver bad = new ThreadedReceiver(ctx -> {
      throw new IllegalStateException("always");
    });
    ManualReceiver good = new ManualReceiver();
    MicroBatchEngine e = engine().receiver("bad", bad).receiver("good", good).build();
    e.start();
    await(() -> failures.stream().anyMatch(
        f -> f.outcome() == ReceiverFailure.Outcome.STOPPED));

    assertThat(failures).extracting(ReceiverFailure::outcome).containsExactly(
        ReceiverFailure.Outcome.RESTARTING, ReceiverFailure.Outcome.RESTARTING,
        ReceiverFailure.Outcome.STOPPED);
    assertThat(bad.starts.get()).isEqualTo(3);
    await(() -> bad.stops.get() == 3 && bad.context.isStopped());
    // Once its onStop returned, its stores are refused.
    await(() -> bad.context.store(new byte[1]).isCompletedExceptionally());
    assertThat(e.isRunning()).isTrue();
    assertThat(good.storeBlock("runs on").get().recordCount()).isEqualTo(1);
    e.stop();
  }

  @Test
  void stopEngineOnReceiverFailureStopsTheEngineWithOneFailure() throws Exception {
    ThreadedReceiver bad = new ThreadedReceiver(ctx -> {
      throw new IllegalStateException("always");
    });
    MicroBatchEngine e = engine().restartPolicy(RestartPolicy.never())
        .stopEngineOnReceiverFailure(true).receiver("bad", bad).build();
    e.start();
    assertThat(e.awaitTermination(Duration.ofSeconds(10))).isTrue();

    assertThat(e.failure().orElseThrow()).isInstanceOf(EngineFailedException.class)
        .hasMessageContaining("receiver bad failed").hasRootCauseMessage("always");
    assertThat(failures).extracting(ReceiverFailure::outcome)
        .containsExactly(ReceiverFailure.Outcome.ENGINE_STOPPING);
    assertThat(engineFailures).hasSize(1);
    e.stopNow(); // waits for the engine's threads: the receiver is stopped
    assertThat(bad.stops.get()).isEqualTo(1);
  }

  @Test
  void startFailsWhenAReceiverFailsToStartAndLeavesNothingRunning() throws Exception {
    ManualReceiver first = new ManualReceiver();
    Receiver broken = new Receiver() {
      @Override
      public void onStart(ReceiverContext context) {
        throw new IllegalArgumentException("bad topic");
      }

      @Override
      public void onStop() {
        throw new AssertionError("onStop of a receiver that never started");
      }
    };
    MicroBatchEngine e = engine().name("orders").receiver("first", first)
        .receiver("broken", broken).build();

    assertThatThrownBy(e::start).isInstanceOf(EngineFailedException.class)
        .hasMessageContaining("receiver broken failed to start").hasRootCauseMessage("bad topic");
    assertThat(e.isRunning()).isFalse();
    assertThat(e.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(first.stopped).isTrue();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
        t -> t.getName().startsWith("zerowal-orders-"));
    e.stop(); // the start threw the failure already: nothing more to report
    assertThatThrownBy(e::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("an engine runs once");
  }

  @Test
  void reportErrorIsHandedToTheListenerAndTheReceiverRunsOn() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine().receiver("r", r).build();
    e.start();
    r.context.reportError("one bad record skipped", new NumberFormatException("x"));

    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.outcome()).isEqualTo(ReceiverFailure.Outcome.REPORTED);
      assertThat(f.message()).isEqualTo("one bad record skipped");
    });
    assertThat(r.context.isStopped()).isFalse();
    assertThat(r.storeBlock("fine").get().recordCount()).isEqualTo(1);
    e.stop();
  }

  @Test
  void aReceiverStoppingItselfIsStoppedAloneAndWhatItStoredIsProcessed() throws Exception {
    List<String> processed = new CopyOnWriteArrayList<>();
    ManualReceiver finite = new ManualReceiver();
    ManualReceiver other = new ManualReceiver();
    MicroBatchEngine e = engine().receiver("finite", finite).receiver("other", other)
        .processor(b -> b.records().forEach(rec -> processed.add(ManualReceiver.text(rec))))
        .build();
    e.start();
    finite.storeBlock("last").get();
    finite.context.stop("end of file");
    await(() -> finite.stopped && finite.context.isStopped());
    await(() -> processed.contains("last"));
    await(() -> finite.context.store(new byte[1]).isCompletedExceptionally());

    assertThat(e.isRunning()).isTrue();
    assertThat(other.storeBlock("other").get().recordCount()).isEqualTo(1);
    e.stop();
  }

  @Test
  void restartWithAnExplicitDelayStopsAndStartsTheReceiverAgain() throws Exception {
    ThreadedReceiver r = new ThreadedReceiver(ctx -> {
      while (!ctx.isStopped()) {
        Thread.onSpinWait();
      }
    });
    MicroBatchEngine e = engine().receiver("r", r).build();
    e.start();
    r.context.restart("reconnect", null, Duration.ofMillis(20));
    await(() -> r.starts.get() == 2);

    assertThat(r.stops.get()).isEqualTo(1);
    assertThat(r.context.isStopped()).isFalse();
    e.stop();
    assertThat(r.stops.get()).isEqualTo(2);
  }

  @Test
  void aSecondEngineOnTheSameLogsFailsToStartNamingTheLockedLog() throws Exception {
    MicroBatchEngine first = engine().receiver("r", new ManualReceiver()).build();
    first.start();
    MicroBatchEngine second = engine().receiver("r", new ManualReceiver()).build();
    assertThatThrownBy(second::start).isInstanceOf(io.zerowal.core.LogLockedException.class)
        .hasMessageContaining("the metadata log (memory) is locked by another writer")
        .hasCauseInstanceOf(io.zerowal.core.storage.StorageLockedException.class);
    assertThat(second.isRunning()).isFalse();
    first.stop();
  }

  @Test
  void engineNameIsInThreadNames() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine().name("payments").receiver("r", r).build();
    e.start();
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .contains("zerowal-payments-batches", "zerowal-payments-blocks");
    e.stop();
  }
}
