/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.receiver.Batch;
import io.zerowal.receiver.BatchProcessor;
import io.zerowal.receiver.BlockInfo;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct mode: batches journal the Kafka offset ranges they cover instead of copying records;
 * records are read from Kafka, exactly those ranges, when the batch runs.
 *
 * <pre>{@code
 * KafkaDirectSource kafka = KafkaDirectSource.builder(Map.of(
 *         "bootstrap.servers", "localhost:9092", "group.id", "orders-direct",
 *         "auto.offset.reset", "earliest"))
 *     .topics(List.of("orders")).build();
 * MicroBatchEngine engine = MicroBatchEngine.builder()
 *     .dataStorage(...).metadataStorage(...)
 *     .receiver("orders", kafka.receiver())
 *     .processor(kafka.processor(batch -> sink.write(batch.batchTime(), batch.records())))
 *     .build();
 * engine.start(); ... engine.stop(); kafka.close();
 * }</pre>
 *
 * <h2>How (no engine change)</h2>
 * The {@linkplain #receiver() receiver} asks Kafka for the end offsets of every partition of the
 * topics each {@code rangeInterval} and stores a tiny block whose records are the new
 * {@link OffsetRange}s {@code [previous end, end)}, with the positions after them as the block's
 * metadata. The engine journals which blocks form each batch before the batch runs, and after a
 * crash runs an unfinished batch again with the same blocks and batch time: so a batch's ranges
 * are fixed before it runs, and the same after a crash. The {@linkplain #processor processor}
 * expands the ranges (contiguous ones merged) into records by assigning each partition, seeking to
 * the range's start and polling to its end. After the user's processor returns, the ranges' ends
 * are committed to the group, for monitoring only: the source resumes from the durable positions
 * it journaled ({@code lastMetadata}), falling back to the group's committed offsets, then to
 * {@code auto.offset.reset}, for partitions it never saw.
 *
 * <h2>Delivery</h2>
 * Every offset is in exactly one batch, and a batch's records are the same on every run: with a
 * sink that is idempotent per batch time the output is exactly-once; otherwise at-least-once (a
 * batch that ran before a crash runs again). The records must still be in Kafka when the batch
 * runs (retention longer than the backlog); a range that retention deleted fails the batch, and
 * the engine, with a clear error: those records are lost upstream.
 *
 * <h2>Scope</h2>
 * One engine reads every partition of its topics (no group membership); use one source per engine
 * (its processor treats every block of a batch as ranges), and a group id of its own. Not
 * thread-safe beyond what the engine does: the receiver runs on its thread, the processor on the
 * batch thread. {@link #close()} after the engine stopped.
 */
public final class KafkaDirectSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaDirectSource.class);

  final Map<String, Object> consumerConfig;
  final List<String> topics;
  final Duration rangeInterval;
  final long maxRecordsPerRange;
  final Duration requestTimeout;
  final Duration initialBackoff;
  final Duration maxBackoff;
  final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory;
  private final String groupId;
  private RangeReader reader; // batch thread only

  private KafkaDirectSource(Builder b) {
    this.consumerConfig = Map.copyOf(b.consumerConfig);
    this.topics = b.topics;
    this.rangeInterval = b.rangeInterval;
    this.maxRecordsPerRange = b.maxRecordsPerRange;
    this.requestTimeout = b.requestTimeout;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.consumerFactory = b.consumerFactory;
    Object g = consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG);
    this.groupId = g == null || g.toString().isBlank() ? null : g.toString();
  }

  /**
   * Starts a builder.
   *
   * @param consumerConfig the consumer's configuration ({@code bootstrap.servers}; a
   *     {@code group.id} to commit monitoring offsets and to start from them;
   *     {@code auto.offset.reset} for partitions without a position); copied
   * @return a builder
   * @throws IllegalArgumentException if {@code enable.auto.commit} is true, a deserializer other
   *     than bytes is set, {@code group.id} is blank or a key or value is null
   */
  public static Builder builder(Map<String, ?> consumerConfig) {
    return new Builder(consumerConfig);
  }

  /**
   * The receiver to register with the engine: it journals offset ranges, no records. One engine,
   * one receiver id.
   *
   * @return a new receiver each call
   */
  public Receiver receiver() {
    return new Receiver() {
      private DirectPoller poller;
      private Thread thread;

      @Override
      public synchronized void onStart(ReceiverContext context) {
        Map<TopicPartition, Long> positions = context.lastMetadata().map(Positions::decode)
            .orElse(Map.of());
        poller = new DirectPoller(context, KafkaDirectSource.this, positions);
        thread = context.startThread("ranges", poller);
      }

      @Override
      public synchronized void onStop() {
        if (poller == null) {
          return;
        }
        poller.stop();
        try {
          thread.join(requestTimeout.toMillis() * 3 + 10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        poller = null;
        thread = null;
      }
    };
  }

  /**
   * Wraps a processor of Kafka records as the engine's processor: each batch's ranges are read
   * from Kafka when the records are streamed; once {@code processor} returns, the ranges' ends
   * are committed to the group (if one is configured), for monitoring.
   *
   * @param processor the user's work per batch
   * @return a processor to hand to the engine's builder
   */
  public BatchProcessor processor(KafkaBatchProcessor processor) {
    Objects.requireNonNull(processor, "processor must not be null");
    return batch -> {
      List<OffsetRange> ranges = ranges(batch);
      processor.process(new KafkaBatch(batch.batchTime(), batch.isRecovered(), ranges,
          () -> ranges.isEmpty() ? Stream.empty() : reader().read(ranges)));
      if (groupId != null && !ranges.isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        for (OffsetRange range : ranges) {
          ends.put(range.partition(), new OffsetAndMetadata(range.untilOffset()));
        }
        reader().commit(ends);
      }
    };
  }

  /** The ranges of a batch in journal order, contiguous ranges of one partition merged. */
  static List<OffsetRange> ranges(Batch batch) {
    Map<TopicPartition, Integer> last = new HashMap<>();
    List<OffsetRange> out = new ArrayList<>();
    for (BlockInfo block : batch.blocks()) {
      for (ByteBuffer record : batch.records(block)) {
        OffsetRange r = OffsetRange.decode(record);
        Integer i = last.get(r.partition());
        if (i != null && out.get(i).untilOffset() == r.fromOffset()) {
          out.set(i, new OffsetRange(r.partition(), out.get(i).fromOffset(), r.untilOffset()));
        } else {
          last.put(r.partition(), out.size());
          out.add(r);
        }
      }
    }
    return out;
  }

  private RangeReader reader() {
    if (reader == null) {
      reader = new RangeReader(this);
    }
    return reader;
  }

  /** Closes the consumer that reads ranges; call once the engine stopped. */
  @Override
  public void close() {
    RangeReader r = reader;
    reader = null;
    if (r != null) {
      r.close();
    }
    log.debug("direct source on {} closed", topics);
  }

  /**
   * Options of a {@link KafkaDirectSource}. Setters validate their argument and throw
   * {@link IllegalArgumentException} naming the option and the accepted values; durations must
   * be positive and at most 3650 days. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Object> consumerConfig;
    private List<String> topics;
    private Duration rangeInterval = Duration.ofMillis(200);
    private long maxRecordsPerRange = 1_000_000;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory =
        ConsumerSettings::kafkaConsumer;

    private Builder(Map<String, ?> consumerConfig) {
      this.consumerConfig = ConsumerSettings.checked(consumerConfig, "KafkaDirectSource");
      Object group = this.consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG);
      if (group != null && group.toString().isBlank()) {
        throw new IllegalArgumentException("KafkaDirectSource: group.id is blank ('" + group
            + "'): Kafka refuses every offset request of a blank group; name a group, or remove"
            + " group.id to start partitions never journaled from auto.offset.reset");
      }
    }

    /**
     * The topics to read, every partition of each (found again each interval). Required.
     *
     * @param topics topic names, at least one
     * @return this
     * @throws IllegalArgumentException if empty, or a name is blank or not a valid Kafka topic
     *     name (such as {@code ../x}: at most 249 of ASCII letters, digits, '.', '_', '-')
     */
    public Builder topics(Collection<String> topics) {
      this.topics = ConsumerSettings.topics(topics, "KafkaDirectSource");
      return this;
    }

    /**
     * How often the receiver journals new ranges; default 200 ms. Keep it at or below the
     * engine's batch interval.
     *
     * @param interval positive
     * @return this
     */
    public Builder rangeInterval(Duration interval) {
      this.rangeInterval = ConsumerSettings.positive(interval, "rangeInterval");
      return this;
    }

    /**
     * The most offsets one range of one partition spans; default 1,000,000. Bounds a batch after
     * a backlog (Spark's {@code maxRatePerPartition} × interval).
     *
     * @param offsets at least 1
     * @return this
     */
    public Builder maxRecordsPerRange(long offsets) {
      if (offsets < 1) {
        throw new IllegalArgumentException("maxRecordsPerRange is " + offsets
            + ": it must be at least 1");
      }
      this.maxRecordsPerRange = offsets;
      return this;
    }

    /**
     * How long one request to Kafka (metadata, end offsets, reading a range without progress)
     * may take before it is retried with backoff (receiver) or fails the batch (processor);
     * default 10 s.
     *
     * @param timeout positive
     * @return this
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = ConsumerSettings.positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Backoff of the receiver between failed attempts to reach Kafka: doubling from
     * {@code initial} up to {@code max}, with jitter; default 100 ms to 10 s.
     *
     * @param initial the first pause, positive
     * @param max the longest pause, at least {@code initial}
     * @return this
     */
    public Builder backoff(Duration initial, Duration max) {
      ConsumerSettings.backoff(initial, max);
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How consumers are made from the checked configuration; default a {@code KafkaConsumer} of
     * bytes. For tests (a {@code MockConsumer}).
     *
     * @param factory called once for the receiver (per start) and once for the reader
     * @return this
     */
    public Builder consumerFactory(
        Function<Map<String, Object>, Consumer<byte[], byte[]>> factory) {
      this.consumerFactory = ConsumerSettings.factory(factory);
      return this;
    }

    /**
     * Builds the source.
     *
     * @return the source
     * @throws IllegalStateException if no topics were given
     */
    public KafkaDirectSource build() {
      if (topics == null) {
        throw new IllegalStateException("KafkaDirectSource: no topics: call topics(List.of(...))");
      }
      return new KafkaDirectSource(this);
    }
  }
}
