/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.kafka.KafkaBatchProcessor;
import io.zerowal.kafka.KafkaDirectSource;
import io.zerowal.kafka.KafkaReceiver;
import io.zerowal.receiver.MicroBatchEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Records per second from a local Kafka broker to completed micro-batches: WAL mode
 * ({@link KafkaReceiver}, {@code Durability.SYNC} on local disk) and direct mode
 * ({@link KafkaDirectSource}), against a plain {@code KafkaConsumer} loop that only counts (the
 * upstream bound), measured in the same run, interleaved round by round. The broker runs in this
 * JVM (in-process KRaft) and shares the machine's cores with the consumers, as a local broker
 * would. After a warm-up point per mode, each point starts a fresh group from the start of a
 * preloaded topic, waits for the first record, then counts for the given seconds (records in batches that completed in that window;
 * direct ranges are capped at 50,000 offsets per partition per 100 ms, 2,000,000 records/s;
 * the counting loop reads the topic again from the start when it reached the end). Arguments: seconds per point (default 5), rounds
 * (default 5), records preloaded (default 3,000,000), value bytes (default 100), directory
 * (default target/kafka-bench).
 *
 * <pre>
 * ./mvnw -q -pl wal-bench -am -DskipTests -Pcompare package -Dcompare.main=io.zerowal.bench.KafkaBench
 * </pre>
 */
public final class KafkaBench {
  private static final String TOPIC = "bench";
  private static final int PARTITIONS = 4;

