/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.netty.IngestClient;
import io.zerowal.netty.IngestServer;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Network ingest against the same records stored in-process, SYNC on local disk: 8 producers
 * each keep 32 batches of 100 records of 256 bytes in flight, either through {@link IngestClient}s
 * to an {@link IngestServer} over loopback, or straight into {@code ReceiverContext.store(List)}
 * of an identical engine. A first round of each is discarded (JIT warm-up); then each point runs
 * {@code seconds} (after a 1 s ramp-up, in a fresh directory), the two kinds alternating for
 * {@code rounds} rounds; the medians, min–max and the ratio are printed. Arguments: seconds per point (default 3), rounds (default 5), directory
 * (default target/netty-ingest-bench).
 *
 * <pre>
 * ./mvnw -q -pl wal-bench -am -DskipTests -Pcompare package -Dcompare.main=io.zerowal.bench.NettyIngestBench
 * </pre>
 */
public final class NettyIngestBench {
  private static final int PRODUCERS = 8;
  private static final int IN_FLIGHT = 32;
  private static final int RECORDS_PER_BATCH = 100;
  private static final int RECORD_BYTES = 256;

  private NettyIngestBench() {}

  /**
   * Runs the comparison and prints it.
   *
   * @param args seconds per point, rounds, directory
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Path.of(args.length > 2 ? args[2] : "target/netty-ingest-bench");
    if (seconds < 3 || rounds < 5) {
      throw new IllegalArgumentException("seconds must be at least 3 and rounds at least 5, got "
          + seconds + " and " + rounds + ": shorter runs are noise");
    }
    Files.createDirectories(dir);
    System.out.printf("Netty ingest vs in-process store: SYNC, local disk %s, %d producers x %d"
        + " batches in flight x %d records x %d B, %d s per point, %d rounds interleaved%n",
        dir.toAbsolutePath(), PRODUCERS, IN_FLIGHT, RECORDS_PER_BATCH, RECORD_BYTES, seconds,
        rounds);
    // One round of each, discarded: both paths JIT-compiled before anything is measured.
    run(false, dir.resolve("warmup-local"), seconds);
    run(true, dir.resolve("warmup-netty"), seconds);
    double[] local = new double[rounds];
    double[] network = new double[rounds];
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      local[r] = run(false, dir.resolve("r" + r + "-local"), seconds);
      network[r] = run(true, dir.resolve("r" + r + "-netty"), seconds);
      ratio[r] = network[r] / local[r];
      System.out.printf("round %d: in-process %,.0f records/s, loopback %,.0f records/s (%.0f%%)%n",
          r + 1, local[r], network[r], ratio[r] * 100);
    }
    System.out.printf("in-process store : median %,.0f records/s (min %,.0f, max %,.0f)%n",
        median(local), min(local), max(local));
    System.out.printf("loopback ingest  : median %,.0f records/s (min %,.0f, max %,.0f)%n",
        median(network), min(network), max(network));
    System.out.printf("loopback / in-process: %.0f%% of the medians; per round median %.0f%%"
        + " (min %.0f%%, max %.0f%%); target >= 70%%%n", median(network) / median(local) * 100,
        median(ratio) * 100, min(ratio) * 100, max(ratio) * 100);
  }

  private static double run(boolean overNetwork, Path root, int seconds) throws Exception {
    AtomicLong acked = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> producers = new ArrayList<>();
    IngestServer server = overNetwork ? IngestServer.builder().build() : null;
    Receiver receiver = server != null ? server : new Receiver() {
      @Override
      public void onStart(ReceiverContext context) {
        for (int p = 0; p < PRODUCERS; p++) {
          Thread t = new Thread(() -> storeInProcess(context, stop, acked), "local-" + p);
          producers.add(t);
          t.start();
        }
      }

      @Override
      public void onStop() {
        stop.set(true);
        producers.forEach(NettyIngestBench::join);
      }
    };
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> local(root.resolve(id))).metadataStorage(local(root.resolve("meta")))
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(500))
        .receiver("ingest", receiver).processor(batch -> batch.records().count()).build();
    engine.start();
    List<IngestClient> clients = new ArrayList<>();
    if (server != null) {
      for (int p = 0; p < PRODUCERS; p++) {
        IngestClient client = IngestClient.builder(server.localAddress()).maxInFlight(IN_FLIGHT)
            .build();
        clients.add(client);
        Thread t = new Thread(() -> sendOverNetwork(client, stop, acked), "client-" + p);
        producers.add(t);
        t.start();
      }
    }
    Thread.sleep(1000); // warm-up
    long a0 = acked.get();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long a1 = acked.get();
    long t1 = System.nanoTime();
    stop.set(true);
    producers.forEach(NettyIngestBench::join);
    clients.forEach(c -> c.close(Duration.ofSeconds(30)));
    engine.stop();
    return (a1 - a0) * 1e9 / (t1 - t0);
  }

  private static List<ByteBuffer> batch() {
    List<ByteBuffer> records = new ArrayList<>(RECORDS_PER_BATCH);
    for (int i = 0; i < RECORDS_PER_BATCH; i++) {
      byte[] r = new byte[RECORD_BYTES];
      Arrays.fill(r, (byte) i);
      records.add(ByteBuffer.wrap(r));
    }
    return records;
  }

  private static void storeInProcess(ReceiverContext context, AtomicBoolean stop,
      AtomicLong acked) {
    List<ByteBuffer> records = batch();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    try {
      while (!stop.get() && !context.isStopped()) {
        slots.acquire();
        context.store(records).whenComplete((info, error) -> {
          slots.release();
          if (error == null) {
            acked.addAndGet(RECORDS_PER_BATCH);
          }
        });
      }
      slots.acquire(IN_FLIGHT); // what is in flight completes before the engine stops
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sendOverNetwork(IngestClient client, AtomicBoolean stop, AtomicLong acked) {
    List<ByteBuffer> records = batch();
    try {
      while (!stop.get()) {
        client.send(records).whenComplete((ack, error) -> {
          if (error == null) {
            acked.addAndGet(RECORDS_PER_BATCH);
          }
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static LocalStorage local(Path path) {
    try {
      return new LocalStorage(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
