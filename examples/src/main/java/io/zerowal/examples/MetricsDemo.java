/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.metrics.MicroBatchEngineMetrics;
import io.zerowal.metrics.WriteAheadLogMetrics;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A log and a receiver engine measured by Micrometer into a Prometheus registry: appends a few
 * thousand records to the log, lets the engine store and process as many, and prints the text a
 * Prometheus server would scrape from {@code /metrics} ({@code zerowal_log_*} and
 * {@code zerowal_engine_*}). In an application, serve {@link PrometheusMeterRegistry#scrape()} on
 * an HTTP endpoint (or let a framework such as Spring Boot do it) instead of printing it.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am -DskipTests -Pdemo package
 * -Ddemo.main=io.zerowal.examples.MetricsDemo} (argument: the directory for the logs, default
 * {@code target/metrics-demo}, emptied first).
 */
public final class MetricsDemo {
  private static final int RECORDS = 20_000;

  private MetricsDemo() {}

  /**
   * Runs the demo.
   *
   * @param args optional: the directory for the logs
   * @throws Exception if the demo fails
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/metrics-demo");
    deleteRecursively(dir);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir.resolve("orders")))
        .durability(Durability.SYNC).open()) {
      new WriteAheadLogMetrics(log, "orders").bindTo(registry);
      // Windows of 1,000 appends in flight, each awaited: an acknowledging source's pace.
      for (int i = 0; i < RECORDS; i += 1_000) {
        List<CompletableFuture<RecordHandle>> window = new ArrayList<>(1_000);
        for (int j = i; j < i + 1_000; j++) {
          window.add(log.append(("order " + j).getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
      }

      CountDownLatch processed = new CountDownLatch(RECORDS);
      var storages = LocalStorage.under(dir.resolve("engine"));
      MicroBatchEngine engine = MicroBatchEngine.builder().name("clicks")
          .dataStorage(storages).metadataStorage(storages.apply("meta"))
          .batchInterval(Duration.ofSeconds(1))
          .receiver("web", new Receiver() {
            @Override public void onStart(ReceiverContext ctx) {
              ctx.startThread("source", () -> {
                for (int i = 0; i < RECORDS && !ctx.isStopped(); i++) {
                  ctx.store(("click " + i).getBytes(StandardCharsets.UTF_8));
                }
              });
            }

            @Override public void onStop() {}
          })
          .processor(batch -> { /* write batch.records() to a sink */ })
          .build();
      new MicroBatchEngineMetrics(engine).bindTo(registry); // before start: sees every batch
      // Called after the metrics' own listener: once all is processed, every batch is measured.
      engine.addBatchListener(batch -> {
        for (long i = 0; i < batch.records(); i++) {
          processed.countDown();
        }
      });
      engine.start();
      try {
        if (!processed.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the engine processed " + (RECORDS - processed.getCount())
              + " of " + RECORDS + " records in 60 s");
        }
        System.out.print(registry.scrape()); // what GET /metrics returns
      } finally {
        engine.stop();
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
