/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.receiver.Batch;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Issue 12 (f): a batch read back by its processor, against the log's own replay of the same
 * blocks. An engine stores {@code BLOCKS} blocks of 1,000 × 1 KiB (the seed's blocks) into a data
 * log on this disk; its one batch then reads them, in rounds with the systems interleaved, each
 * point a loop of full passes for {@code SECONDS}: the log's replay ({@code readFrom} + {@code visit}
 * over a {@link ReadOnlyLog} of the same data log, and its copying iterator), the batch's
 * {@link Batch#records()} stream and its zero-copy {@link Batch#visit}. Each pass counts the records'
 * bytes it is handed; the replay is handed blocks, and counts their bytes less the block framing
 * (5 B per block, 4 B per record), so all four count the same bytes. The files are in the page
 * cache after the first pass: this measures the CPU path, as the seed's batches (read right after
 * they were written) see it.
 *
 * <pre>BatchReadBack [SECONDS] [ROUNDS] [BLOCKS] [DIR]   (defaults 3, 5, 256, target/batch-read)</pre>
 */
public final class BatchReadBack {
  static final String REPLAY_VISIT = "log replay: readFrom + visit (zero-copy)";
  static final String REPLAY_ITERATOR = "log replay: readFrom + iterator (copies)";
  static final String BATCH_RECORDS = "Batch.records() stream";
  static final String BATCH_VISIT = "Batch.visit (zero-copy)";
  private static final int RECORDS = 1000;
  private static final int SIZE = 1024;

  private BatchReadBack() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    Path dir = Path.of(args.length > 3 ? args[3] : "target/batch-read");
    Workloads.deleteTree(dir);
    Files.createDirectories(dir);
    Map<String, double[]> results = new LinkedHashMap<>();
    for (String s : List.of(REPLAY_VISIT, REPLAY_ITERATOR, BATCH_RECORDS, BATCH_VISIT)) {
      results.put(s, new double[rounds]);
    }
    Storage dataStorage = LocalStorage.under(dir).apply("seed");
    CountDownLatch stored = new CountDownLatch(1);
    Throwable[] failed = new Throwable[1];
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> dataStorage).metadataStorage(LocalStorage.under(dir).apply("meta"))
        .durability(Durability.FLUSH).batchInterval(Duration.ofHours(1))
        .receiver("seed", new Writer(blocks, stored))
        .processor(batch -> {
          if (batch.recordCount() == 0) {
            return;
          }
          try {
            measure(batch, dataStorage, seconds, results);
          } catch (Throwable t) {
            failed[0] = t;
          }
        }).build();
    engine.start();
    if (!stored.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the blocks were not stored within 10 minutes");
    }
    engine.stop(); // the final batch holds every block: measure() runs in it
    if (failed[0] != null) {
      throw new IllegalStateException("measurement failed", failed[0]);
    }
    System.out.print(table(results, seconds, rounds, blocks));
    Workloads.deleteTree(dir);
  }

  /** Stores {@code blocks} blocks of the seed's records, then counts down {@code stored}. */
  private record Writer(int blocks, CountDownLatch stored) implements Receiver {
    @Override
    public void onStart(ReceiverContext context) {
      Thread t = new Thread(() -> {
        List<ByteBuffer> records = new ArrayList<>();
        for (byte[] r : SeedScenario.records()) {
          records.add(ByteBuffer.wrap(r));
        }
        try {
          for (int i = 0; i < blocks; i++) {
            context.storeAndWait(records);
          }
          stored.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "batch-read-writer");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void onStop() { }
  }

  private static void measure(Batch batch, Storage dataStorage, double seconds,
      Map<String, double[]> results) throws Exception {
    long first = batch.blocks().get(0).blockId();
    long expected = batch.bytes();
    try (ReadOnlyLog log = WriteAheadLog.builder(dataStorage).openReadOnly()) {
      Map<String, ToLongFunction<Batch>> passes = new LinkedHashMap<>();
      passes.put(REPLAY_VISIT, b -> {
        long[] bytes = {0};
        try (LogReader reader = log.readFrom(first)) {
          reader.visit((sequence, payload) -> bytes[0] += payload.remaining() - 5 - 4L * RECORDS);
        }
        return bytes[0];
      });
      passes.put(REPLAY_ITERATOR, b -> {
        long bytes = 0;
        try (LogReader reader = log.readFrom(first)) {
          for (LogRecord r : reader) {
            bytes += r.payload().remaining() - 5 - 4L * RECORDS;
          }
        }
        return bytes;
      });
      passes.put(BATCH_RECORDS, b -> b.records().mapToLong(ByteBuffer::remaining).sum());
      passes.put(BATCH_VISIT, b -> {
        long[] bytes = {0};
        b.visit((block, record) -> bytes[0] += record.remaining());
        return bytes[0];
      });
      for (ToLongFunction<Batch> pass : passes.values()) { // warm-up, and a check of what each sees
        long bytes = pass.applyAsLong(batch);
        if (bytes != expected) {
          throw new IllegalStateException("a pass counted " + bytes + " bytes, expected " + expected);
        }
      }
      int rounds = results.values().iterator().next().length;
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, ToLongFunction<Batch>> p : passes.entrySet()) {
          long bytes = 0;
          long t0 = System.nanoTime();
          long end = t0 + (long) (seconds * 1e9);
          do {
            bytes += p.getValue().applyAsLong(batch);
          } while (System.nanoTime() < end);
          results.get(p.getKey())[round] = bytes / ((System.nanoTime() - t0) / 1e9) / (1 << 20);
        }
      }
    }
  }

  static String table(Map<String, double[]> r, double seconds, int rounds, int blocks) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "## A batch read back: %d blocks of %d x %d B, %d rounds"
        + " of %.0f s, systems interleaved%n%n", blocks, RECORDS, SIZE, rounds, seconds));
    sb.append("| system | MiB/s of records, median (min–max) | × log replay (visit), median of"
        + " rounds (min–max) |\n|---|---|---|\n");
    double[] replay = r.get(REPLAY_VISIT);
    for (Map.Entry<String, double[]> e : r.entrySet()) {
      sb.append("| ").append(e.getKey()).append(" | ")
          .append(AckPatterns.spread(e.getValue(), "%,.0f")).append(" | ")
          .append(AckPatterns.spread(AckPatterns.ratios(e.getValue(), replay), "%.2f"))
          .append(" |\n");
    }
    sb.append('\n');
    for (String s : List.of(BATCH_RECORDS, BATCH_VISIT)) {
      double ratio = AckPatterns.median(AckPatterns.ratios(r.get(s), replay));
      sb.append(String.format(Locale.ROOT, "- %s %s ≥ 50 %% of the log's replay rate: %.2f%n",
          ratio >= 0.5 ? "MET   " : "MISSED", s, ratio));
    }
    return sb.toString();
  }
}
