/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.receiver.FailureListener;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.ReceiverFailure;
import io.zerowal.receiver.RestartPolicy;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WAL-mode receiver under hostile resource limits, on a real broker: a child JVM with a
 * 64 MiB heap and 256 file descriptors ingests a backlog of 1 KiB records plus one record near
 * the receiver's maximum block, with small data segments (many files); every record must be
 * processed and the group's commits must reach the end.
 */
class KafkaHostileIT {
  private static final int PARTITIONS = 2;
  private static final int SMALL = 6_000;
  private static LocalBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new LocalBroker();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aTinyHeapAndFewFileDescriptorsStillIngestEverything() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    Path dir = Files.createDirectories(Path.of("target", "kafka-it", "tight-" + System.nanoTime()))
        .toAbsolutePath();
    String topic = "tight";
    broker.createTopic(topic, PARTITIONS);
    try (KafkaProducer<byte[], byte[]> p = broker.producer()) {
      LocalBroker.produce(p, topic, PARTITIONS, 0, SMALL / 2, 1024);
      // Near the receiver's 256 KiB block: the value plus key, headers and framing still fit.
      p.send(new ProducerRecord<>(topic, 0, "big".getBytes(), new byte[(256 << 10) - 512]));
      LocalBroker.produce(p, topic, PARTITIONS, SMALL / 2, SMALL / 2, 1024);
      p.flush();
    }
    int expected = SMALL + 1;
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    String command = "ulimit -n 256 && exec \"$0\" -Xmx64m -XX:+ExitOnOutOfMemoryError -cp \"$1\" "
        + KafkaTightChild.class.getName() + " \"$2\" \"$3\" \"$4\" \"$5\" \"$6\"";
    Path out = dir.resolve("child.out");
    Process child = new ProcessBuilder("/bin/bash", "-c", command, java,
        System.getProperty("java.class.path"), broker.bootstrap(), topic, "tight-group",
        dir.toString(), Integer.toString(expected))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean ended = child.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    String tail = output.substring(Math.max(0, output.length() - 4000));
    assertThat(ended).as("child ended; output tail:%n%s", tail).isTrue();
    assertThat(child.exitValue()).as("exit; output tail:%n%s", tail).isZero();
    assertThat(output).contains("OK processed=" + expected).doesNotContain("OutOfMemoryError");
    Map<TopicPartition, Long> committed = broker.committed("tight-group");
    assertThat(committed.get(new TopicPartition(topic, 0))).isEqualTo(SMALL / 2 + 1);
    assertThat(committed.get(new TopicPartition(topic, 1))).isEqualTo(SMALL / 2);
    System.out.println("KafkaHostileIT tight: processed " + expected + ", committed " + committed
        + ", data files " + List.of(dir.resolve("logs").toFile().list()));
  }
  /**
   * The data log's directory is deleted while the receiver ingests: the log must fail naming it,
   * and no offset may be committed to the group for a record that is neither processed nor in
   * what is left on disk; a restart on what is left then processes every record.
   */
  @Test
  void theDataDirectoryDeletedUnderARunningEngineFailsItAndCommitsNothingLost() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "kafka-it", "vanish-" + System.nanoTime()))
        .toAbsolutePath();
    String topic = "vanish";
    String group = "vanish-group";
    broker.createTopic(topic, PARTITIONS);
    int total = 6_000;
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producer = new Thread(() -> {
      try (KafkaProducer<byte[], byte[]> p = broker.producer()) {
        for (int i = 0; i < total; i += 200) {
          LocalBroker.produce(p, topic, PARTITIONS, i, 200, 1024);
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        producing.set(false);
      }
    }, "producer");
    producer.start();

    Set<String> sink = ConcurrentHashMap.newKeySet();
    List<ReceiverFailure> failures = new CopyOnWriteArrayList<>();
    MicroBatchEngine first = engine(dir, group, topic, sink, failures);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sink.size() < 1_000 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Path data = dir.resolve("logs").resolve("kafka");
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    boolean terminated = first.awaitTermination(Duration.ofSeconds(10));
    if (!terminated) {
      Thread.getAllStackTraces().forEach((t, st) -> {
        if (t.getName().startsWith("zerowal")) {
          System.out.println("STACK " + t.getName() + " " + t.getState());
          for (StackTraceElement e : st) {
            System.out.println("    at " + e);
          }
        }
      });
    }
    assertThat(terminated).as("the engine fails").isTrue();
    List<String> messages = new ArrayList<>();
    first.failure().ifPresent(f -> messages.add(String.valueOf(f.getMessage())));
    failures.forEach(f -> messages.add(f.message() + " " + f.error()));
    System.out.println("KafkaHostileIT vanish: failure " + messages);
    assertThat(first.failure()).as("engine failure").isPresent();
    assertThat(String.join("\n", messages)).as("names the directory").contains(data.toString());
    first.stopNow();
    producer.join(60_000);
    assertThat(producing.get()).isFalse();

    Map<TopicPartition, Long> committed = broker.committed(group);
    Set<String> atFailure = Set.copyOf(sink);
    List<String> committedNotProcessed = new ArrayList<>();
    committed.forEach((tp, next) -> {
      for (long o = 0; o < next; o++) {
        if (!atFailure.contains(tp.partition() + ":" + o)) {
          committedNotProcessed.add(tp + "@" + o);
        }
      }
    });
    System.out.println("KafkaHostileIT vanish: processed before the failure " + atFailure.size()
        + ", committed " + committed + ", committed but neither processed nor on disk "
        + committedNotProcessed.size());
    assertThat(committedNotProcessed).as("committed, yet gone with the directory").isEmpty();

    MicroBatchEngine second = engine(dir, group, topic, sink, failures);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sink.size() < total && second.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    second.stop();
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      String key = (i % PARTITIONS) + ":" + (i / PARTITIONS);
      if (!sink.contains(key)) {
        lost.add(key);
      }
    }
    System.out.println("KafkaHostileIT vanish: produced " + total + ", processed " + sink.size()
        + ", lost " + lost.size());
    assertThat(lost).as("lost after the restart").isEmpty();
  }

  private static MicroBatchEngine engine(Path dir, String group, String topic, Set<String> sink,
      List<ReceiverFailure> failures) {
    Map<String, Object> config = broker.consumerConfig(group);
    KafkaReceiver receiver = KafkaReceiver.builder(config).topics(List.of(topic))
        .commitInterval(Duration.ofMillis(50)).build();
    Function<String, Storage> storages = LocalStorage.under(dir.resolve("logs"));
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(storages).metadataStorage(storages.apply("meta"))
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(50))
        .maxBlockBytes(256 << 10).dataSegmentSize(512 << 10)
        .restartPolicy(RestartPolicy.attempts(2, Duration.ofMillis(50), Duration.ofMillis(100)))
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
    engine.start();
    return engine;
  }
}
