/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.BackPressure;
import io.zerowal.receiver.FailureListener;
import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.ReceiverFailure;
import io.zerowal.receiver.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WAL-mode poller when the engine refuses a store at once: it must not build blocks the engine
 * refuses, and a store that throws must not leave an entry in flight that the stop then waits
 * for (KafkaHostileIT hung 30 s per attempt on both, while its engine ran on a dead log).
 */
class StoreRefusedTest {
  private static final TopicPartition TP0 = new TopicPartition("t", 0);

  private final Set<String> sink = ConcurrentHashMap.newKeySet();
  private final List<ReceiverFailure> failures = new CopyOnWriteArrayList<>();
  private final List<MicroBatchEngine> engines = new ArrayList<>();

  @AfterEach
  void stopEngines() {
    engines.forEach(MicroBatchEngine::stopNow);
  }

  private MicroBatchEngine start(MicroBatchEngine.Builder options, KafkaReceiver receiver) {
    MicroBatchEngine engine = new MemoryStorages().configure(options)
        .receiver("kafka", receiver)
        .processor(KafkaReceiver.processor(batch -> batch.records()
            .forEach(r -> sink.add(r.partition() + ":" + r.offset()))))
        .failureListener(new FailureListener() {
          @Override
          public void onReceiverFailure(ReceiverFailure failure) {
            failures.add(failure);
          }
        })
        .build();
    engines.add(engine);
    engine.start();
    return engine;
  }

  private static KafkaReceiver.Builder receiver(TestConsumer mock) {
    return KafkaReceiver.builder(Map.of("group.id", "g", "bootstrap.servers", "unused:9092"))
        .topics(List.of("t")).consumerFactory(c -> mock);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Its default 1 MiB blocks would be refused by an engine of 4 KiB blocks: it cuts smaller. */
  @Test
  void blocksStayWithinTheEnginesMaxBlockBytesWhenTheReceiversIsLarger() throws Exception {
    TestConsumer mock = new TestConsumer();
    start(MicroBatchEngine.builder().maxBlockBytes(4096).batchInterval(Duration.ofMillis(20)),
        receiver(mock).commitInterval(Duration.ofMillis(1)).build());
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 50, 500); // one poll of ~25 KB: one block would be refused
    await("50 records processed", () -> sink.size() == 50);
    await("commit of 50", () -> mock.committedOffset(TP0) == 50);
    assertThat(failures).as("no store refused, no restart").isEmpty();
  }

  /**
   * A store refused at once (back-pressure under FAIL_FAST) throws out of the polling thread;
   * its stop waits for the stores in flight, which must not include the refused one: with a
   * revokeTimeout of 20 s, the report would come 20 s late.
   */
  @Test
  void aStoreThatThrowsLeavesNothingInFlightForTheStopToWaitFor() throws Exception {
    TestConsumer mock = new TestConsumer();
    start(MicroBatchEngine.builder().batchInterval(Duration.ofHours(1))
        .backPressure(BackPressure.FAIL_FAST).maxUnprocessedBytes(1000)
        .restartPolicy(RestartPolicy.never()),
        receiver(mock).revokeTimeout(Duration.ofSeconds(20)).commitInterval(Duration.ofHours(1))
            .build());
    mock.assignAtNextPoll(List.of(TP0));
    mock.addAtNextPoll(TP0, 0, 5, 300); // 1,500 bytes: taken, never processed (no batch)
    mock.addAtNextPoll(TP0, 5, 1, 300); // refused at once: the backlog is over 1,000 bytes
    await("the polling thread's failure reported", () -> !failures.isEmpty());
    assertThat(failures.get(0).error()).hasStackTraceContaining("BackPressureException");
    await("commit of the stored block", () -> mock.committedOffset(TP0) == 5);
  }
}