  private KafkaBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long records = args.length > 2 ? Long.parseLong(args[2]) : 3_000_000L;
    int valueBytes = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    Path dir = Path.of(args.length > 4 ? args[4] : "target/kafka-bench");
    if (seconds < 1 || rounds < 1 || records < 1 || valueBytes < 0) {
      throw new IllegalArgumentException("seconds " + seconds + ", rounds " + rounds + ", records "
          + records + ", value bytes " + valueBytes + ": give positive numbers");
    }
    Files.createDirectories(dir);
    try (KafkaClusterTestKit broker = startBroker()) {
      String bootstrap = broker.bootstrapServers();
      long t0 = System.nanoTime();
      preload(bootstrap, records, valueBytes);
      System.out.printf("preloaded %,d records of %d bytes on %d partitions in %.1f s%n", records,
          valueBytes, PARTITIONS, (System.nanoTime() - t0) / 1e9);
      Map<String, List<Double>> rates = new HashMap<>();
      Map<String, List<Double>> ratios = new HashMap<>();
      String[] modes = {"plain", "wal-sync", "direct"};
      for (String mode : modes) { // warm-up, not counted: JIT, page cache, the broker's threads
        Path work = dir.resolve("warmup-" + mode);
        String group = "warmup-" + mode + "-" + System.nanoTime();
        Point p = mode.equals("plain") ? plain(bootstrap, group, 2, records)
            : engine(mode, bootstrap, group, work, 2, records);
        System.out.printf("warm-up %-8s %,12.0f records/s%n", mode, p.rate);
      }
      for (int round = 0; round < rounds; round++) {
        Map<String, Double> r = new HashMap<>();
        for (String mode : modes) {
          Path work = dir.resolve("r" + round + "-" + mode);
          String group = "bench-" + round + "-" + mode + "-" + System.nanoTime();
          Point p = mode.equals("plain") ? plain(bootstrap, group, seconds, records)
              : engine(mode, bootstrap, group, work, seconds, records);
          r.put(mode, p.rate);
          rates.computeIfAbsent(mode, k -> new ArrayList<>()).add(p.rate);
          System.out.printf("round %d %-8s %,12.0f records/s%s%n", round + 1, mode, p.rate,
              p.exhausted ? " (read the whole topic: a lower bound)" : "");
        }
        for (String mode : modes) {
          ratios.computeIfAbsent(mode, k -> new ArrayList<>()).add(r.get(mode) / r.get("plain"));
        }
      }
      System.out.printf("%nKafka -> completed batches, %d-byte values, %d partitions, %d rounds x %d s"
          + " (median, min-max):%n", valueBytes, PARTITIONS, rounds, seconds);
      System.out.printf("%-10s %14s %25s %8s %15s%n", "mode", "records/s", "min-max", "x plain",
          "min-max");
      for (String mode : modes) {
        List<Double> v = rates.get(mode);
        List<Double> q = ratios.get(mode);
        System.out.printf("%-10s %,14.0f %,12.0f-%,-12.0f %8.2f %7.2f-%-7.2f%n", mode, median(v),
            Collections.min(v), Collections.max(v), median(q), Collections.min(q),
            Collections.max(q));
      }
    }
  }

  private record Point(double rate, boolean exhausted) {}

  private static KafkaClusterTestKit startBroker() throws Exception {
    KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0").build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kit.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
    }
    return kit;
  }

  private static void preload(String bootstrap, long records, int valueBytes) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "1");
    p.put("linger.ms", "20");
    p.put("batch.size", Integer.toString(256 << 10));
    byte[] value = new byte[valueBytes];
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(TOPIC, (int) (i % PARTITIONS), null, value));
      }
    }
  }

  private static Map<String, Object> consumerConfig(String bootstrap, String group) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("group.id", group);
    c.put("auto.offset.reset", "earliest");
    c.put("max.poll.records", "5000");
    return c;
  }

  /** The upstream bound: a consumer loop that only counts. */
  private static Point plain(String bootstrap, String group, int seconds, long total) {
    Map<String, Object> config = consumerConfig(bootstrap, group);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long count = 0;
      long start = 0;
      long deadline = Long.MAX_VALUE;
      long pass = 0;
      while (System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> r = consumer.poll(Duration.ofMillis(100));
        if (start == 0 && !r.isEmpty()) {
          start = System.nanoTime();
          deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        }
        count += r.count();
        pass += r.count();
        if (pass >= total) { // read it all: read it again, so that the point lasts its seconds
          consumer.seekToBeginning(consumer.assignment());
          pass = 0;
        }
      }
      return new Point(count / ((System.nanoTime() - start) / 1e9), false);
    }
  }

  /** Records counted in completed batches of an engine in {@code mode}. */
  private static Point engine(String mode, String bootstrap, String group, Path work,
      int seconds, long total) throws Exception {
    AtomicLong processed = new AtomicLong();
    KafkaBatchProcessor count = batch -> processed.addAndGet(batch.records().count());
    Function<String, Storage> storages = LocalStorage.under(work);
    MicroBatchEngine.Builder b = MicroBatchEngine.builder()
        .dataStorage(storages).metadataStorage(storages.apply("meta"))
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(500))
        .maxUnprocessedBytes(256L << 20);
    KafkaDirectSource direct = null;
    Map<String, Object> config = consumerConfig(bootstrap, group);
    if (mode.equals("wal-sync")) {
      b.receiver("kafka", KafkaReceiver.builder(config).topics(List.of(TOPIC)).build())
          .processor(KafkaReceiver.processor(count));
    } else {
      direct = KafkaDirectSource.builder(config).topics(List.of(TOPIC))
          .rangeInterval(Duration.ofMillis(100)).maxRecordsPerRange(50_000).build();
      b.receiver("kafka", direct.receiver()).processor(direct.processor(count));
    }
    MicroBatchEngine engine = b.build();
    engine.start();
    try {
      long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (processed.get() == 0) {
        if (System.nanoTime() > wait) {
          throw new IllegalStateException(mode + ": no batch completed within 60 s");
        }
        Thread.sleep(5);
      }
      long p0 = processed.get();
      long t0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long p1 = processed.get();
      double rate = (p1 - p0) / ((System.nanoTime() - t0) / 1e9);
      return new Point(rate, p1 >= total);
    } finally {
      engine.stopNow();
      if (direct != null) {
        direct.close();
      }
    }
  }

  private static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
