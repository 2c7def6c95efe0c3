/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Side-by-side comparison of ZeroWAL with the raw disk bound and with peers, in one process, on one
 * disk, with one workload at a time. Every measurement runs {@code --reps} times (systems
 * interleaved, so that noise hits them alike) and the median is reported.
 *
 * <pre>
 * ./mvnw -q -pl wal-bench -am -Pcompare -DskipTests package [-Dcompare.args="--seconds 1.5"]
 * </pre>
 * Options: {@code --dir DIR} (data, default target/compare-data), {@code --out DIR} (reports,
 * default target/compare), {@code --docs FILE} (copy of the Markdown, default
 * ../docs/BENCHMARKS.md; "none" to skip), {@code --seconds S} (per measurement, default 3),
 * {@code --reps N} (default 5: a verdict from fewer or shorter runs flips between runs on a noisy
 * disk), {@code --quick} (1 s, 3 repetitions, no docs copy: for development, not for verdicts),
 * {@code --smoke} (tiny counts, no docs copy: CI's check that every system runs). The acknowledgement
 * patterns users write (callbacks, semaphores, blocking calls, the receiver) are measured by
 * {@link AckPatterns}.
 */
public final class Compare {
  private static final String RAW_GROWING = "raw write+force, growing file";
  private static final String RAW_PREALLOC = "raw write+force, preallocated";
  private static final String ZW_SYNC = "ZeroWAL SYNC";
  private static final String ZW_SYNC_PRE = "ZeroWAL SYNC prealloc";
  private static final String ZW_FLUSH = "ZeroWAL FLUSH";
  private static final String ZW_FLUSH_PRE = "ZeroWAL FLUSH prealloc";
  private static final String ZW_MEMORY = "ZeroWAL SYNC MemoryStorage";
  private static final String SPARK = "Spark FileBasedWAL (hflush)";
  private static final String SPARK_BATCHED = "Spark BatchedWAL (hflush)";
  private static final String TAPE = "Tape QueueFile (fsync/add)";
  private static final String RAW_READ = "raw sequential read";
  private static final String ZW_REPLAY = "ZeroWAL readFrom";
  private static final String ZW_VISIT = "ZeroWAL readFrom + visit (zero-copy)";
  private static final String SPARK_REPLAY = "Spark readAll";

  private static final long RAW_PREALLOC_BYTES = 256L << 20;

  private final Path dataDir;
  private final Path outDir;
  private final Path docs;
  private final long nanos;
  private final int reps;
  private final boolean smoke;
  /** One workload family (append, latency, replay), or null for all. */
  private final String only;
  private final List<Row> rows = new ArrayList<>();
  private FileChannel rawPreallocated;
  private int dirCounter;

  /** One reported line: the medians of the repetitions of one system on one workload. */
  static final class Row {
    final String workload;
    final String system;
    final List<Measurement> runs = new ArrayList<>();
    String note = "";

    Row(String workload, String system) {
      this.workload = workload;
      this.system = system;
    }

    double median(ToDoubleFunction<Measurement> f) {
      double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
      return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    double recordsPerSecond() {
      return median(Measurement::recordsPerSecond);
    }
  }

  Compare(Path dataDir, Path outDir, Path docs, double seconds, int reps, boolean smoke,
      String only) {
    this.only = only;
    this.dataDir = dataDir;
    this.outDir = outDir;
    this.docs = docs;
    this.nanos = (long) (seconds * 1e9);
    this.reps = reps;
    this.smoke = smoke;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("target/compare-data");
    Path out = Path.of("target/compare");
    Path docs = Path.of("../docs/BENCHMARKS.md");
    double seconds = 3.0;
    int reps = 5;
    boolean smoke = false;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir": dir = Path.of(args[++i]); break;
        case "--out": out = Path.of(args[++i]); break;
        case "--docs": docs = "none".equals(args[i + 1]) ? null : Path.of(args[i + 1]); i++; break;
        case "--seconds": seconds = Double.parseDouble(args[++i]); break;
        case "--reps": reps = Integer.parseInt(args[++i]); break;
        case "--smoke": smoke = true; break;
        case "--quick": seconds = 1.0; reps = 3; docs = null; break;
        case "--only":
          only = args[++i];
          if (!List.of("append", "latency", "replay").contains(only)) {
            throw new IllegalArgumentException("--only " + only
                + ": expected append, latency or replay");
          }
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i] + "; options: --dir DIR"
              + " --out DIR --docs FILE|none --seconds S --reps N --quick --smoke"
              + " --only append|latency|replay");
      }
    }
    if (smoke) {
      seconds = Math.min(seconds, 0.05);
      reps = 1;
      docs = null;
    }
    if (only != null) {
      docs = null; // a partial table never replaces the published one
    }
    new Compare(dir, out, docs, seconds, reps, smoke, only).run();
  }

  void run() throws Exception {
    long t0 = System.nanoTime();
    Workloads.deleteTree(dataDir);
    Files.createDirectories(dataDir);
    Files.createDirectories(outDir);
    System.setProperty("java.awt.headless", "true");
    rawPreallocated = Workloads.preallocated(dataDir.resolve("raw-preallocated.bin"),
        smoke ? 8L << 20 : RAW_PREALLOC_BYTES);
    try {
      warmUp();
      int[][] appendWorkloads = smoke
          ? new int[][] {{1024, 1}, {1024, 8}, {100, 8}}
          : new int[][] {{1024, 1}, {1024, 8}, {1024, 64}, {100, 1}, {100, 8}};
      if (only == null || only.equals("append")) {
        for (int[] w : appendWorkloads) {
          appendWorkload(w[0], w[1]);
        }
      }
      if (only == null || only.equals("latency")) {
        latencyWorkload(1024);
      }
      if (only == null || only.equals("replay")) {
        // 512 MiB each: long enough to time a page-cache read (about 30 ms raw) steadily.
        replayWorkload(1024, smoke ? 2_000 : 524_288);
        replayWorkload(64 << 10, smoke ? 40 : 8_192);
      }
    } finally {
      rawPreallocated.close();
      Workloads.deleteTree(dataDir);
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    Report report = new Report(rows, nanos / 1e9, reps, minutes, smoke);
    String table = report.consoleTable();
    System.out.println(table);
    Files.writeString(outDir.resolve("compare.csv"), report.csv());
    String md = report.markdown();
    Files.writeString(outDir.resolve("compare.md"), md);
    report.chart(outDir.resolve("throughput-vs-threads.png"));
    if (docs != null && Files.isDirectory(docs.toAbsolutePath().getParent())) {
      Files.copy(outDir.resolve("compare.md"), docs, StandardCopyOption.REPLACE_EXISTING);
      Path chart = outDir.resolve("throughput-vs-threads.png");
      if (Files.exists(chart)) {
        Files.copy(chart, docs.resolveSibling(chart.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    System.out.printf(Locale.ROOT, "reports in %s (%.1f minutes)%n", outDir.toAbsolutePath(),
        minutes);
  }

  private void warmUp() throws Exception {
    long save = smoke ? nanos : Math.min(nanos, 500_000_000L);
    Path d = freshDir();
    try (WriteAheadLog log = zeroWal(ZW_FLUSH).open(d)) {
      Workloads.zeroWalPipelined(log, 2, 1024, save);
    }
    Workloads.deleteTree(d);
    Path s = freshDir();
    try (Peers.WriteAheadLogAdapter spark = Peers.spark(s, false)) {
      Workloads.blocking(spark, 2, 1024, save);
    }
    Workloads.deleteTree(s);
  }

  // ---------------------------------------------------------------- append throughput

  private void appendWorkload(int size, int threads) throws Exception {
    String workload = "append " + sizeName(size) + ", " + threads + " thread"
        + (threads == 1 ? "" : "s");
    Map<String, Row> byName = new LinkedHashMap<>();
    List<String> systems = new ArrayList<>(List.of(RAW_GROWING, RAW_PREALLOC, ZW_SYNC, ZW_SYNC_PRE,
        ZW_FLUSH, ZW_FLUSH_PRE, ZW_MEMORY, SPARK, SPARK_BATCHED));
    if (threads <= 8) {
      systems.add(TAPE);
    }
    for (String s : systems) {
      byName.put(s, new Row(workload, s));
    }
    for (int rep = 0; rep < reps; rep++) {
      Measurement sync = null;
      Measurement syncPre = null;
      for (String s : systems) {
        Measurement m;
        switch (s) {
          case RAW_GROWING:
          case RAW_PREALLOC:
            continue; // after ZeroWAL, at the group size it reached
          case ZW_SYNC:
          case ZW_SYNC_PRE:
          case ZW_FLUSH:
          case ZW_FLUSH_PRE:
          case ZW_MEMORY:
            m = zeroWalRun(s, threads, size);
            break;
          case SPARK:
          case SPARK_BATCHED: {
            Path d = freshDir();
            try (Peers.WriteAheadLogAdapter spark = Peers.spark(d, s.equals(SPARK_BATCHED))) {
              m = Workloads.blocking(spark, threads, size, nanos);
            }
            Workloads.deleteTree(d);
            break;
          }
          case TAPE: {
            Path d = freshDir();
            try (Peers.Tape tape = new Peers.Tape(d.resolve("queue"))) {
              m = Workloads.blocking(tape, threads, size, nanos);
            }
            Workloads.deleteTree(d);
            break;
          }
          default:
            throw new AssertionError(s);
        }
        byName.get(s).runs.add(m);
        if (s.equals(ZW_SYNC)) {
          sync = m;
        } else if (s.equals(ZW_SYNC_PRE)) {
          syncPre = m;
        }
      }
      byName.get(RAW_GROWING).runs.add(rawGrowing(groupOf(sync), size));
      byName.get(RAW_PREALLOC).runs.add(Workloads.raw(rawPreallocated, rawPreallocated.size(),
          groupOf(syncPre), size, nanos));
    }
    byName.get(RAW_GROWING).note = "groups of " + groupOf(byName.get(ZW_SYNC));
    byName.get(RAW_PREALLOC).note = "groups of " + groupOf(byName.get(ZW_SYNC_PRE));
    rows.addAll(byName.values());
  }

  private static int groupOf(Measurement zeroWalSync) {
    return Math.max(1, (int) Math.round(zeroWalSync.groupSize));
  }

  private static int groupOf(Row zeroWalSync) {
    return Math.max(1, (int) Math.round(zeroWalSync.median(m -> m.groupSize)));
  }

  private Measurement rawGrowing(int group, int size) throws IOException {
    Path d = freshDir();
    Measurement m;
    try (FileChannel ch = FileChannel.open(d.resolve("raw-growing.bin"),
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      m = Workloads.raw(ch, 0, group, size, nanos);
    }
    Workloads.deleteTree(d);
    return m;
  }

  private Measurement zeroWalRun(String system, int threads, int size) throws Exception {
    Peers.ZeroWalConfig config = zeroWal(system);
    Path d = freshDir();
    Measurement m;
    try (WriteAheadLog log = config.open(d)) {
      Thread truncator = config.memory ? truncator(log) : null;
      m = Workloads.zeroWalPipelined(log, threads, size, nanos);
      if (truncator != null) {
        truncator.interrupt();
        truncator.join();
      }
    }
    Workloads.deleteTree(d);
    return m;
  }

  /** Keeps a MemoryStorage log small: drops every sealed segment, as a consumer's cleanup would. */
  private static Thread truncator(WriteAheadLog log) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        log.truncateBefore(log.nextSequence());
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "memory-truncator");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Peers.ZeroWalConfig zeroWal(String system) {
    switch (system) {
      case ZW_SYNC: return new Peers.ZeroWalConfig(system, Durability.SYNC, false, false);
      case ZW_SYNC_PRE: return new Peers.ZeroWalConfig(system, Durability.SYNC, true, false);
      case ZW_FLUSH: return new Peers.ZeroWalConfig(system, Durability.FLUSH, false, false);
      case ZW_FLUSH_PRE: return new Peers.ZeroWalConfig(system, Durability.FLUSH, true, false);
      case ZW_MEMORY: return new Peers.ZeroWalConfig(system, Durability.SYNC, false, true);
      default: throw new AssertionError(system);
    }
  }

  // ---------------------------------------------------------------- single-writer latency

  private void latencyWorkload(int size) throws Exception {
    String workload = "latency " + sizeName(size) + ", 1 writer, one at a time";
    List<String> systems = List.of(RAW_PREALLOC, RAW_GROWING, ZW_SYNC_PRE, ZW_SYNC, SPARK, TAPE);
    Map<String, Row> byName = new LinkedHashMap<>();
    for (String s : systems) {
      byName.put(s, new Row(workload, s));
    }
    for (int rep = 0; rep < reps; rep++) {
      for (String s : systems) {
        Measurement m;
        Path d = freshDir();
        switch (s) {
          case RAW_PREALLOC:
            m = Workloads.raw(rawPreallocated, rawPreallocated.size(), 1, size, nanos);
            break;
          case RAW_GROWING:
            m = rawGrowing(1, size);
            break;
          case ZW_SYNC:
          case ZW_SYNC_PRE:
            try (Peers.ZeroWalBlocking log = new Peers.ZeroWalBlocking(zeroWal(s).open(d))) {
              m = Workloads.blocking(log, 1, size, nanos);
            }
            break;
          case SPARK:
            try (Peers.WriteAheadLogAdapter spark = Peers.spark(d, false)) {
              m = Workloads.blocking(spark, 1, size, nanos);
            }
            break;
          case TAPE:
            try (Peers.Tape tape = new Peers.Tape(d.resolve("queue"))) {
              m = Workloads.blocking(tape, 1, size, nanos);
            }
            break;
          default:
            throw new AssertionError(s);
        }
        Workloads.deleteTree(d);
        byName.get(s).runs.add(m);
      }
    }
    rows.addAll(byName.values());
  }

  // ---------------------------------------------------------------- replay

  private void replayWorkload(int size, int count) throws Exception {
    String workload = "replay " + sizeName(size);
    Row raw = new Row(workload, RAW_READ);
    Row zw = new Row(workload, ZW_REPLAY);
    Row zv = new Row(workload, ZW_VISIT);
    Row spark = new Row(workload, SPARK_REPLAY);
    Path zwDir = freshDir();
    Workloads.fillZeroWal(zwDir, count, size);
    Path sparkDir = freshDir();
    byte[] bytes = Workloads.payload(size, 3);
    try (Peers.WriteAheadLogAdapter log = Peers.spark(sparkDir, false)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      for (int i = 0; i < count; i++) {
        log.write(b);
      }
    }
    try (WriteAheadLog log = zeroWal(ZW_SYNC).open(zwDir);
        Peers.WriteAheadLogAdapter sparkLog = Peers.spark(sparkDir, false)) {
      Peers.replay(log); // first touch: page cache and JIT alike for every system below
      Peers.replayViews(log);
      sparkLog.readAll();
      for (int rep = 0; rep < reps; rep++) {
        long t = System.nanoTime();
        long rawBytes = Workloads.rawRead(zwDir);
        raw.runs.add(new Measurement(count, rawBytes, System.nanoTime() - t, -1, null, 0));

        t = System.nanoTime();
        long[] r = Peers.replay(log);
        zw.runs.add(new Measurement(r[0], r[1], System.nanoTime() - t, -1, null, 0));
        check(r[0] == count, "ZeroWAL replayed " + r[0] + " of " + count);

        t = System.nanoTime();
        long[] v = Peers.replayViews(log);
        zv.runs.add(new Measurement(v[0], v[1], System.nanoTime() - t, -1, null, 0));
        check(v[0] == count, "ZeroWAL visited " + v[0] + " of " + count);

        t = System.nanoTime();
        long[] s = sparkLog.readAll();
        spark.runs.add(new Measurement(s[0], s[1], System.nanoTime() - t, -1, null, 0));
        check(s[0] == count, "Spark replayed " + s[0] + " of " + count);
      }
    }
    Workloads.deleteTree(zwDir);
    Workloads.deleteTree(sparkDir);
    raw.note = "reads the ZeroWAL segment files, 1 MiB at a time";
    rows.addAll(Arrays.asList(raw, zw, zv, spark));
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  private Path freshDir() throws IOException {
    Path d = dataDir.resolve("run-" + (dirCounter++));
    Files.createDirectories(d);
    return d;
  }

  static String sizeName(int size) {
    if (size >= 1 << 20 && size % (1 << 20) == 0) {
      return (size >> 20) + " MiB";
    }
    if (size >= 1024 && size % 1024 == 0) {
      return (size >> 10) + " KiB";
    }
    return size + " B";
  }

  static String systemsNames() {
    return String.join(", ", ZW_SYNC, ZW_FLUSH, SPARK, TAPE);
  }

  static final String[] NAMES = {RAW_GROWING, RAW_PREALLOC, ZW_SYNC, ZW_SYNC_PRE, ZW_FLUSH,
      ZW_FLUSH_PRE, ZW_MEMORY, SPARK, SPARK_BATCHED, TAPE, RAW_READ, ZW_REPLAY, ZW_VISIT,
      SPARK_REPLAY};
}
