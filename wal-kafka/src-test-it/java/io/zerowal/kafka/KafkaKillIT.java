/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both modes on a real broker: 10^5 records produced while the engine runs in a child JVM that is
 * killed (kill -9) twice mid-stream and restarted; then every record must be in the sink, in one
 * batch only, and the group's committed offsets never ahead of what survived.
 */
class KafkaKillIT {
  private static final int PARTITIONS = 4;
  private static final int RECORDS = 100_000;
  private static final int KILLS = 2;
  private static LocalBroker broker;

  private Path dir; // under target/, kept: the children's logs are there

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
  void walModeLosesNothingAndDuplicatesNothingAcrossKills() throws Exception {
    killAndRecover("wal");
  }

  @Test
  void directModeLosesNothingAndDuplicatesNothingAcrossKills() throws Exception {
    killAndRecover("direct");
  }

  private void killAndRecover(String mode) throws Exception {
    long seed = Long.getLong("it.seed", System.nanoTime());
    System.out.println("KafkaKillIT " + mode + " seed " + seed + " (replay: -Dit.seed=" + seed
        + ")");
    Random random = new Random(seed);
    dir = java.nio.file.Files.createDirectories(Path.of("target", "kafka-it",
        mode + "-" + seed)).toAbsolutePath();
    String topic = "kill-" + mode;
    String group = "group-" + mode;
    broker.createTopic(topic, PARTITIONS);
    Path sink = dir.resolve("sink");

    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try (KafkaProducer<byte[], byte[]> p = broker.producer()) {
        int chunk = 1_000;
        for (int i = 0; i < RECORDS; i += chunk) {
          LocalBroker.produce(p, topic, PARTITIONS, i, chunk, 16);
          Thread.sleep(80); // spread the stream over seconds, so that the kills land mid-stream
        }
      } catch (Throwable t) {
        producerFailure.set(t);
      }
    }, "producer");
    producer.start();

    List<Map<TopicPartition, Long>> committedAtKill = new ArrayList<>();
    List<Map<Integer, Long>> processedAtKill = new ArrayList<>();
    List<Map<Integer, Long>> durableAtKill = new ArrayList<>();
    Process child = startChild(mode, topic, group, 0);
    for (int k = 0; k < KILLS; k++) {
      // Past what the last run had already stored or committed, so that the kill lands while new
      // records flow, not while the restarted engine re-processes its backlog.
      long reached = SinkFiles.read(sink).distinct();
      if (k > 0) {
        reached = Math.max(reached, Math.max(
            committedAtKill.get(k - 1).values().stream().mapToLong(Long::longValue).sum(),
            mode.equals("wal") ? durableAtKill.get(k - 1).values().stream()
                .mapToLong(Long::longValue).sum() : 0));
      }
      awaitSink(sink, (int) reached + 3_000, 60, child);
      Thread.sleep(random.nextInt(400)); // where in the stream the kill lands
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      committedAtKill.add(broker.committed(group));
      SinkFiles atKill = SinkFiles.read(sink);
      processedAtKill.add(atKill.contiguous(PARTITIONS));
      if (mode.equals("wal")) {
        // What survived the kill: records in the data log (read-only view, nothing repaired)
        // plus those already in the sink (their segments may have been cleaned).
        java.util.Set<String> durable = dataLogRecords();
        durable.addAll(atKill.files.keySet());
        durableAtKill.add(contiguous(durable, PARTITIONS));
        System.out.println("kill " + (k + 1) + ": durable (contiguous) " + durableAtKill.get(k));
      }
      System.out.println("kill " + (k + 1) + ": committed " + committedAtKill.get(k)
          + ", processed (contiguous) " + processedAtKill.get(k));
      child = startChild(mode, topic, group, k + 1);
    }
    producer.join(120_000);
    assertThat(producerFailure.get()).isNull();
    awaitSink(sink, RECORDS, 120, child);
    child.getOutputStream().close(); // graceful stop
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child stops").isTrue();
    assertThat(child.exitValue()).isZero();

    SinkFiles result = SinkFiles.read(sink);
    List<String> missing = result.missing(PARTITIONS, RECORDS / PARTITIONS);
    System.out.printf("KAFKA-KILL mode=%s kills=%d produced=%d processed=%d"
        + " delivered-before-dedup=%d batch-runs=%d in-several-batches-after-dedup=%d lost=%d%n",
        mode, KILLS, RECORDS, result.distinct(), result.delivered, result.batchRuns,
        result.inSeveralBatches(), missing.size());
    assertThat(missing).as("lost records").isEmpty();
    assertThat(result.distinct()).as("nothing invented").isEqualTo(RECORDS);
    assertThat(result.inSeveralBatches()).as("records in more than one batch").isZero();
    Map<TopicPartition, Long> finalCommitted = broker.committed(group);
    for (int p = 0; p < PARTITIONS; p++) {
      TopicPartition tp = new TopicPartition(topic, p);
      assertThat(finalCommitted.get(tp)).as("final commit " + tp).isEqualTo(RECORDS / PARTITIONS);
      for (int k = 0; k < KILLS; k++) {
        long committed = committedAtKill.get(k).getOrDefault(tp, 0L);
        if (mode.equals("direct")) {
          // Committed after the batch ran: never ahead of what the sink had at the kill.
          assertThat(committed).as("kill %d %s committed vs processed", k + 1, tp)
              .isLessThanOrEqualTo(processedAtKill.get(k).get(p));
        } else {
          // Committed only once durable: every offset below the commit survived the kill.
          assertThat(committed).as("kill %d %s committed vs durable", k + 1, tp)
              .isLessThanOrEqualTo(durableAtKill.get(k).get(p));
        }
      }
    }
  }

  /** The records ("partition:offset") in the killed child's data log, read without repairing. */
  private java.util.Set<String> dataLogRecords() throws Exception {
    java.util.Set<String> stored = new java.util.HashSet<>();
    io.zerowal.core.storage.Storage data = io.zerowal.core.storage.LocalStorage
        .under(dir.resolve("logs")).apply("kafka");
    try (io.zerowal.core.ReadOnlyLog log = io.zerowal.core.WriteAheadLog.builder(data)
        .openReadOnly();
        io.zerowal.core.LogReader reader = log.readFrom(log.firstSequence())) {
      for (io.zerowal.core.LogRecord rec : reader) {
        // BlockFormat, little-endian: version:u8 | count:u32 | (length:u32 | payload) * count
        java.nio.ByteBuffer b = rec.payload().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.get();
        int count = b.getInt();
        for (int i = 0; i < count; i++) {
          int length = b.getInt();
          java.nio.ByteBuffer payload = b.slice().limit(length);
          b.position(b.position() + length);
          var r = StoredRecordFormat.decode(payload);
          stored.add(r.partition() + ":" + r.offset());
        }
      }
    }
    return stored;
  }

  private static Map<Integer, Long> contiguous(java.util.Set<String> records, int partitions) {
    Map<Integer, Long> out = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      long o = 0;
      while (records.contains(p + ":" + o)) {
        o++;
      }
      out.put(p, o);
    }
    return out;
  }

  private Process startChild(String mode, String topic, String group, int run) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    List<String> cmd = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        KafkaEngineChild.class.getName(), mode, broker.bootstrap(), topic, group, dir.toString());
    return new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("child-" + run + ".out").toFile())
        .redirectError(dir.resolve("child-" + run + ".err").toFile())
        .start();
  }

  private static void awaitSink(Path sink, int distinct, int seconds, Process child)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int seen = 0;
    while ((seen = SinkFiles.read(sink).distinct()) < distinct) {
      if (System.nanoTime() > deadline || !child.isAlive()) {
        throw new AssertionError("child alive " + child.isAlive() + ": the sink holds " + seen + " records after " + seconds
            + " s, waiting for " + distinct + "; see the child logs in " + sink.getParent());
      }
      Thread.sleep(50);
    }
  }
}
