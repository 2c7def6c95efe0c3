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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Files;

/**
 * Receiver store throughput with 1 KiB records, 4 receivers, on local disk: SYNC against NONE in
 * one run, to show what the durable path costs. Arguments: seconds per run (default 8), directory
 * (default target/receiver-throughput).
 *
 * <pre>
 * ./mvnw -q -pl wal-bench -am -DskipTests -Pcompare package -Dcompare.main=io.zerowal.bench.ReceiverStoreThroughput
 * </pre>
 */
public final class ReceiverStoreThroughput {
  private ReceiverStoreThroughput() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    Path dir = Path.of(args.length > 1 ? args[1] : "target/receiver-throughput");
    Files.createDirectories(dir);
    run(Durability.NONE, dir.resolve("warmup"), Math.max(1, seconds / 3), 0);
    // Interleaved, best of two each: the first runs of a JVM and a fresh directory are slower.
    double none = 0;
    double sync = 0;
    for (int rep = 0; rep < 2; rep++) {
      sync = Math.max(sync, run(Durability.SYNC, dir.resolve("sync" + rep), seconds, 0));
      none = Math.max(none, run(Durability.NONE, dir.resolve("none" + rep), seconds, 0));
    }
    System.out.printf("store throughput, 1 KiB records, 4 receivers: SYNC %.0f records/s, NONE %.0f"
        + " records/s; the durable path adds %.0f%% to the time per record%n", sync, none,
        (none / sync - 1) * 100);
  }

  /**
   * Runs 4 receivers for {@code seconds} after one second of warm-up and returns the records/s
   * acknowledged: each receiver calls {@code store(record).thenRun(ack)} in a loop, or, when
   * {@code blockRecords > 0}, {@code storeAndWait} with blocks of that many records.
   */
  static double run(Durability durability, Path root, double seconds, int blockRecords)
      throws Exception {
    AtomicLong acked = new AtomicLong();
    MicroBatchEngine.Builder b = MicroBatchEngine.builder()
        .dataStorage(id -> local(root.resolve(id))).metadataStorage(local(root.resolve("meta")))
        .durability(durability).batchInterval(Duration.ofMillis(500))
        .processor(batch -> batch.records().count());
    for (int i = 0; i < 4; i++) {
      b.receiver("r" + i, new Receiver() {
        private volatile boolean stop;
        private Thread t;

        @Override
        public void onStart(ReceiverContext context) {
          t = new Thread(() -> {
            ByteBuffer record = ByteBuffer.allocate(1024);
            java.util.List<ByteBuffer> block = java.util.Collections.nCopies(
                Math.max(1, blockRecords), record);
            try {
              while (!stop && !context.isStopped()) {
                if (blockRecords > 0) {
                  context.storeAndWait(block);
                  acked.addAndGet(blockRecords);
                } else {
                  context.store(record).thenRun(acked::incrementAndGet);
                }
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
          t.start();
        }

        @Override
        public void onStop() {
          stop = true;
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
    }
    MicroBatchEngine engine = b.build();
    engine.start();
    Thread.sleep(1000);
    long start = acked.get();
    long t0 = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    double rate = (acked.get() - start) / ((System.nanoTime() - t0) / 1e9);
    engine.stop();
    System.out.printf("%s%s: %.0f records/s (%.0f MiB/s)%n", durability,
        blockRecords > 0 ? " blocks of " + blockRecords : "", rate, rate / 1024);
    return rate;
  }

  private static LocalStorage local(Path p) {
    try {
      return new LocalStorage(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
