/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.hdfs.HdfsStorage;
import io.zerowal.hdfs.MiniHdfs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.util.FileBasedWriteAheadLog;

/**
 * ZeroWAL on HDFS next to Spark's {@code FileBasedWriteAheadLog} on the same in-process
 * MiniDFSCluster (3 datanodes, replication 3), in one run: 8 producers, 1 KiB and 64 KiB records.
 * Spark's write is synchronized and ends each record with {@code hflush}; ZeroWAL FLUSH ends each
 * group with {@code hflush}, SYNC with {@code hsync} (and, in one row, the NameNode length update
 * of {@code HdfsStorage.Builder.updateLengthOnSync}). ZeroWAL producers keep a window of appends in
 * flight and count a record when its future completes (it is then as durable as asked); Spark's
 * producers count a record when {@code write} returns. Each measurement is repeated, the systems
 * interleaved, and the median reported.
 *
 * <pre>
 * ./mvnw -q -pl wal-bench -am -Pcompare -DskipTests package -Dcompare.main=io.zerowal.bench.HdfsCompare
 * </pre>
 * Arguments: {@code --smoke} (tiny runs, for the test), {@code --seconds S} per measurement
 * (default 4), {@code --reps N} (default 3), {@code --out DIR} (default target/compare-hdfs),
 * {@code --docs FILE|none} (default ../docs/BENCHMARKS-HDFS.md; never in smoke mode).
 */
public final class HdfsCompare {
  static final int PRODUCERS = 8;
  static final String FLUSH = "ZeroWAL FLUSH (hflush)";
  static final String SYNC = "ZeroWAL SYNC (hsync)";
  static final String SYNC_UPDATE_LENGTH = "ZeroWAL SYNC (hsync + NameNode length)";
  static final String SPARK = "Spark FileBasedWAL (hflush)";

  private HdfsCompare() {}

  public static void main(String[] args) throws Exception {
    boolean smoke = false;
    double seconds = 4;
    int reps = 3;
    Path out = Path.of("target/compare-hdfs");
    Path docs = Path.of("../docs/BENCHMARKS-HDFS.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--docs" -> docs = "none".equals(args[++i]) ? null : Path.of(args[i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + ": use --smoke, --seconds S, --reps N, --out DIR, --docs FILE|none");
      }
    }
    if (smoke) {
      seconds = 0.5;
      reps = 1;
      docs = null;
    }
    int[] sizes = {1024, 64 << 10};
    String[] systems = {FLUSH, SYNC, SYNC_UPDATE_LENGTH, SPARK};
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    try (MiniHdfs hdfs = MiniHdfs.start(3)) {
      int run = 0;
      if (!smoke) { // JIT and the cluster's first blocks
        for (String system : systems) {
          measure(hdfs, system, 1024, 1, run++);
        }
      }
      for (int rep = 0; rep < reps; rep++) {
        for (int size : sizes) {
          for (String system : systems) {
            double[] m = measure(hdfs, system, size, seconds, run++);
            results.computeIfAbsent(key(size, system), k -> new ArrayList<>()).add(m);
            System.out.printf(Locale.ROOT, "rep %d %-36s %,12.0f records/s%n", rep,
                key(size, system), m[0]);
          }
        }
      }
    }
    String table = write(out, results, sizes, systems, seconds, reps);
    if (docs != null) {
      Files.writeString(docs, "# ZeroWAL on HDFS: side by side with Spark's log\n\n"
          + "Made by `./mvnw -q -pl wal-bench -am -Pcompare -DskipTests package"
          + " -Dcompare.main=io.zerowal.bench.HdfsCompare` (class `io.zerowal.bench.HdfsCompare`) on "
          + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ", "
          + Runtime.getRuntime().availableProcessors() + " cores, Java "
          + System.getProperty("java.version") + ", Hadoop "
          + org.apache.hadoop.util.VersionInfo.getVersion() + ".\n\n"
          + "One in-process MiniDFSCluster (3 datanodes, replication 3, all on this machine's one"
          + " disk) holds every log. Spark's `FileBasedWriteAheadLog` writes each record and"
          + " `hflush`es it, under a lock; ZeroWAL FLUSH `hflush`es each group, SYNC `hsync`s it"
          + " (and in one row also updates the NameNode's length, `updateLengthOnSync(true)`)."
          + " ZeroWAL's producers keep appends in flight (256 of 1 KiB, 16 of 64 KiB each) and"
          + " count a record when its future completes; Spark's count it when `write` returns."
          + " A ZeroWAL FLUSH log also `hsync`s its open segment in the background every 4 MiB"
          + " and at each seal (the core's design, so that a power loss can only tear the last"
          + " segment): on HDFS those are datanode fsyncs, which Spark never does.\n\n"
          + table, StandardCharsets.UTF_8);
    }
  }

