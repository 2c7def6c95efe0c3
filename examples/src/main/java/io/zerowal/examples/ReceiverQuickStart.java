/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

// The README's receiver quick start, compiled by the build; ReadmeQuickStartTest keeps the two
// identical.
// tag::quickstart[]
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

public final class ReceiverQuickStart {
  public static void main(String[] args) throws Exception {
    var storages = LocalStorage.under(Path.of("target/receiver-quickstart")); // a directory per log
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(storages).metadataStorage(storages.apply("meta"))
        .batchInterval(Duration.ofSeconds(1))
        .receiver("lines", new Receiver() {
          private volatile Thread source;

          @Override public void onStart(ReceiverContext ctx) {
            // A supervised thread: if it throws, the engine restarts this receiver.
            source = ctx.startThread("source", () -> {
              for (long id = 0; !ctx.isStopped() && id < 10_000; id++) {
                byte[] line = ("line " + id).getBytes(StandardCharsets.UTF_8);
                // Completes once the block holding it is durable, on a log's thread: ack upstream
                // here if the source allows it (a Kafka consumer does not: see below).
                ctx.store(line).thenAccept(block -> { /* upstream.ack(id) */ });
              }
            });
          }

          @Override public void onStop() {
            source.interrupt();
          }
        })
        .processor(batch -> System.out.println("batch " + batch.batchTime() + ": "
            + batch.recordCount() + " records" + (batch.isRecovered() ? " (re-run)" : "")))
        .build();
    engine.start(); // recovers first: re-runs unfinished batches, queues stored blocks
    Thread.sleep(3_000);
    engine.stop();  // graceful: what was stored is processed
  }
}
// end::quickstart[]
