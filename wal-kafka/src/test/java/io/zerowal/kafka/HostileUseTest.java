/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.receiver.FailureListener;
import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.ReceiverFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Careless and hostile uses of the module's public entry points: arguments at the edges (null,
 * huge, names Kafka refuses) and user callbacks that block or stop the engine from inside.
 */
class HostileUseTest {
  private static final TopicPartition TP0 = new TopicPartition("t", 0);

  private final List<MicroBatchEngine> engines = new ArrayList<>();
  private final List<ReceiverFailure> failures = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopEngines() {
    engines.forEach(MicroBatchEngine::stopNow);
  }

  private static Map<String, Object> config() {
    return Map.of("group.id", "g", "bootstrap.servers", "unused:9092");
  }

  // ------------------------------------------------------------------ arguments

  @Test
  void aNullValueInTheConsumerConfigurationIsRefusedByName() {
    Map<String, Object> withNull = new HashMap<>(config());
    withNull.put("client.id", null);
    assertThatThrownBy(() -> KafkaReceiver.builder(withNull).topics(List.of("t")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KafkaReceiver").hasMessageContaining("client.id");
    assertThatThrownBy(() -> KafkaDirectSource.builder(withNull).topics(List.of("t")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KafkaDirectSource").hasMessageContaining("client.id");
    Map<String, Object> nullKey = new HashMap<>(config());
    nullKey.put(null, "x");
    assertThatThrownBy(() -> KafkaReceiver.builder(nullKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null key");
  }

  @Test
  void topicNamesKafkaRefusesAreRefusedByTheBuilders() {
    for (String bad : List.of("../etc", "a/b", "with space", "x".repeat(250), ".", "..")) {
      assertThatThrownBy(() -> KafkaReceiver.builder(config()).topics(List.of("ok", bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("KafkaReceiver: topic").hasMessageContaining(bad);
      assertThatThrownBy(() -> KafkaDirectSource.builder(config()).topics(List.of(bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("KafkaDirectSource: topic").hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> KafkaReceiver.builder(config()).topics(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("topics");
  }

  @Test
  void durationsTooLargeToComputeWithAreRefusedByName() {
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    KafkaReceiver.Builder r = KafkaReceiver.builder(config());
    for (String option : List.of("pollTimeout", "commitInterval", "revokeTimeout")) {
      assertThatThrownBy(() -> {
        switch (option) {
          case "pollTimeout" -> r.pollTimeout(huge);
          case "commitInterval" -> r.commitInterval(huge);
          default -> r.revokeTimeout(huge);
        }
      }).as(option).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(option + " is " + huge).hasMessageContaining("at most");
    }
    assertThatThrownBy(() -> r.backoff(Duration.ofMillis(1), huge))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff max");
    KafkaDirectSource.Builder d = KafkaDirectSource.builder(config());
    assertThatThrownBy(() -> d.rangeInterval(huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rangeInterval");
    assertThatThrownBy(() -> d.requestTimeout(huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestTimeout");
    // Long but computable: accepted.
    r.commitInterval(Duration.ofDays(365)).revokeTimeout(Duration.ofDays(365));
  }

  @Test
  void aBlankGroupIdOfTheDirectSourceIsRefusedByName() {
    // A KafkaConsumer with group.id "" fails every committed() with InvalidGroupIdException,
    // which the direct receiver would retry forever; without a group.id it starts from
    // auto.offset.reset instead.
    assertThatThrownBy(() -> KafkaDirectSource.builder(Map.of("bootstrap.servers", "x:1",
        "group.id", " "))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KafkaDirectSource: group.id").hasMessageContaining("remove");
  }

  @Test
  void oneReceiverInstanceRegisteredTwiceIsRefusedAtTheSecondStart() throws Exception {
    List<TestConsumer> made = new CopyOnWriteArrayList<>();
    KafkaReceiver shared = KafkaReceiver.builder(config()).topics(List.of("t"))
        .consumerFactory(c -> {
          TestConsumer m = new TestConsumer();
          made.add(m);
          return m;
        }).build();
    MicroBatchEngine engine = new MemoryStorages().configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(20)).receiver("a", shared).receiver("b", shared)
        .restartPolicy(io.zerowal.receiver.RestartPolicy.attempts(0, Duration.ofMillis(1),
            Duration.ofMillis(1)))
        .processor(KafkaReceiver.processor(batch -> batch.records().count()))
        .failureListener(new FailureListener() {
          @Override
          public void onReceiverFailure(ReceiverFailure failure) {
            failures.add(failure);
          }
        }).build();
    engines.add(engine);
    Throwable thrown = null;
    try {
      engine.start();
    } catch (RuntimeException e) {
      thrown = e;
    }
    List<String> messages = new ArrayList<>();
    if (thrown != null) {
      messages.add(String.valueOf(thrown));
      for (Throwable c = thrown.getCause(); c != null; c = c.getCause()) {
        messages.add(String.valueOf(c));
      }
    }
    failures.forEach(f -> messages.add(f.message() + " " + f.error()));
    assertThat(String.join("\n", messages)).as("the second start is refused, naming the reuse")
        .contains("already started");
    stopWithin(engine::stopNow, 20);
    await(() -> made.stream().allMatch(TestConsumer::closed));
  }

  /** A huge revokeTimeout used to make the stop throw (join with a negative, overflowed wait). */
  @Test
  void theLargestAcceptedRevokeTimeoutStillStops() throws Exception {
    TestConsumer mock = new TestConsumer();
    KafkaReceiver receiver = KafkaReceiver.builder(config()).topics(List.of("t"))
        .revokeTimeout(Duration.ofDays(3650)).commitInterval(Duration.ofDays(3650))
        .pollTimeout(Duration.ofMillis(5)).consumerFactory(c -> mock).build();
    List<String> seen = new CopyOnWriteArrayList<>();
    MicroBatchEngine engine = wal(receiver, batch -> batch.records()
        .forEach(x -> seen.add(x.topic() + "@" + x.offset())));
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 3, 10);
    await(() -> seen.size() == 3);
    assertThat(stopWithin(engine::stop, 20)).isNull();
    assertThat(mock.committedOffset(TP0)).isEqualTo(3);
  }

  /** Long.MAX_VALUE offsets per range overflowed into a backwards range: no batch ever ran. */
  @Test
  void anUnboundedMaxRecordsPerRangeJournalsRanges() throws Exception {
    TestConsumer mock = new TestConsumer();
    mock.updatePartitions("t", List.of(new PartitionInfo("t", 0, Node.noNode(), null, null)));
    mock.updateBeginningOffsets(Map.of(TP0, 5L));
    mock.updateEndOffsets(Map.of(TP0, 42L));
    KafkaDirectSource source = KafkaDirectSource.builder(Map.of("bootstrap.servers", "x:1",
            "auto.offset.reset", "earliest"))
        .topics(List.of("t")).maxRecordsPerRange(Long.MAX_VALUE)
        .rangeInterval(Duration.ofMillis(10)).consumerFactory(c -> mock).build();
    List<OffsetRange> ranges = new CopyOnWriteArrayList<>();
    MicroBatchEngine engine = engine(source.receiver(),
        source.processor(batch -> ranges.addAll(batch.offsetRanges())));
    await(() -> !ranges.isEmpty() || !failures.isEmpty());
    assertThat(failures).isEmpty();
    assertThat(ranges).singleElement().satisfies(r -> {
      assertThat(r.fromOffset()).isEqualTo(5);
      assertThat(r.untilOffset()).isEqualTo(42);
    });
    engine.stop();
    source.close();
  }

  // ------------------------------------------------------------------ callbacks

  @Test
  void theProcessorStoppingTheEngineFromInsideDoesNotDeadlock() throws Exception {
    TestConsumer mock = new TestConsumer();
    AtomicReference<MicroBatchEngine> self = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    KafkaReceiver receiver = receiver(mock);
    MicroBatchEngine engine = wal(receiver, batch -> {
      // Empty batches run from start on, maybe before self is set (a slow machine did that).
      if (batch.records().count() == 0) {
        return;
      }
      self.get().stop();
      stopped.countDown();
    });
    self.set(engine);
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 5, 10);
    assertThat(stopped.await(20, TimeUnit.SECONDS)).as("stop() from the processor returned")
        .isTrue();
    assertThat(engine.awaitTermination(Duration.ofSeconds(20))).isTrue();
    await(() -> mock.closed());
    assertThat(mock.committedOffset(TP0)).as("never ahead of what is durable")
        .isLessThanOrEqualTo(5);
  }

  @Test
  void aFailureListenerStoppingTheEngineFromInsideDoesNotDeadlock() throws Exception {
    TestConsumer mock = new TestConsumer();
    AtomicReference<MicroBatchEngine> self = new AtomicReference<>();
    CountDownLatch heard = new CountDownLatch(1);
    KafkaReceiver receiver = KafkaReceiver.builder(config()).topics(List.of("t"))
        .maxBlockBytes(1024).consumerFactory(c -> mock).build();
    MicroBatchEngine engine = new MemoryStorages().configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(20)).receiver("kafka", receiver)
        .processor(KafkaReceiver.processor(batch -> batch.records().count()))
        .failureListener(new FailureListener() {
          @Override
          public void onReceiverFailure(ReceiverFailure failure) {
            self.get().stop();
            heard.countDown();
          }
        }).build();
    engines.add(engine);
    self.set(engine);
    engine.start();
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 2, 10);
    mock.addAtNextPoll(TP0, 2, 1, 4000); // oversized: the receiver reports and stops
    assertThat(heard.await(20, TimeUnit.SECONDS)).as("stop() from the listener returned")
        .isTrue();
    assertThat(engine.awaitTermination(Duration.ofSeconds(20))).isTrue();
    assertThat(mock.committedOffset(TP0)).isEqualTo(2);
  }

  @Test
  void aStopDuringABlockedProcessorCompletesOnceTheProcessorReturns() throws Exception {
    TestConsumer mock = new TestConsumer();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine engine = wal(receiver(mock), batch -> {
      inside.countDown();
      release.await(60, TimeUnit.SECONDS);
    });
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 5, 10);
    assertThat(inside.await(20, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Throwable> stop = CompletableFuture.supplyAsync(() -> {
      try {
        engine.stopNow(); // documented: waits for the running batch
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    await(() -> mock.closed()); // the receiver stops meanwhile, without waiting for the batch
    assertThat(stop).as("stopNow waits for the running batch").isNotDone();
    release.countDown();
    assertThat(stop.get(20, TimeUnit.SECONDS)).isNull();
    assertThat(mock.committedOffset(TP0)).as("never ahead of what is durable")
        .isLessThanOrEqualTo(5);
  }

  @Test
  void aThrowingProcessorFailsTheEngineAndClosesTheConsumer()
      throws Exception {
    TestConsumer mock = new TestConsumer();
    MicroBatchEngine engine = wal(receiver(mock), batch -> {
      // Not on the empty batches that run from start on: failing there, before the polling
      // thread made its consumer, it never makes one, and there is no consumer to see closed.
      if (batch.records().count() > 0) {
        throw new IllegalStateException("sink down");
      }
    });
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 5, 10);
    assertThat(engine.awaitTermination(Duration.ofSeconds(20))).as("engine failed").isTrue();
    assertThat(engine.failure()).get().satisfies(f -> assertThat(f).hasStackTraceContaining(
        "sink down"));
    await(() -> mock.closed()); // the receiver's thread ends after the engine reported its end
    assertThat(mock.committedOffset(TP0)).as("never ahead of what is durable")
        .isLessThanOrEqualTo(5);
  }

  @Test
  void closingTheDirectSourceFromInsideItsProcessorIsSafe() throws Exception {
    List<TestConsumer> made = new CopyOnWriteArrayList<>();
    TestConsumer ranges = new TestConsumer();
    ranges.updatePartitions("t", List.of(new PartitionInfo("t", 0, Node.noNode(), null, null)));
    ranges.updateBeginningOffsets(Map.of(TP0, 0L));
    ranges.updateEndOffsets(Map.of(TP0, 0L));
    KafkaDirectSource source = KafkaDirectSource.builder(Map.of("bootstrap.servers", "x:1",
            "group.id", "g", "auto.offset.reset", "earliest"))
        .topics(List.of("t")).rangeInterval(Duration.ofMillis(10)).consumerFactory(c -> {
          if (made.isEmpty()) {
            made.add(ranges);
            return ranges;
          }
          TestConsumer reader = new TestConsumer();
          made.add(reader);
          return reader;
        }).build();
    CountDownLatch closed = new CountDownLatch(1);
    MicroBatchEngine engine = engine(source.receiver(), source.processor(batch -> {
      source.close();
      closed.countDown();
    }));
    ranges.schedulePollTask(() -> { });
    ranges.updateEndOffsets(Map.of(TP0, 3L));
    assertThat(closed.await(20, TimeUnit.SECONDS)).isTrue();
    engine.stop();
    source.close();
    for (TestConsumer c : made.subList(1, made.size())) {
      assertThat(c.closed()).as("every reader consumer closed").isTrue();
    }
  }

  /**
   * Stores that never complete (a dead log) are waited for once at stop, up to revokeTimeout; the
   * consumer's close, which revokes the assignment, used to wait for them a second time.
   */
  @Test
  void stopWaitsForStuckStoresOnceNotAgainWhenTheConsumerCloses() throws Exception {
    TestConsumer mock = new TestConsumer();
    mock.revokeOnClose = true;
    KafkaReceiver receiver = KafkaReceiver.builder(config()).topics(List.of("t"))
        .revokeTimeout(Duration.ofSeconds(2)).commitInterval(Duration.ofDays(1))
        .consumerFactory(c -> mock).build();
    List<Runnable> held = new CopyOnWriteArrayList<>();
    AtomicBoolean open = new AtomicBoolean();
    MicroBatchEngine engine = new MemoryStorages().configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(20)).receiver("kafka", receiver)
        .processor(KafkaReceiver.processor(batch -> batch.records().count()))
        .completionExecutor(r -> {
          if (open.get()) {
            r.run();
          } else {
            held.add(r);
          }
        }).build();
    engines.add(engine);
    engine.start();
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 5, 10);
    await(() -> !held.isEmpty());
    CompletableFuture<Throwable> stop = CompletableFuture.supplyAsync(() -> {
      try {
        engine.stopNow();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    try {
      await(() -> mock.closed());
    } finally {
      open.set(true);
      held.forEach(Runnable::run);
    }
    assertThat(stop.get(20, TimeUnit.SECONDS)).isNull();
    assertThat(TimeUnit.NANOSECONDS.toMillis(mock.revokeOnCloseNanos))
        .as("ms the close's revocation waited again for the stuck stores").isLessThan(1_000);
    assertThat(mock.committedOffset(TP0)).as("nothing durable: nothing committed").isEqualTo(-1);
  }

  // ------------------------------------------------------------------ helpers

  private KafkaReceiver receiver(TestConsumer mock) {
    return KafkaReceiver.builder(config()).topics(List.of("t")).commitInterval(Duration.ofDays(1))
        .consumerFactory(c -> mock).build();
  }

  private MicroBatchEngine wal(KafkaReceiver receiver, KafkaBatchProcessor p) {
    return engine(receiver, KafkaReceiver.processor(p));
  }

  private MicroBatchEngine engine(io.zerowal.receiver.Receiver receiver,
      io.zerowal.receiver.BatchProcessor processor) {
    MicroBatchEngine engine = new MemoryStorages().configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(20)).gracefulStopTimeout(Duration.ofSeconds(5))
        .receiver("kafka", receiver).processor(processor)
        .failureListener(new FailureListener() {
          @Override
          public void onReceiverFailure(ReceiverFailure failure) {
            failures.add(failure);
          }
        }).build();
    engines.add(engine);
    engine.start();
    return engine;
  }

  /** Runs {@code stop} on another thread; its failure, or null; fails if it hangs. */
  private static Throwable stopWithin(Runnable stop, int seconds) throws Exception {
    CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
      try {
        stop.run();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    return f.get(seconds, TimeUnit.SECONDS);
  }

  private static void await(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(5);
    }
  }
}
