/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Latency of single-record stores from one thread, each waited for before the next (a source that
 * acknowledges record by record): {@code store(byte[]).join()} n times, SYNC, on local disk;
 * prints the total and the p50/p99 of one store. Arguments: stores (default 100), directory
 * (default target/receiver-latency).
 */
public final class ReceiverStoreLatency {
  private ReceiverStoreLatency() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path root = Path.of(args.length > 1 ? args[1] : "target/receiver-latency");
    Files.createDirectories(root);
    CompletableFuture<ReceiverContext> ctx = new CompletableFuture<>();
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> local(root.resolve(id))).metadataStorage(local(root.resolve("meta")))
        .durability(Durability.SYNC).batchInterval(Duration.ofSeconds(1))
        .receiver("single", new Receiver() {
          @Override
          public void onStart(ReceiverContext context) {
            ctx.complete(context);
          }

          @Override
          public void onStop() {}
        })
        .processor(batch -> batch.records().count())
        .build();
    engine.start();
    ReceiverContext c = ctx.join();
    byte[] record = new byte[100];
    c.store(record).join(); // warm-up
    long[] nanos = new long[n];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      c.store(record).join();
      nanos[i] = System.nanoTime() - s;
    }
    long total = System.nanoTime() - t0;
    engine.stop();
    Arrays.sort(nanos);
    System.out.printf("%d sequential single-record stores (SYNC): %.2f s in all, p50 %.2f ms,"
        + " p99 %.2f ms%n", n, total / 1e9, nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6);
  }

  private static LocalStorage local(Path p) {
    try {
      return new LocalStorage(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
