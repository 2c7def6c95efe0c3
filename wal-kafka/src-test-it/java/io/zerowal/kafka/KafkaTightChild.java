/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.receiver.BatchProcessor;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An engine for {@link KafkaHostileIT}, run in a child JVM under tight limits:
 * {@code wal|direct bootstrap topic group workDir expectedRecords}. Small data segments (many files), blocks
 * of at most 256 KiB. Prints {@code OK processed=N} and exits 0 once every expected record was
 * processed and the engine stopped cleanly; exits 1 (with the failure) otherwise.
 */
public final class KafkaTightChild {
  /** The child gives up once no new record was processed for this long. */
  static final long IDLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** And after this long in all, however slowly records still come. */
  static final long TOTAL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(240);

  private KafkaTightChild() {}

  /** Per partition: how many offsets were seen, the highest, and the first gap. */
  private static String summary(Set<String> seen) {
    Map<Integer, TreeSet<Long>> byPartition = new TreeMap<>();
    for (String s : seen) {
      int colon = s.indexOf(':');
      byPartition.computeIfAbsent(Integer.parseInt(s.substring(0, colon)), p -> new TreeSet<>())
          .add(Long.parseLong(s.substring(colon + 1)));
    }
    StringBuilder out = new StringBuilder();
    byPartition.forEach((p, offsets) -> {
      long gap = 0;
      while (offsets.contains(gap)) {
        gap++;
      }
      out.append("partition ").append(p).append(": ").append(offsets.size())
          .append(" offsets, highest ").append(offsets.last()).append(", first missing ")
          .append(gap).append("; ");
    });
    return out.toString();
  }

  public static void main(String[] args) throws Exception {
    boolean wal = args[0].equals("wal");
    String bootstrap = args[1];
    String topic = args[2];
    String group = args[3];
    Path work = Path.of(args[4]);
    int expected = Integer.parseInt(args[5]);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", group,
        "auto.offset.reset", "earliest");
    KafkaBatchProcessor count = batch -> batch.records()
        .forEach(r -> seen.add(r.partition() + ":" + r.offset()));
    Receiver receiver;
    BatchProcessor processor;
    KafkaDirectSource direct = null;
    if (wal) {
      receiver = KafkaReceiver.builder(config).topics(List.of(topic)).maxBlockBytes(256 << 10)
          .commitInterval(Duration.ofMillis(100)).build();
      processor = KafkaReceiver.processor(count);
    } else {
      // One range may cover the whole backlog: the processor must stream it, not hold it.
      direct = KafkaDirectSource.builder(config).topics(List.of(topic))
          .rangeInterval(Duration.ofMillis(100)).build();
      receiver = direct.receiver();
      processor = direct.processor(count);
    }
    Function<String, Storage> storages = LocalStorage.under(work.resolve("logs"));
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(storages).metadataStorage(storages.apply("meta"))
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(100))
        .maxBlockBytes(256 << 10).dataSegmentSize(512 << 10)
        .receiver("kafka", receiver)
        .processor(processor).build();
    engine.start();
    // Bounded by progress, not by a total: a loaded machine slows the run down, a stall stops it.
    long started = System.nanoTime();
    long lastProgress = started;
    int last = 0;
    while (seen.size() < expected && engine.isRunning()) {
      long now = System.nanoTime();
      int n = seen.size();
      if (n > last) {
        last = n;
        lastProgress = now;
      } else if (now - lastProgress > IDLE_LIMIT_NANOS) {
        System.out.println("no record processed for " + TimeUnit.NANOSECONDS.toSeconds(
            IDLE_LIMIT_NANOS) + " s at " + n + " of " + expected + ": stopping");
        break;
      }
      if (now - started > TOTAL_LIMIT_NANOS) {
        System.out.println("not done after " + TimeUnit.NANOSECONDS.toSeconds(TOTAL_LIMIT_NANOS)
            + " s at " + n + " of " + expected + ": stopping");
        break;
      }
      Thread.sleep(20);
    }
    try {
      engine.stop();
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
    if (direct != null) {
      direct.close();
    }
    if (engine.failure().isPresent() || seen.size() != expected) {
      System.out.println("FAILED processed=" + seen.size() + " of " + expected + " failure="
          + engine.failure().map(Throwable::toString).orElse("none") + " " + summary(seen));
      System.exit(1);
    }
    System.out.println("OK processed=" + seen.size());
    System.exit(0);
  }
}
