/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.receiver.BatchProcessor;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAL mode: a {@link Receiver} around a Kafka consumer that stores every polled record in the
 * engine's data log and commits an offset only once the record is durable there.
 *
 * <pre>{@code
 * KafkaReceiver kafka = KafkaReceiver.builder(Map.of(
 *         "bootstrap.servers", "localhost:9092", "group.id", "orders-archiver"))
 *     .topics(List.of("orders")).build();
 * MicroBatchEngine engine = MicroBatchEngine.builder()
 *     .dataStorage(...).metadataStorage(...)
 *     .receiver("orders", kafka)
 *     .processor(KafkaReceiver.processor(batch -> sink.write(batch.batchTime(), batch.records())))
 *     .build();
 * }</pre>
 *
 * <h2>Delivery</h2>
 * One polling thread owns the consumer. It stores each poll's records as blocks (each record with
 * its topic, partition, offset, timestamp, key and headers) with, as the block's metadata, the
 * position of every partition it holds (after its last stored record, or where it resumed) and of
 * every partition it held before (revoked, lost, or not yet handed back after a crash), so that
 * the last durable block always knows what the log holds of each. A store completes on a log's
 * thread; the completion is handed back to the polling thread through a queue, and the polling
 * thread commits, per partition, the offset after the longest prefix of blocks that are durable
 * (every {@code commitInterval}, on revocation and at stop). So a committed offset is never ahead
 * of the durable data. On a partition's assignment the consumer resumes at the later of the
 * committed offset and the durable position the engine recovered ({@code lastMetadata}): records
 * stored but not yet committed when the process died are not read again, so each record reaches
 * one batch once per engine. Batches re-run after a crash with the same batch time and records.
 * Across engines of one group, a record read by one engine that died before committing is read
 * again by the engine that takes its partition: at-least-once; de-duplicate by (topic, partition,
 * offset) in the sink if that matters.
 *
 * <h2>Rebalances</h2>
 * On revocation the polling thread waits (at most {@code revokeTimeout}) for the in-flight stores
 * of those partitions and commits what is durable; partitions lost without revocation (the member
 * was expelled) are dropped without a commit, since another member may already own them.
 *
 * <h2>Configuration</h2>
 * Manual commits only: {@code enable.auto.commit=true} is refused. Keys and values are bytes
 * (deserialize in the processor); a {@code group.id} is required. Each record must fit in the
 * smaller of the receiver's and the engine's {@code maxBlockBytes}; see {@link BadRecordPolicy}.
 * If the consumer cannot be created (no resolvable bootstrap server) the thread retries with
 * exponential backoff; a broker that is down is retried by the consumer itself between polls.
 *
 * <p>One instance serves one receiver id of one engine. Thread-safe.
 */
