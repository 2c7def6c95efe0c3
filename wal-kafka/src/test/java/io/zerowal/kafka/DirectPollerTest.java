/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The direct source's ranges consumer, as a real Kafka consumer sees it. */
class DirectPollerTest {
  private static final TopicPartition TP0 = new TopicPartition("t", 0);
  private static final TopicPartition TP1 = new TopicPartition("t", 1);

  /**
   * A real consumer logs "Not updating high watermark for partition ... as it is no longer
   * assigned" at WARN for every partition of an end offsets answer it does not own: with an
   * unassigned ranges consumer that was two warnings per range interval for the whole run
   * (1,076 in 54 s of KafkaHostileIT's direct child), burying every useful line of the log.
   */
  @Test
  void theRangesConsumerOwnsThePartitionsItAsksEndOffsetsFor() throws Exception {
    Set<TopicPartition> askedUnowned = ConcurrentHashMap.newKeySet();
    // The ranges consumer never polls: a plain MockConsumer (TestConsumer is final).
    MockConsumer<byte[], byte[]> ranges = new MockConsumer<>("earliest") {
      @Override
      public synchronized Map<TopicPartition, Long> endOffsets(
          Collection<TopicPartition> partitions, Duration timeout) {
        for (TopicPartition tp : partitions) {
          if (!assignment().contains(tp)) {
            askedUnowned.add(tp);
          }
        }
        return super.endOffsets(partitions, timeout);
      }
    };
    ranges.updatePartitions("t", List.of(new PartitionInfo("t", 0, Node.noNode(), null, null),
        new PartitionInfo("t", 1, Node.noNode(), null, null)));
    ranges.updateBeginningOffsets(Map.of(TP0, 0L, TP1, 0L));
    ranges.updateEndOffsets(Map.of(TP0, 3L, TP1, 2L));
    KafkaDirectSource source = KafkaDirectSource.builder(Map.of("bootstrap.servers", "x:1",
            "auto.offset.reset", "earliest"))
        .topics(List.of("t")).rangeInterval(Duration.ofMillis(10))
        .consumerFactory(c -> ranges).build();
    Set<TopicPartition> journaled = ConcurrentHashMap.newKeySet();
    CountDownLatch both = new CountDownLatch(1);
    MicroBatchEngine engine = new MemoryStorages().configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(20)).receiver("kafka", source.receiver())
        .processor(source.processor(batch -> {
          batch.offsetRanges().forEach(r -> journaled.add(r.partition()));
          if (journaled.size() == 2) {
            both.countDown();
          }
        })).build();
    engine.start();
    try {
      assertThat(both.await(20, TimeUnit.SECONDS)).as("ranges of both partitions journaled")
          .isTrue();
      assertThat(new TreeSet<>(askedUnowned.stream().map(TopicPartition::toString).toList()))
          .as("partitions whose end offsets were asked while not assigned").isEmpty();
      assertThat(ranges.assignment()).containsExactlyInAnyOrder(TP0, TP1);
    } finally {
      engine.stop();
      source.close();
    }
  }
}
