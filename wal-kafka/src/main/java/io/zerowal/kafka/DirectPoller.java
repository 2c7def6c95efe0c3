/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.receiver.ReceiverContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a {@link KafkaDirectSource}'s receiver: every range interval, the end offsets of
 * every partition become ranges from the last journaled position, stored as one block whose
 * metadata is the positions after them. It never fetches records.
 */
final class DirectPoller implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DirectPoller.class);

  private final ReceiverContext context;
  private final KafkaDirectSource source;
  private final Map<TopicPartition, Long> positions;
  private final Backoff backoff;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Set<String> missingTopics = new HashSet<>();

  DirectPoller(ReceiverContext context, KafkaDirectSource source,
      Map<TopicPartition, Long> recovered) {
    this.context = context;
    this.source = source;
    this.positions = new HashMap<>(recovered);
    this.backoff = new Backoff(source.initialBackoff, source.maxBackoff);
  }

  void stop() {
    stop.countDown();
  }

  private boolean stopped() {
    return stop.getCount() == 0 || context.isStopped();
  }

  @Override
  public void run() {
    String who = "direct receiver " + context.receiverId();
    Consumer<byte[], byte[]> c = backoff.retry(
        () -> source.consumerFactory.apply(source.consumerConfig), this::stopped, log,
        who + ": creating the Kafka consumer");
    if (c == null) {
      return;
    }
    try {
      while (!stopped()) {
        if (stop.await(source.rangeInterval.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
        List<OffsetRange> ranges = backoff.retry(() -> nextRanges(c), this::stopped, log,
            who + ": asking Kafka for end offsets");
        if (ranges == null) {
          break;
        }
        if (ranges.isEmpty()) {
          continue;
        }
        Map<TopicPartition, Long> next = new HashMap<>(positions);
        List<ByteBuffer> records = new ArrayList<>(ranges.size());
        for (OffsetRange r : ranges) {
          next.put(r.partition(), r.untilOffset());
          records.add(r.encode());
        }
        try {
          context.storeAndWait(records, Positions.encode(next));
        } catch (IllegalStateException e) {
          if (stopped()) {
            break; // refused: the engine stops; the ranges are journaled again next start
          }
          throw e;
        }
        positions.clear();
        positions.putAll(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      c.close(java.time.Duration.ofSeconds(5));
    }
  }

  /** The new ranges up to the current end offsets; positions of new partitions are set here. */
  private List<OffsetRange> nextRanges(Consumer<byte[], byte[]> c) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : source.topics) {
      List<PartitionInfo> infos = c.partitionsFor(topic, source.requestTimeout);
      if (infos == null || infos.isEmpty()) {
        if (missingTopics.add(topic)) {
          log.warn("direct receiver {}: topic {} has no partitions (yet): waiting for it",
              context.receiverId(), topic);
        }
        continue;
      }
      missingTopics.remove(topic);
      for (PartitionInfo p : infos) {
        partitions.add(new TopicPartition(p.topic(), p.partition()));
      }
    }
    // Own the partitions asked about: a Kafka consumer logs "Not updating high watermark for
    // partition ... as it is no longer assigned" at WARN for each partition it does not own in
    // every end offsets answer, i.e. each range interval, forever. assign() joins no group, and
    // this consumer never polls, so it fetches nothing.
    Set<TopicPartition> owned = new HashSet<>(partitions);
    if (!c.assignment().equals(owned)) {
      c.assign(owned);
    }
    List<TopicPartition> fresh = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (!positions.containsKey(tp)) {
        fresh.add(tp);
      }
    }
    if (!fresh.isEmpty()) {
      start(c, fresh);
    }
    Map<TopicPartition, Long> ends = c.endOffsets(partitions, source.requestTimeout);
    List<OffsetRange> ranges = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long from = positions.get(tp);
      Long end = ends.get(tp);
      if (end != null && end > from) {
        // end - from cannot overflow (both offsets are >= 0); from + maxRecordsPerRange can.
        ranges.add(new OffsetRange(tp, from,
            end - from > source.maxRecordsPerRange ? from + source.maxRecordsPerRange : end));
      }
    }
    return ranges;
  }

  /** Where a partition never journaled starts: the group's offset, else auto.offset.reset. */
  private void start(Consumer<byte[], byte[]> c, List<TopicPartition> fresh) {
    Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
    if (source.consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG) != null) {
      committed = c.committed(new HashSet<>(fresh), source.requestTimeout);
    }
    boolean earliest = "earliest".equals(
        String.valueOf(source.consumerConfig.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)));
    Map<TopicPartition, Long> reset = earliest
        ? c.beginningOffsets(fresh, source.requestTimeout)
        : c.endOffsets(fresh, source.requestTimeout);
    for (TopicPartition tp : fresh) {
      OffsetAndMetadata o = committed.get(tp);
      long from = o != null ? o.offset() : reset.get(tp);
      positions.put(tp, from);
      log.info("direct receiver {}: {} starts at {} ({})", context.receiverId(), tp, from,
          o != null ? "committed" : earliest ? "earliest" : "latest");
    }
  }
}
