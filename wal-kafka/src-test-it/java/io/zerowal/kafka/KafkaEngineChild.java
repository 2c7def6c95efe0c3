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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The engine of the kill tests, in a child JVM: {@code wal|direct bootstrap topic group workDir}.
 * Each batch is written to {@code workDir/sink/batch-<batchTime>.txt} (one {@code partition:offset}
 * per line; tmp file then atomic rename, so a re-run overwrites: a sink idempotent per batch time)
 * and appended to {@code sink/journal.log} ({@code batchTime count}, every run, re-runs too).
 * Stops gracefully when its standard input closes; otherwise it is killed.
 */
public final class KafkaEngineChild {
  private KafkaEngineChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String bootstrap = args[1];
    String topic = args[2];
    String group = args[3];
    Path work = Path.of(args[4]);
    Path sink = Files.createDirectories(work.resolve("sink"));
    Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", group,
        "auto.offset.reset", "earliest", "session.timeout.ms", "2000",
        "heartbeat.interval.ms", "500");
    KafkaBatchProcessor write = batch -> {
      List<String> lines = batch.records().map(r -> r.partition() + ":" + r.offset())
          .collect(Collectors.toList());
      Path tmp = sink.resolve("batch-" + batch.batchTime() + ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, sink.resolve("batch-" + batch.batchTime() + ".txt"),
          StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(sink.resolve("journal.log"), batch.batchTime() + " " + lines.size()
          + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    };
    Receiver receiver;
    BatchProcessor processor;
    KafkaDirectSource direct = null;
    if (mode.equals("wal")) {
      receiver = KafkaReceiver.builder(config).topics(List.of(topic))
          .commitInterval(Duration.ofMillis(100)).build();
      processor = KafkaReceiver.processor(write);
    } else {
      direct = KafkaDirectSource.builder(config).topics(List.of(topic))
          .rangeInterval(Duration.ofMillis(100)).build();
      receiver = direct.receiver();
      processor = direct.processor(write);
    }
    Function<String, Storage> storages = LocalStorage.under(work.resolve("logs"));
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(storages).metadataStorage(storages.apply("meta"))
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(200))
        .dataSegmentSize(8 << 20)
        .receiver("kafka", receiver).processor(processor).build();
    engine.start();
    System.out.println("started");
    try {
      while (System.in.read() >= 0) {
        // until the parent closes our input
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    engine.stop();
    if (direct != null) {
      direct.close();
    }
    System.out.println("stopped");
    System.exit(engine.failure().isPresent() ? 1 : 0);
  }
}
