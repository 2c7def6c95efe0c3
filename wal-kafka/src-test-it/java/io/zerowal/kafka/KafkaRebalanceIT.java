/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.receiver.MicroBatchEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines of one consumer group on one topic while it is produced: the second joins (a
 * rebalance), then the first stops (another); every record is processed, by one engine, once.
 */
class KafkaRebalanceIT {
  private static final int PARTITIONS = 4;
  private static final int RECORDS = 20_000;

  @TempDir Path dir;

  /** Engine name to its batches (batch time to "partition:offset" records). */
  private final Map<String, Map<Long, List<String>>> sinks = new ConcurrentHashMap<>();

  @Test
  void twoEnginesShareTheTopicThroughRebalancesWithoutLossOrDuplicates() throws Exception {
    try (LocalBroker broker = new LocalBroker()) {
      String topic = "rebalance";
      broker.createTopic(topic, PARTITIONS);
      AtomicReference<Throwable> producerFailure = new AtomicReference<>();
      Thread producer = new Thread(() -> {
        try (KafkaProducer<byte[], byte[]> p = broker.producer()) {
          for (int i = 0; i < RECORDS; i += 500) {
            LocalBroker.produce(p, topic, PARTITIONS, i, 500, 16);
            Thread.sleep(100);
          }
        } catch (Throwable t) {
          producerFailure.set(t);
        }
      }, "producer");
      producer.start();

      MicroBatchEngine a = engine("a", broker, topic);
      await("engine a processed records", () -> count("a") >= 2_000);
      MicroBatchEngine b = engine("b", broker, topic);
      await("engine b got partitions and processed records", () -> count("b") >= 1_000);
      a.stop(); // revokes everything: b takes over from a's durable commits
      assertThat(a.failure()).isEmpty();
      producer.join(60_000);
      assertThat(producerFailure.get()).isNull();
      await("every record processed", () -> distinct().size() >= RECORDS);
      b.stop();
      assertThat(b.failure()).isEmpty();

      Map<String, Integer> seen = new HashMap<>();
      sinks.values().forEach(batches -> batches.values().forEach(records ->
          records.forEach(r -> seen.merge(r, 1, Integer::sum))));
      long twice = seen.values().stream().filter(n -> n > 1).count();
      System.out.printf("KAFKA-REBALANCE produced=%d processed=%d by-a=%d by-b=%d"
          + " in-several-batches=%d lost=%d%n", RECORDS, seen.size(), count("a"), count("b"),
          twice, RECORDS - seen.size());
      assertThat(seen).hasSize(RECORDS);
      assertThat(twice).as("records processed by both engines or twice").isZero();
      assertThat(count("a")).isPositive();
      assertThat(count("b")).isPositive();
    }
  }

  private MicroBatchEngine engine(String name, LocalBroker broker, String topic) {
    Map<Long, List<String>> batches = new ConcurrentHashMap<>();
    sinks.put(name, batches);
    Function<String, Storage> storages = LocalStorage.under(dir.resolve(name));
    MicroBatchEngine engine = MicroBatchEngine.builder().name(name)
        .dataStorage(storages).metadataStorage(storages.apply("meta"))
        .batchInterval(Duration.ofMillis(200))
        .receiver("kafka", KafkaReceiver.builder(broker.consumerConfig("shared"))
            .topics(List.of(topic)).commitInterval(Duration.ofMillis(100)).build())
        .processor(KafkaReceiver.processor(batch -> batches.put(batch.batchTime(),
            batch.records().map(r -> r.partition() + ":" + r.offset())
                .collect(Collectors.toList()))))
        .build();
    engine.start();
    return engine;
  }

  private long count(String engine) {
    return sinks.getOrDefault(engine, Map.of()).values().stream().mapToLong(List::size).sum();
  }

  private Map<String, Boolean> distinct() {
    Map<String, Boolean> all = new HashMap<>();
    sinks.values().forEach(batches -> batches.values().forEach(records ->
        records.forEach(r -> all.put(r, true))));
    return all;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 90 s waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}