  private static String key(int size, String system) {
    return (size >= 1024 ? size / 1024 + " KiB" : size + " B") + ", " + system;
  }

  /** {records/s, MB/s} of one system for {@code seconds}. */
  static double[] measure(MiniHdfs hdfs, String system, int size, double seconds, int run)
      throws Exception {
    byte[] payload = new byte[size];
    new Random(size).nextBytes(payload);
    long durationNanos = (long) (seconds * 1e9);
    AtomicLong counted = new AtomicLong();
    List<Thread> producers = new ArrayList<>();
    long start;
    long deadline;
    if (system.equals(SPARK)) {
      FileBasedWriteAheadLog log = new FileBasedWriteAheadLog(new SparkConf(false),
          hdfs.uri() + "/bench/" + run, hdfs.conf(), 60, 3, false);
      start = System.nanoTime();
      deadline = start + durationNanos;
      long stop = deadline;
      for (int p = 0; p < PRODUCERS; p++) {
        producers.add(started(() -> {
          while (System.nanoTime() < stop) {
            log.write(ByteBuffer.wrap(payload), System.currentTimeMillis());
            counted.incrementAndGet();
          }
        }));
      }
      join(producers);
      log.close();
    } else {
      Durability durability = system.equals(FLUSH) ? Durability.FLUSH : Durability.SYNC;
      HdfsStorage storage = HdfsStorage.builder(hdfs.fs(), new org.apache.hadoop.fs.Path("/bench/" + run))
          .updateLengthOnSync(system.equals(SYNC_UPDATE_LENGTH)).build();
      WriteAheadLog log = WriteAheadLog.builder(storage).durability(durability)
          .maxRecordSize(1 << 20).open();
      start = System.nanoTime(); // after open: recovery and the first segment are not measured
      deadline = start + durationNanos;
      long stop = deadline;
      int window = size >= (64 << 10) ? 16 : 256;
      for (int p = 0; p < PRODUCERS; p++) {
        producers.add(started(() -> {
          Semaphore inFlight = new Semaphore(window);
          while (System.nanoTime() < stop) {
            inFlight.acquireUninterruptibly();
            log.append(payload).whenComplete((h, e) -> {
              if (e == null && System.nanoTime() < stop) {
                counted.incrementAndGet();
              }
              inFlight.release();
            });
          }
          inFlight.acquireUninterruptibly(window); // every append settled
        }));
      }
      join(producers);
      log.close();
    }
    long elapsed = Math.min(System.nanoTime(), deadline) - start;
    double recordsPerSecond = counted.get() * 1e9 / elapsed;
    return new double[] {recordsPerSecond, recordsPerSecond * size / 1e6};
  }

  private static Thread started(Runnable producer) {
    Thread t = new Thread(producer, "producer");
    t.start();
    return t;
  }

  private static void join(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join(120_000);
      if (t.isAlive()) {
        throw new IllegalStateException("a producer did not finish within 2 minutes");
      }
    }
  }

  private static double median(List<double[]> runs, int field) {
    double[] values = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
    return values[values.length / 2];
  }

  private static String write(Path out, Map<String, List<double[]>> results, int[] sizes,
      String[] systems, double seconds, int reps) throws Exception {
    StringBuilder md = new StringBuilder();
    StringBuilder csv = new StringBuilder("workload,records_per_s,mb_per_s,x_spark\n");
    md.append(String.format(Locale.ROOT, "| workload (8 producers, MiniDFSCluster 3 datanodes,"
        + " replication 3; median of %d runs of %.1f s) | records/s | MB/s | × Spark |%n", reps,
        seconds));
    md.append("|---|---:|---:|---:|\n");
    for (int size : sizes) {
      double spark = median(results.get(key(size, SPARK)), 0);
      for (String system : systems) {
        List<double[]> runs = results.get(key(size, system));
        double rps = median(runs, 0);
        double mbs = median(runs, 1);
        String ratio = system.equals(SPARK) ? "1.0" : String.format(Locale.ROOT, "%.1f", rps / spark);
        md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.1f | %s |%n", key(size, system), rps,
            mbs, ratio));
        csv.append(String.format(Locale.ROOT, "\"%s\",%.0f,%.2f,%s%n", key(size, system), rps, mbs,
            ratio));
      }
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve("compare-hdfs.md"), md, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("compare-hdfs.csv"), csv, StandardCharsets.UTF_8);
    System.out.print(md);
    return md.toString();
  }
}