public final class KafkaReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(KafkaReceiver.class);

  private final Settings settings;
  private final Object lock = new Object();
  private WalPoller poller; // guarded by lock
  private Thread thread; // guarded by lock

  private KafkaReceiver(Settings settings) {
    this.settings = settings;
  }

  /**
   * Starts a builder.
   *
   * @param consumerConfig the consumer's configuration, as for {@code new KafkaConsumer(map)}:
   *     {@code bootstrap.servers} and {@code group.id} at least; copied
   * @return a builder
   * @throws IllegalArgumentException if {@code enable.auto.commit} is true, a deserializer other
   *     than bytes is set, {@code group.id} is missing or a key or value is null
   */
  public static Builder builder(Map<String, ?> consumerConfig) {
    return new Builder(consumerConfig);
  }

  /**
   * Wraps a processor of Kafka records as the engine's processor: each block of the batch is
   * decoded into the records this receiver stored.
   *
   * @param processor the user's work per batch
   * @return a processor to hand to the engine's builder
   */
  public static BatchProcessor processor(KafkaBatchProcessor processor) {
    Objects.requireNonNull(processor, "processor must not be null");
    return batch -> processor.process(new KafkaBatch(batch.batchTime(), batch.isRecovered(),
        List.of(), () -> batch.records().map(StoredRecordFormat::decode)));
  }

  /**
   * Starts the polling thread (supervised: if it throws, the engine restarts this receiver).
   *
   * @param context the engine's context for this receiver
   * @throws StoredRecordException if the receiver's recovered metadata is not Kafka positions
   *     (the receiver id was used by another kind of receiver)
   * @throws IllegalStateException if this instance is already started (registered twice)
   */
  @Override
  public void onStart(ReceiverContext context) {
    context.lastMetadata().ifPresent(Positions::decode); // fail the start early if foreign
    synchronized (lock) {
      if (poller != null) {
        throw new IllegalStateException("KafkaReceiver already started (now asked to start as"
            + " receiver " + context.receiverId() + "): one instance serves one receiver id of"
            + " one engine; build one KafkaReceiver per receiver id");
      }
      poller = new WalPoller(context, settings);
      thread = context.startThread("poll", poller);
    }
  }

  /** Stops the polling thread: it waits for in-flight stores, commits what is durable, closes. */
  @Override
  public void onStop() {
    WalPoller p;
    Thread t;
    synchronized (lock) {
      p = poller;
      t = thread;
      poller = null;
      thread = null;
    }
    if (p == null) {
      return;
    }
    p.stop();
    try {
      t.join(settings.revokeTimeout.toMillis() + 30_000);
      if (t.isAlive()) {
        log.warn("the polling thread {} did not end within {} ms; it ends on its own, and"
            + " commits nothing that is not durable", t.getName(),
            settings.revokeTimeout.toMillis() + 30_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Options, frozen at {@code build()}. */
  static final class Settings {
    final Map<String, Object> consumerConfig;
    final List<String> topics;
    final Duration pollTimeout;
    final Duration commitInterval;
    final Duration revokeTimeout;
    final int maxBlockBytes;
    final BadRecordPolicy oversizedRecords;
    final BadRecordPolicy poisonRecords;
    final Duration initialBackoff;
    final Duration maxBackoff;
    final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory;

    Settings(Builder b) {
      this.consumerConfig = Map.copyOf(b.consumerConfig);
      this.topics = b.topics;
      this.pollTimeout = b.pollTimeout;
      this.commitInterval = b.commitInterval;
      this.revokeTimeout = b.revokeTimeout;
      this.maxBlockBytes = b.maxBlockBytes;
      this.oversizedRecords = b.oversizedRecords;
      this.poisonRecords = b.poisonRecords;
      this.initialBackoff = b.initialBackoff;
      this.maxBackoff = b.maxBackoff;
      this.consumerFactory = b.consumerFactory;
    }
  }

  /**
   * Options of a {@link KafkaReceiver}. Setters validate their argument and throw
   * {@link IllegalArgumentException} naming the option and the accepted values; durations must
   * be positive and at most 3650 days. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Object> consumerConfig;
    private List<String> topics;
    private Duration pollTimeout = Duration.ofMillis(100);
    private Duration commitInterval = Duration.ofMillis(500);
    private Duration revokeTimeout = Duration.ofSeconds(30);
    private int maxBlockBytes = 1 << 20;
    private BadRecordPolicy oversizedRecords = BadRecordPolicy.FAIL;
    private BadRecordPolicy poisonRecords = BadRecordPolicy.FAIL;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory =
        ConsumerSettings::kafkaConsumer;

    private Builder(Map<String, ?> consumerConfig) {
      this.consumerConfig = ConsumerSettings.checked(consumerConfig, "KafkaReceiver");
      Object group = this.consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG);
      if (group == null || group.toString().isBlank()) {
        throw new IllegalArgumentException("KafkaReceiver: group.id is missing from the consumer"
            + " configuration: set one, the receiver commits durable offsets to its group");
      }
    }

    /**
     * The topics to subscribe to. Required.
     *
     * @param topics topic names, at least one
     * @return this
     * @throws IllegalArgumentException if empty, or a name is blank or not a valid Kafka topic
     *     name (such as {@code ../x}: at most 249 of ASCII letters, digits, '.', '_', '-')
     */
    public Builder topics(Collection<String> topics) {
      this.topics = ConsumerSettings.topics(topics, "KafkaReceiver");
      return this;
    }

    /**
     * How long one {@code poll} waits for records; default 100 ms. Stores and commits happen
     * between polls.
     *
     * @param timeout positive
     * @return this
     */
    public Builder pollTimeout(Duration timeout) {
      this.pollTimeout = ConsumerSettings.positive(timeout, "pollTimeout");
      return this;
    }

    /**
     * How often durable offsets are committed (asynchronously) while polling; default 500 ms.
     * Revocation and stop commit synchronously whatever the interval. Shorter: fewer records read
     * again by another member after this process dies.
     *
     * @param interval positive
     * @return this
     */
    public Builder commitInterval(Duration interval) {
      this.commitInterval = ConsumerSettings.positive(interval, "commitInterval");
      return this;
    }

    /**
     * How long a revocation (and the stop) waits for in-flight stores of the revoked partitions
     * before committing what is durable; default 30 s. Keep it below the consumer's
     * {@code max.poll.interval.ms}.
     *
     * @param timeout positive
     * @return this
     */
    public Builder revokeTimeout(Duration timeout) {
      this.revokeTimeout = ConsumerSettings.positive(timeout, "revokeTimeout");
      return this;
    }

    /**
     * The largest block this receiver stores, encoded; default 1 MiB, 1 KiB to 128 MiB. Blocks
     * stay within the engine's {@code maxBlockBytes} too: the smaller bound applies. A record
     * that does not fit alone is handled by {@link #oversizedRecords}.
     *
     * @param bytes the bound
     * @return this
     */
    public Builder maxBlockBytes(int bytes) {
      if (bytes < 1024 || bytes > (128 << 20)) {
        throw new IllegalArgumentException("maxBlockBytes is " + bytes
            + ": it must be 1024 to 134217728 (the engine's maxBlockBytes bounds blocks too)");
      }
      this.maxBlockBytes = bytes;
      return this;
    }

    /**
     * What to do with a record larger than {@link #maxBlockBytes}; default
     * {@link BadRecordPolicy#FAIL}.
     *
     * @param policy the policy
     * @return this
     */
    public Builder oversizedRecords(BadRecordPolicy policy) {
      this.oversizedRecords = Objects.requireNonNull(policy, "oversizedRecords must not be null");
      return this;
    }

    /**
     * What to do with a record the consumer fails to deserialize (a corrupt record batch); default
     * {@link BadRecordPolicy#FAIL}.
     *
     * @param policy the policy
     * @return this
     */
    public Builder poisonRecords(BadRecordPolicy policy) {
      this.poisonRecords = Objects.requireNonNull(policy, "poisonRecords must not be null");
      return this;
    }

    /**
     * Backoff between attempts to create the consumer: doubling from {@code initial} up to
     * {@code max}, with jitter; default 100 ms to 10 s.
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
     * How the consumer is made from the checked configuration; default a {@code KafkaConsumer}
     * of bytes. For tests (a {@code MockConsumer}) or a consumer with interceptors.
     *
     * @param factory called on the polling thread, at each (re)start
     * @return this
     */
    public Builder consumerFactory(
        Function<Map<String, Object>, Consumer<byte[], byte[]>> factory) {
      this.consumerFactory = ConsumerSettings.factory(factory);
      return this;
    }

    /**
     * Builds the receiver.
     *
     * @return a receiver for one engine
     * @throws IllegalStateException if no topics were given
     */
    public KafkaReceiver build() {
      if (topics == null) {
        throw new IllegalStateException("KafkaReceiver: no topics: call topics(List.of(...))");
      }
      return new KafkaReceiver(new Settings(this));
    }
  }
}
