/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads offset ranges for a {@link KafkaDirectSource}'s batches: assign, seek, poll to the end of
 * the range. Batch thread only. {@code auto.offset.reset=none}: a range that retention deleted
 * fails instead of silently reading other records.
 */
final class RangeReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);
  private final Consumer<byte[], byte[]> consumer;
  private final Duration requestTimeout;

  RangeReader(KafkaDirectSource source) {
    Map<String, Object> config = new HashMap<>(source.consumerConfig);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    this.consumer = source.consumerFactory.apply(config);
    this.requestTimeout = source.requestTimeout;
  }

  Stream<ConsumerRecord<byte[], byte[]>> read(List<OffsetRange> ranges) {
    Map<TopicPartition, Long> partitions = new HashMap<>(); // and where each batch starts
    ranges.forEach(r -> partitions.putIfAbsent(r.partition(), r.fromOffset()));
    return ranges.stream().flatMap(r -> StreamSupport.stream(Spliterators.spliteratorUnknownSize(
        new RangeIterator(r, partitions), Spliterator.ORDERED), false));
  }

  void commit(Map<TopicPartition, OffsetAndMetadata> ends) {
    consumer.commitSync(ends, requestTimeout);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }

  private final class RangeIterator implements Iterator<ConsumerRecord<byte[], byte[]>> {
    private final OffsetRange range;
    private final Map<TopicPartition, Long> partitions;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
    private boolean started;
    private long position;

    RangeIterator(OffsetRange range, Map<TopicPartition, Long> partitions) {
      this.range = range;
      this.partitions = partitions;
    }

    @Override
    public boolean hasNext() {
      if (!started) {
        started = true;
        // One assignment for every partition of the batch, so that moving to the next range does
        // not drop the consumer's fetch state; only the range being read is left unpaused.
        TopicPartition tp = range.partition();
        if (!consumer.assignment().equals(partitions.keySet())) {
          consumer.assign(partitions.keySet());
          partitions.forEach(consumer::seek); // a position for each, paused or not
        }
        consumer.seek(tp, range.fromOffset());
        consumer.pause(consumer.assignment());
        consumer.resume(List.of(tp));
        position = range.fromOffset();
      }
      long lastProgress = System.nanoTime();
      while (buffered.isEmpty() && position < range.untilOffset()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(range.partition())) {
          if (r.offset() >= range.fromOffset() && r.offset() < range.untilOffset()) {
            buffered.add(r);
          }
        }
        long now = consumer.position(range.partition());
        if (now > position) {
          position = now;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > requestTimeout.toNanos()) {
          throw new KafkaException("reading offset range " + range + ": no progress at offset "
              + position + " for " + requestTimeout + " (broker down, or the records are"
              + " gone?); the batch runs again at the next start");
        }
      }
      return !buffered.isEmpty();
    }

    @Override
    public ConsumerRecord<byte[], byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException(range.toString());
      }
      return buffered.poll();
    }
  }
}
