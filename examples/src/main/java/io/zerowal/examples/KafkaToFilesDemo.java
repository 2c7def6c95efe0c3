/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.kafka.KafkaBatch;
import io.zerowal.kafka.KafkaBatchProcessor;
import io.zerowal.kafka.KafkaDirectSource;
import io.zerowal.kafka.KafkaReceiver;
import io.zerowal.receiver.MicroBatchEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Kafka to files, exactly once per batch: a topic is consumed by a micro-batch engine that writes
 * one file per batch, named by the batch time, so that a batch re-run after a crash overwrites its
 * own file instead of adding a second copy.
 *
 * <pre>
 * ./mvnw -q -pl examples -am -DskipTests -Pdemo package \
 *     -Ddemo.main=io.zerowal.examples.KafkaToFilesDemo -Ddemo.args="wal"      # or "direct"
 *     -Ddemo.args="wal localhost:9092"   # against your broker instead of an in-process one
 * </pre>
 *
 * <p>{@code wal}: {@link KafkaReceiver} copies records into the engine's log and commits offsets
 * once they are durable. {@code direct}: {@link KafkaDirectSource} journals offset ranges only and
 * reads them from Kafka when the batch runs.
 */
public final class KafkaToFilesDemo {
  private static final int RECORDS = 10_000;

  private KafkaToFilesDemo() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "wal";
    if (!mode.equals("wal") && !mode.equals("direct")) {
      throw new IllegalArgumentException("mode is " + mode + ": give wal or direct");
    }
    KafkaClusterTestKit embedded = null;
    String bootstrap;
    if (args.length > 1) {
      bootstrap = args[1];
    } else {
      embedded = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
          .setNumBrokerNodes(1).setNumControllerNodes(1).build())
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0").build();
      embedded.format();
      embedded.startup();
      embedded.waitForReadyBrokers();
      bootstrap = embedded.bootstrapServers();
      System.out.println("in-process broker on " + bootstrap);
    }
    String topic = "demo-" + System.currentTimeMillis();
    Path work = Path.of("target", "kafka-to-files", topic);
    Path out = Files.createDirectories(work.resolve("out"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30,
          TimeUnit.SECONDS);
    }
    produce(bootstrap, topic);

    AtomicLong written = new AtomicLong();
    CountDownLatch all = new CountDownLatch(1);
    // The sink: one file per batch time, written whole then renamed into place.
    KafkaBatchProcessor toFiles = (KafkaBatch batch) -> {
      List<String> lines = batch.records().map(r -> r.partition() + "@" + r.offset() + " "
          + new String(r.value(), StandardCharsets.UTF_8)).collect(Collectors.toList());
      if (lines.isEmpty()) {
        return; // nothing came in this interval: no file
      }
      Path tmp = out.resolve(batch.batchTime() + ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, out.resolve("batch-" + batch.batchTime() + ".txt"),
          StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      if (written.addAndGet(lines.size()) >= RECORDS) {
        all.countDown();
      }
    };

    Map<String, Object> consumer = Map.of("bootstrap.servers", bootstrap,
        "group.id", "kafka-to-files", "auto.offset.reset", "earliest");
    var storages = LocalStorage.under(work.resolve("logs"));
    MicroBatchEngine.Builder engine = MicroBatchEngine.builder()
        .dataStorage(storages).metadataStorage(storages.apply("meta"))
        .batchInterval(Duration.ofMillis(500));
    KafkaDirectSource direct = null;
    if (mode.equals("wal")) {
      engine.receiver("orders", KafkaReceiver.builder(consumer).topics(List.of(topic)).build())
          .processor(KafkaReceiver.processor(toFiles));
    } else {
      direct = KafkaDirectSource.builder(consumer).topics(List.of(topic)).build();
      engine.receiver("orders", direct.receiver()).processor(direct.processor(toFiles));
    }
    MicroBatchEngine running = engine.build();
    long start = System.nanoTime();
    running.start();
    boolean done = all.await(120, TimeUnit.SECONDS);
    running.stop();
    if (direct != null) {
      direct.close();
    }
    try (var files = Files.list(out)) {
      System.out.printf("%s mode: %d records in %d batch files under %s in %d ms%s%n", mode,
          written.get(), files.count(), out, (System.nanoTime() - start) / 1_000_000,
          done ? "" : " (timed out before all " + RECORDS + " arrived)");
    }
    if (embedded != null) {
      embedded.close();
    }
    if (!done) {
      System.exit(1);
    }
  }

  private static void produce(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(topic, ("order " + i).getBytes(StandardCharsets.UTF_8)));
      }
    }
  }
}
