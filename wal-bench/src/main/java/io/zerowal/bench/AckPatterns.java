/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput under the acknowledgement patterns users write, against Spark's FileBasedWAL and a
 * raw group-commit bound, with a method whose verdict repeats: a warm-up, then every point measured
 * for {@code --seconds} (default 3) in each of {@code --rounds} rounds (default 5) with the systems
 * interleaved inside every round (their order rotated each round), and each target judged on the
 * median of its per-round ratios, printed with the ratios' min–max.
 *
 * <p>Every ZeroWAL row but one runs in steady state: the log recycles segments and a
 * {@link Consumer} truncates what was written every {@value #CONSUMER_PERIOD_MILLIS} ms, so that
 * after its first two segments the log writes into reused files; the row {@link #RING_GROWING} is
 * pattern (a) on a log nobody truncates, whose files only grow. Spark's log rolls every 60 s, so
 * nothing is cleaned within a point whatever its reader does.
 *
 * <p>The raw bound ({@link RawGroupCommit}) is the same records handed by the same producers to
 * one thread that writes each group into files written before the clock starts (reused in turn,
 * as a recycling log reuses segments: the faster case, so it bounds every row), with a second
 * thread forcing behind it, and no framing, future or callback. Its window per producer is searched before each workload's rounds (1 s
 * each of {@link #RAW_WINDOWS}; the best is kept for the rounds and printed under the table):
 * the fastest window depends on the machine and the workload (1 KiB x 8 on the first machine,
 * medians of 5 rounds: window 2,048 made 0.66x of window 256 with SYNC and 0.40x with FLUSH; on a
 * second machine of the same kind 8,192 was the fastest with SYNC and 512 with FLUSH), so no one
 * window bounds every workload. The windows go up to 8,192 records per producer: 8 producers of
 * 100 B records then keep as many bytes in flight as pattern (c)'s 8 MiB {@code maxPendingBytes},
 * which a search that stopped at 1,024 let (c) match or beat at 100 B (its fastest window was the
 * largest tried). Where window 16 is judged the bound with that window is measured too.
 * Single-writer latency, (d) on a preallocated file against raw write + force of one frame, closes
 * the run.
 *
 * <p>Patterns: (a) a ring of 256 futures per producer, joining the oldest; (b) callback acks, each
 * producer bounding its window with its own {@link Semaphore} released in the callback, windows 16
 * and 256; (c) callback acks bounded only by the log's own {@code maxPendingBytes} (BLOCK); (d) one
 * {@code append(...).join()} at a time per producer; (e) the receiver engine: 4 receivers calling
 * {@code store(record).thenRun(ack)}, SYNC against NONE, and blocks of 1,000 records stored with
 * {@code storeAndWait}.
 *
 * <pre>
 * ./mvnw -q -pl wal-bench -am -Pcompare -DskipTests package \
 *     -Dcompare.main=io.zerowal.bench.AckPatterns [-Dcompare.args="--quick"]
 * </pre>
 * Options: {@code --seconds S}, {@code --rounds N}, {@code --quick} (1 s, 3 rounds, 1 KiB x 8
 * only: for development, not for verdicts), {@code --dir DIR} (default target/ack-data),
 * {@code --out FILE} (Markdown report, default target/ack-patterns.md).
 */
public final class AckPatterns {
  static final String SPARK = "Spark FileBasedWAL (blocking write)";
  static final String RAW = "raw group commit (pipelined force, reused files, window searched)";
  static final String RAW16 = "raw group commit, reused files, window 16 per producer";
  static final String RING = "(a) ring of 256 futures, join oldest";
  static final String RING_GROWING = "(a) ring, log never truncated (no segment to reuse)";
  static final String SEM16 = "(b) callback + own semaphore, window 16";
  static final String SEM256 = "(b) callback + own semaphore, window 256";
  static final String BACKPRESSURE = "(c) callback + log maxPendingBytes 8 MiB";
  static final String JOIN = "(d) append(...).join() one at a time";
  static final List<String> SYSTEMS =
      List.of(SPARK, RAW, RING, SEM16, SEM256, BACKPRESSURE, JOIN, RING_GROWING);
  /** How often the consumer of every ZeroWAL row but RING_GROWING truncates what was written. */
  static final long CONSUMER_PERIOD_MILLIS = 20;
  /** The raw bound's windows per producer tried before each workload's rounds. */
  static final int[] RAW_WINDOWS = {64, 128, 256, 512, 1024, 2048, 4096, 8192};

  static final String LAT_RAW = "raw write + force, preallocated file";
  static final String LAT_ZW = "(d) ZeroWAL append(...).join(), SYNC, preallocated";

  static final String RECV_SYNC = "(e) receiver store(record).thenRun(ack), SYNC";
  static final String RECV_NONE = "(e) receiver store(record).thenRun(ack), NONE";
  static final String RECV_BLOCKS = "(e) receiver storeAndWait(1,000 records), SYNC";

  /** One workload: record size, producers, durability. */
  record Workload(int size, int producers, Durability durability) {
    String name() {
      return Compare.sizeName(size) + " x " + producers + " producer" + (producers == 1 ? "" : "s")
          + ", " + durability;
    }
  }

  private final Path dataDir;
  private final long nanos;
  private final int rounds;
  private int dirCounter;
  // Per workload: the raw bound's window, and what the search measured for each tried.
  private final Map<Workload, Integer> rawWindow = new LinkedHashMap<>();
  private final Map<Workload, String> rawSearch = new LinkedHashMap<>();

  AckPatterns(Path dataDir, double seconds, int rounds) {
    this.dataDir = dataDir;
    this.nanos = (long) (seconds * 1e9);
    this.rounds = rounds;
  }

  public static void main(String[] args) throws Exception {
    double seconds = 3;
    int rounds = 5;
    boolean quick = false;
    Path dir = Path.of("target/ack-data");
    Path out = Path.of("target/ack-patterns.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
        case "--dir" -> dir = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --seconds S --rounds N --quick --dir DIR --out FILE");
      }
    }
    if (quick) {
      seconds = Math.min(seconds, 1);
      rounds = Math.min(rounds, 3);
    }
    if (seconds <= 0 || rounds < 1) {
      throw new IllegalArgumentException("--seconds must be positive and --rounds at least 1");
    }
    List<Workload> workloads = quick
        ? List.of(new Workload(1024, 8, Durability.SYNC), new Workload(1024, 8, Durability.FLUSH))
        : List.of(new Workload(1024, 8, Durability.SYNC), new Workload(1024, 8, Durability.FLUSH),
            new Workload(100, 8, Durability.SYNC), new Workload(100, 8, Durability.FLUSH),
            new Workload(1024, 1, Durability.SYNC), new Workload(1024, 64, Durability.SYNC));
    new AckPatterns(dir, seconds, rounds).run(workloads, out, quick);
  }

  private void run(List<Workload> workloads, Path out, boolean quick) throws Exception {
    long t0 = System.nanoTime();
    Workloads.deleteTree(dataDir);
    Files.createDirectories(dataDir);
    StringBuilder md = new StringBuilder();
    md.append("# Throughput by acknowledgement pattern\n\n")
        .append(String.format(Locale.ROOT, "Run %s, %d rounds x %.1f s per point, systems"
            + " interleaved (order rotated per round); median and min-max of the rounds.%s%n%n",
            ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), rounds, nanos / 1e9,
            quick ? " **--quick: not for verdicts.**" : ""));
    warmUp();
    Map<Workload, Map<String, double[]>> results = new LinkedHashMap<>();
    for (Workload w : workloads) {
      Map<String, double[]> r = measure(w);
      results.put(w, r);
      String table = table(w, r);
      System.out.println(table);
      md.append(table).append('\n');
    }
    double[][] receiver = receiver();
    String recv = receiverTable(receiver);
    System.out.println(recv);
    md.append(recv).append('\n');
    double[][] latency = latency();
    String lat = latencyTable(latency);
    System.out.println(lat);
    md.append(lat).append('\n');
    String verdicts = verdicts(results, receiver, latency);
    System.out.println(verdicts);
    md.append(verdicts);
    double minutes = (System.nanoTime() - t0) / 60e9;
    md.append(String.format(Locale.ROOT, "%nWhole run: %.1f minutes.%n", minutes));
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.writeString(out, md);
    Workloads.deleteTree(dataDir);
    System.out.printf(Locale.ROOT, "report in %s (%.1f minutes)%n", out.toAbsolutePath(), minutes);
  }

  private void warmUp() throws Exception {
    long save = nanos;
    Workload w = new Workload(1024, 8, Durability.FLUSH);
    for (String s : SYSTEMS) {
      once(s, w, Math.min(save, 1_000_000_000L));
    }
  }

  /** records/s of every system in every round: the systems' order rotates with the round. */
  private Map<String, double[]> measure(Workload w) throws Exception {
    List<String> systems = systems(w);
    searchRawWindow(w);
    Map<String, double[]> r = new LinkedHashMap<>();
    for (String s : systems) {
      r.put(s, new double[rounds]);
    }
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < systems.size(); i++) {
        String s = systems.get((i + round) % systems.size());
        r.get(s)[round] = once(s, w, nanos);
      }
    }
    return r;
  }

  /**
   * Measures the raw bound for 1 s at each of {@link #RAW_WINDOWS} and keeps the fastest window
   * for {@code w}'s rounds.
   */
  private void searchRawWindow(Workload w) throws Exception {
    long second = Math.min(nanos, 1_000_000_000L);
    StringBuilder tried = new StringBuilder();
    int best = Workloads.IN_FLIGHT_PER_PRODUCER;
    double bestRate = -1;
    for (int window : RAW_WINDOWS) {
      Path d = freshDir();
      try {
        double rate = RawGroupCommit.run(d, w.producers(), window, w.size(),
            w.durability() == Durability.SYNC, second, true).recordsPerSecond();
        tried.append(tried.length() == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "%d: %,.0f", window, rate));
        if (rate > bestRate) {
          bestRate = rate;
          best = window;
        }
      } finally {
        Workloads.deleteTree(d);
      }
    }
    rawWindow.put(w, best);
    rawSearch.put(w, tried.toString());
  }

  /**
   * The systems of one workload: every pattern, and where window 16 is judged (1 KiB x 8, SYNC)
   * the raw bound with that same window too, which shows what 16 records in flight per producer
   * allow on this disk whatever the log does.
   */
  static List<String> systems(Workload w) {
    if (w.size() == 1024 && w.producers() == 8 && w.durability() == Durability.SYNC) {
      List<String> l = new ArrayList<>(SYSTEMS);
      l.add(l.indexOf(SEM16) + 1, RAW16);
      return l;
    }
    return SYSTEMS;
  }

  double once(String system, Workload w, long nanos) throws Exception {
    Path d = freshDir();
    try {
      Measurement m;
      switch (system) {
        case SPARK -> {
          try (Peers.WriteAheadLogAdapter spark = Peers.spark(d, false)) {
            m = Workloads.blocking(spark, w.producers(), w.size(), nanos);
          }
        }
        case RAW -> m = RawGroupCommit.run(d, w.producers(),
            rawWindow.getOrDefault(w, Workloads.IN_FLIGHT_PER_PRODUCER), w.size(),
            w.durability() == Durability.SYNC, nanos, true);
        case RAW16 -> m = RawGroupCommit.run(d, w.producers(), 16, w.size(),
            w.durability() == Durability.SYNC, nanos, true);
        case RING -> {
          try (WriteAheadLog log = open(d, w, 256L << 20, true);
              Consumer consumer = new Consumer(log)) {
            m = Workloads.zeroWalPipelined(log, w.producers(), w.size(), nanos);
          }
        }
        case RING_GROWING -> {
          try (WriteAheadLog log = open(d, w, 256L << 20, false)) {
            m = Workloads.zeroWalPipelined(log, w.producers(), w.size(), nanos);
          }
        }
        case SEM16, SEM256, BACKPRESSURE, JOIN -> {
          try (WriteAheadLog log = open(d, w, system.equals(BACKPRESSURE) ? 8L << 20 : 256L << 20,
              true); Consumer consumer = new Consumer(log)) {
            m = callbacks(log, system, w, nanos);
          }
        }
        default -> throw new AssertionError(system);
      }
      return m.recordsPerSecond();
    } finally {
      Workloads.deleteTree(d);
    }
  }

  private static WriteAheadLog open(Path d, Workload w, long maxPendingBytes, boolean recycle)
      throws Exception {
    return WriteAheadLog.builder(new LocalStorage(d)).durability(w.durability())
        .maxRecordSize(1 << 20).maxPendingBytes(maxPendingBytes).backPressure(BackPressure.BLOCK)
        .recycleSegments(recycle).open();
  }

  /**
   * A consumer that keeps up, as a log's reader does in steady state (the receiver engine after
   * each batch): every {@value #CONSUMER_PERIOD_MILLIS} ms it truncates every segment before the
   * one being written, whose files the log then reuses. Without one a log only grows, which no
   * write-ahead log does for long; {@link #RING_GROWING} measures that case in the same rounds.
   */
  static final class Consumer implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    Consumer(WriteAheadLog log) {
      thread = new Thread(() -> {
        while (!stop) {
          try {
            log.truncateBefore(log.nextSequence());
            Thread.sleep(CONSUMER_PERIOD_MILLIS);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            failure = e;
            return;
          }
        }
      }, "consumer");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true; // not interrupt(): it would close a file under truncateBefore
      thread.join();
      if (failure != null) {
        throw new IllegalStateException("the consumer's truncateBefore failed", failure);
      }
    }
  }

  /**
   * Patterns (b), (c) and (d), written as users write them: {@code append(byte[])} and a callback
   * (or a join) per record. Counts records acknowledged; the time includes waiting for the last
   * acknowledgements.
   */
  private static Measurement callbacks(WriteAheadLog log, String system, Workload w, long nanos)
      throws Exception {
    LongAdder acked = new LongAdder();
    CountDownLatch ready = new CountDownLatch(w.producers());
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    Throwable[] failure = new Throwable[1];
    AtomicLong appended = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    int window = system.equals(SEM16) ? 16 : 256;
    for (int t = 0; t < w.producers(); t++) {
      byte[] bytes = Workloads.payload(w.size(), t);
      Thread th = new Thread(() -> {
        Semaphore permits = new Semaphore(window);
        long n = 0;
        CompletableFuture<RecordHandle> last = null;
        try {
          ready.countDown();
          go.await();
          long end = deadline[0];
          while ((n & 15) != 0 || System.nanoTime() < end) {
            switch (system) {
              case SEM16, SEM256 -> {
                permits.acquire();
                last = log.append(bytes);
                last.whenComplete((h, e) -> {
                  permits.release();
                  acked.increment();
                });
              }
              case BACKPRESSURE -> {
                last = log.append(bytes);
                last.thenRun(acked::increment);
              }
              case JOIN -> {
                log.append(bytes).join();
                acked.increment();
              }
              default -> throw new AssertionError(system);
            }
            n++;
          }
          if (last != null) {
            last.join(); // futures complete in sequence order: the last one is the latest
          }
          if (system.equals(SEM16) || system.equals(SEM256)) {
            permits.acquire(window); // every callback of this producer has run
          }
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
        appended.addAndGet(n);
      }, "producer-" + t);
      th.setDaemon(true);
      threads.add(th);
      th.start();
    }
    ready.await();
    long start = System.nanoTime();
    deadline[0] = start + nanos;
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure[0] != null) {
      throw new IllegalStateException(system + ": a producer failed", failure[0]);
    }
    long records = appended.get();
    return new Measurement(records, records * w.size(), elapsed, -1, null, 0);
  }

  /** (e): rows SYNC record, NONE record, SYNC blocks; columns rounds. */
  private double[][] receiver() throws Exception {
    double[][] r = new double[3][rounds];
    double seconds = nanos / 1e9;
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < 3; i++) {
        int which = (i + round) % 3;
        Path d = freshDir();
        r[which][round] = switch (which) {
          case 0 -> ReceiverStoreThroughput.run(Durability.SYNC, d, seconds, 0);
          case 1 -> ReceiverStoreThroughput.run(Durability.NONE, d, seconds, 0);
          default -> ReceiverStoreThroughput.run(Durability.SYNC, d, seconds, 1000);
        };
        Workloads.deleteTree(d);
      }
    }
    return r;
  }

  /**
   * Pattern (d) for latency: one writer, 1 KiB, SYNC, on a preallocated file, against a raw loop
   * that writes and forces one frame at a time on a preallocated file, interleaved per round.
   * Rows: raw p50, raw p99, ZeroWAL p50, ZeroWAL p99 (microseconds); columns rounds.
   */
  private double[][] latency() throws Exception {
    double[][] r = new double[4][rounds];
    Peers.ZeroWalConfig config = new Peers.ZeroWalConfig(LAT_ZW, Durability.SYNC, true, false);
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < 2; i++) {
        boolean raw = (i + round) % 2 == 0;
        Path d = freshDir();
        Measurement m;
        if (raw) {
          try (FileChannel ch = Workloads.preallocated(d.resolve("raw"), 64L << 20)) {
            m = Workloads.raw(ch, ch.size(), 1, 1024, nanos);
          }
        } else {
          try (Peers.ZeroWalBlocking log = new Peers.ZeroWalBlocking(config.open(d))) {
            m = Workloads.blocking(log, 1, 1024, nanos);
          }
        }
        Workloads.deleteTree(d);
        int row = raw ? 0 : 2;
        r[row][round] = m.latencyMicros(50);
        r[row + 1][round] = m.latencyMicros(99);
      }
    }
    return r;
  }

  // ---------------------------------------------------------------- reporting

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double[] ratios(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }

  static String spread(double[] v, String fmt) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, fmt + " (" + fmt + "–" + fmt + ")", median(v), s[0],
        s[s.length - 1]);
  }

  private String table(Workload w, Map<String, double[]> r) {
    StringBuilder sb = new StringBuilder();
    sb.append("## ").append(w.name()).append("\n\n")
        .append("| system | records/s median (min–max) | × Spark, median of rounds (min–max)"
            + " | % of (a) ring |\n|---|---|---|---|\n");
    double[] spark = r.get(SPARK);
    double[] ring = r.get(RING);
    for (Map.Entry<String, double[]> e : r.entrySet()) {
      sb.append("| ").append(e.getKey()).append(" | ").append(spread(e.getValue(), "%,.0f"))
          .append(" | ").append(spread(ratios(e.getValue(), spark), "%.2f")).append(" | ")
          .append(String.format(Locale.ROOT, "%.0f %%", 100 * median(ratios(e.getValue(), ring))))
          .append(" |\n");
    }
    if (rawWindow.containsKey(w)) {
      sb.append("\nRaw bound's window: ").append(rawWindow.get(w))
          .append(" per producer, the fastest of a 1 s search (records/s by window: ")
          .append(rawSearch.get(w)).append(").\n");
    }
    return sb.toString();
  }

  private static String receiverTable(double[][] r) {
    String[] names = {RECV_SYNC, RECV_NONE, RECV_BLOCKS};
    StringBuilder sb = new StringBuilder("## receiver engine, 1 KiB records, 4 receivers\n\n"
        + "| system | records/s median (min–max) | % of NONE (min–max) |\n|---|---|---|\n");
    for (int i = 0; i < 3; i++) {
      double[] pct = ratios(r[i], r[1]);
      for (int k = 0; k < pct.length; k++) {
        pct[k] *= 100;
      }
      sb.append("| ").append(names[i]).append(" | ").append(spread(r[i], "%,.0f")).append(" | ")
          .append(spread(pct, "%.0f")).append(" |\n");
    }
    return sb.toString();
  }

  private static String latencyTable(double[][] r) {
    return "## single writer, 1 KiB, SYNC, preallocated: latency per append (us)\n\n"
        + "| system | p50 median (min–max) | p99 median (min–max) |\n|---|---|---|\n"
        + "| " + LAT_RAW + " | " + spread(r[0], "%.0f") + " | " + spread(r[1], "%.0f") + " |\n"
        + "| " + LAT_ZW + " | " + spread(r[2], "%.0f") + " | " + spread(r[3], "%.0f") + " |\n"
        + "| ratio ZeroWAL / raw, per round | " + spread(ratios(r[2], r[0]), "%.2f") + " | "
        + spread(ratios(r[3], r[1]), "%.2f") + " |\n";
  }

  private String verdicts(Map<Workload, Map<String, double[]>> results, double[][] receiver,
      double[][] latency) {
    StringBuilder sb = new StringBuilder("## Targets (judged on the median of per-round ratios)\n\n");
    for (Map.Entry<Workload, Map<String, double[]>> e : results.entrySet()) {
      Workload w = e.getKey();
      Map<String, double[]> r = e.getValue();
      if (w.producers() != 8) {
        continue;
      }
      double goal = w.durability() == Durability.SYNC ? (w.size() == 1024 ? 2.0 : Double.NaN)
          : (w.size() == 1024 ? 3.0 : 10.0);
      for (String p : List.of(RING, SEM16, SEM256, BACKPRESSURE)) {
        if (!Double.isNaN(goal)) {
          verdict(sb, w.name() + ": " + p + " ≥ " + goal + "× Spark", ratios(r.get(p), r.get(SPARK)),
              goal);
        }
        if (!p.equals(RING)) {
          verdict(sb, w.name() + ": " + p + " ≥ 90 % of (a)", ratios(r.get(p), r.get(RING)), 0.9);
        }
      }
      if (r.containsKey(RAW16)) {
        sb.append("- ").append(w.name()).append(": ").append(SEM16).append(" makes ")
            .append(spread(ratios(r.get(SEM16), r.get(RAW16)), "%.2f"))
            .append(" of the raw bound with the same window (").append(RAW16).append(", ")
            .append(spread(ratios(r.get(RAW16), r.get(SPARK)), "%.2f"))
            .append("× Spark): 16 records in flight per producer cap any log at that rate\n");
      }
      for (String p : List.of(RING, SEM16, SEM256, BACKPRESSURE, JOIN)) {
        double[] toBound = ratios(r.get(p), r.get(RAW));
        if (median(toBound) > 1) {
          sb.append("- ").append(w.name()).append(": ").append(p).append(" beats the raw bound (")
              .append(spread(toBound, "%.2f")).append("×): the bound is not bounding, say why\n");
        }
      }
    }
    verdict(sb, "receiver SYNC ≥ 85 % of NONE, record at a time", ratios(receiver[0], receiver[1]),
        0.85);
    atMost(sb, "single writer SYNC preallocated p50 ≤ 1.2× raw", ratios(latency[2], latency[0]),
        1.2);
    atMost(sb, "single writer SYNC preallocated p99 ≤ 1.5× raw", ratios(latency[3], latency[1]),
        1.5);
    return sb.toString();
  }

  private static void atMost(StringBuilder sb, String what, double[] ratios, double goal) {
    sb.append("- ").append(median(ratios) <= goal ? "MET    " : "MISSED ").append(what)
        .append(": ").append(spread(ratios, "%.2f")).append('\n');
  }

  private static void verdict(StringBuilder sb, String what, double[] ratios, double goal) {
    sb.append("- ").append(median(ratios) >= goal ? "MET    " : "MISSED ").append(what)
        .append(": ").append(spread(ratios, "%.2f")).append('\n');
  }

  private Path freshDir() throws Exception {
    Path d = dataDir.resolve("run-" + (dirCounter++));
    Files.createDirectories(d);
    return d;
  }
}
