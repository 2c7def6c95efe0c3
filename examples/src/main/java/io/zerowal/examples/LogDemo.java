/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import io.zerowal.core.Durability;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.LogStats;
import io.zerowal.core.RecoveryReport;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Writes records from several threads into a {@link Durability#SYNC} log on local disk, pipelined
 * (each thread keeps up to {@value #IN_FLIGHT} appends waiting for the disk), then reopens the log
 * and checks every record byte for byte. Prints throughput, the commit groups that carried it and
 * the raw fdatasync bound of the same disk at the same group size ({@link RawSyncBaseline}).
 *
 * <pre>
 * LogDemo [records] [threads] [recordSize] [dir] [preallocate]
 * </pre>
 * Defaults: 1,000,000 records of 1,024 bytes from 8 threads into {@code target/zerowal-demo/log},
 * segments not preallocated ({@code preallocate} = {@code true} or {@code false}). A {@code dir}
 * outside {@code target/zerowal-demo} must be absent or empty. Exits with 1 if any check fails.
 *
 * <p>Each payload is a function of (thread, index) only: thread as u32, index as u64, then bytes
 * from a generator seeded with both. So the check needs nothing from the writing run but the
 * sequences the appends were acknowledged with.
 */
public final class LogDemo {
  /** Appends each thread keeps in flight: enough to fill a group while the previous one syncs. */
  static final int IN_FLIGHT = 1024;
  static final Path DEFAULT_DIR = Path.of("target", "zerowal-demo", "log");
  private static final int PAYLOAD_HEADER = 12;

  private final boolean preallocate;

  LogDemo(boolean preallocate) {
    this.preallocate = preallocate;
  }

  public static void main(String[] args) {
    String[] a;
    long records;
    int threads;
    int recordSize;
    Path dir;
    boolean preallocate;
    try {
      a = CommandLine.nonBlank(args);
      records = CommandLine.longArg(a, 0, "records", 1_000_000);
      threads = CommandLine.intArg(a, 1, "threads", 8);
      recordSize = CommandLine.intArg(a, 2, "recordSize", 1024);
      dir = a.length > 3 ? Path.of(a[3]) : DEFAULT_DIR;
      preallocate = a.length > 4 && Boolean.parseBoolean(a[4]);
      if (records < 1 || threads < 1 || recordSize < PAYLOAD_HEADER) {
        throw new IllegalArgumentException("need records >= 1, threads >= 1 and recordSize >= "
            + PAYLOAD_HEADER + " (got " + records + ", " + threads + ", " + recordSize + ")");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("LogDemo: " + e.getMessage());
      System.err.println("usage: LogDemo [records] [threads] [recordSize] [dir] [preallocate]");
      System.exit(2);
      return;
    }
    try {
      boolean ok = new LogDemo(preallocate).run(records, threads, recordSize,
          dir.toAbsolutePath().normalize(), isDemoDir(dir));
      System.exit(ok ? 0 : 1);
    } catch (Exception e) {
      System.err.println("LogDemo FAILED: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private final List<String> problems = new ArrayList<>();

  boolean run(long total, int threads, int recordSize, Path dir, boolean ownDir)
      throws Exception {
    prepare(dir, ownDir);
    long[] perThread = new long[threads];
    for (int t = 0; t < threads; t++) {
      perThread[t] = total / threads + (t < total % threads ? 1 : 0);
    }
    if (perThread[0] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " records per thread");
    }
    long[][] sequences = new long[threads][];
    for (int t = 0; t < threads; t++) {
      sequences[t] = new long[(int) perThread[t]];
    }
    System.out.printf(Locale.ROOT, "ZeroWAL LogDemo: %,d records x %,d B from %d threads,"
        + " Durability.SYNC, %d appends in flight per thread,%s %s%n", total, recordSize, threads,
        IN_FLIGHT, preallocate ? " preallocated segments," : "", dir);

    LogStats stats;
    long nanos;
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir))
        .durability(Durability.SYNC).preallocate(preallocate).open()) {
      nanos = write(log, perThread, recordSize, sequences);
      stats = log.stats();
    }
    double seconds = nanos / 1e9;
    double recordsPerSecond = total / seconds;
    System.out.printf(Locale.ROOT, "  write    %,d records in %.2f s: %,.0f records/s, %.1f MB/s%n",
        total, seconds, recordsPerSecond, total * (double) recordSize / seconds / 1e6);
    System.out.printf(Locale.ROOT, "  commit   %,d syncs, %,d groups, %,.1f records per group"
        + " (%d segments rolled)%n", stats.syncs(), stats.groups(), stats.averageGroupSize(),
        stats.segmentsRolled());
    baseline(dir.resolveSibling("raw"), stats.averageGroupSize(), recordSize, total,
        recordsPerSecond);

    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir))
        .durability(Durability.SYNC).open()) {
      RecoveryReport report = log.recoveryReport();
      System.out.println("  reopen   " + report);
      checkReport(report, total);
      long started = System.nanoTime();
      long read = check(log, perThread, recordSize, sequences);
      long verified = log.verify();
      if (verified != total) {
        problem("verify() checked " + verified + " records, expected " + total);
      }
      System.out.printf(Locale.ROOT, "  check    %,d records read back in %.2f s, byte for byte;"
          + " verify() checked %,d frames: %s%n", read, (System.nanoTime() - started) / 1e9,
          verified, problems.isEmpty() ? "OK" : "FAILED");
    }
    for (String p : problems.subList(0, Math.min(problems.size(), 10))) {
      System.out.println("  PROBLEM  " + p);
    }
    return problems.isEmpty();
  }

  /** Appends every record, pipelined, and returns the nanoseconds until the last one was durable. */
  private long write(WriteAheadLog log, long[] perThread, int recordSize, long[][] sequences)
      throws InterruptedException {
    int threads = perThread.length;
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong failed = new AtomicLong();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    List<Thread> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread appender = new Thread(() -> {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long[] acknowledged = sequences[thread];
        try {
          go.await();
          for (int i = 0; i < perThread[thread]; i++) {
            inFlight.acquire();
            int index = i;
            // A fresh buffer per record: the log reads it on its writer thread until the future
            // completes. The callback runs on one of the log's threads, so it only records and releases.
            log.append(payload(thread, index, recordSize)).whenComplete((handle, error) -> {
              if (error != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
              } else {
                acknowledged[index] = handle.sequence();
              }
              inFlight.release();
            });
          }
          inFlight.acquire(IN_FLIGHT); // every append of this thread is durable (or failed)
        } catch (RuntimeException | InterruptedException e) {
          failed.incrementAndGet();
          firstFailure.compareAndSet(null, e);
        }
      }, "appender-" + t);
      appenders.add(appender);
      appender.start();
    }
    long start = System.nanoTime();
    go.countDown();
    for (Thread appender : appenders) {
      appender.join();
    }
    long nanos = System.nanoTime() - start;
    if (failed.get() > 0) {
      problem(failed.get() + " appends failed, first: " + firstFailure.get());
    }
    return nanos;
  }

  private void baseline(Path rawDir, double groupSize, int recordSize, long total,
      double logRecordsPerSecond) throws IOException {
    int group = (int) Math.max(1, Math.round(groupSize));
    Duration maxTime = Duration.ofSeconds(10);
    RawSyncBaseline.Result growing =
        RawSyncBaseline.measure(rawDir, group, recordSize, total, maxTime, false);
    RawSyncBaseline.Result preallocated =
        RawSyncBaseline.measure(rawDir, group, recordSize, total, maxTime, true);
    System.out.printf(Locale.ROOT, "  raw      FileChannel write + force(false) per %,d records:"
        + " growing file %,.0f records/s (%.1f MB/s), preallocated %,.0f records/s (%.1f MB/s)%n",
        group, growing.recordsPerSecond(), growing.megabytesPerSecond(),
        preallocated.recordsPerSecond(), preallocated.megabytesPerSecond());
    RawSyncBaseline.Result same = preallocate ? preallocated : growing;
    System.out.printf(Locale.ROOT, "  ratio    ZeroWAL / raw (%s, same group size) = %.2f%n",
        preallocate ? "preallocated" : "growing files", logRecordsPerSecond
            / same.recordsPerSecond());
  }

  private void checkReport(RecoveryReport report, long total) {
    if (report.records() != total || report.nextSequence() != total || report.firstSequence() != 0
        || report.tornTail() || report.bytesTruncated() != 0 || report.recordsSkipped() != 0
        || !report.corruptSegments().isEmpty()) {
      problem("after a clean close, recovery should find exactly " + total
          + " records and repair nothing: " + report);
    }
  }

  /** Reads every record in order and compares it with what was acknowledged; returns the count. */
  private long check(WriteAheadLog log, long[] perThread, int recordSize, long[][] sequences) {
    int threads = perThread.length;
    BitSet[] seen = new BitSet[threads];
    for (int t = 0; t < threads; t++) {
      seen[t] = new BitSet((int) perThread[t]);
    }
    long count = 0;
    try (LogReader reader = log.readFrom(log.firstSequence())) {
      for (LogRecord rec : reader) {
        count++;
        ByteBuffer payload = rec.payload().order(ByteOrder.LITTLE_ENDIAN);
        if (payload.remaining() != recordSize) {
          problem("record " + rec.sequence() + " has " + payload.remaining() + " bytes");
          continue;
        }
        int thread = payload.getInt(0);
        long index = payload.getLong(4);
        if (thread < 0 || thread >= threads || index < 0 || index >= perThread[thread]) {
          problem("record " + rec.sequence() + " claims thread " + thread + " index " + index);
          continue;
        }
        int i = (int) index;
        if (seen[thread].get(i)) {
          problem("record of thread " + thread + " index " + i + " appears twice");
        }
        seen[thread].set(i);
        if (sequences[thread][i] != rec.sequence()) {
          problem("thread " + thread + " index " + i + " was acknowledged as sequence "
              + sequences[thread][i] + " but is read at " + rec.sequence());
        }
        if (!payload.equals(payload(thread, i, recordSize))) {
          problem("payload of record " + rec.sequence() + " (thread " + thread + " index " + i
              + ") differs from what was written");
        }
        if (rec.sequence() % 997 == 0 && !log.read(rec.handle()).equals(rec.payload())) {
          problem("read(" + rec.handle() + ") differs from the streamed record");
        }
      }
    }
    for (int t = 0; t < threads; t++) {
      int missing = (int) perThread[t] - seen[t].cardinality();
      if (missing > 0) {
        problem(missing + " records of thread " + t + " are missing, first index "
            + seen[t].nextClearBit(0));
      }
    }
    return count;
  }

  /** The payload of record {@code index} of {@code thread}: a function of both only. */
  static ByteBuffer payload(int thread, int index, int size) {
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(thread).putLong(index);
    long state = ((long) thread << 40) ^ index;
    while (b.remaining() >= 8) {
      state += 0x9E3779B97F4A7C15L; // SplitMix64
      b.putLong(mix(state));
    }
    long last = mix(state + 0x9E3779B97F4A7C15L);
    while (b.hasRemaining()) {
      b.put((byte) last);
      last >>>= 8;
    }
    return b.flip();
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private void problem(String p) {
    problems.add(p);
  }

  /** Whether {@code dir} is under {@code target/zerowal-demo}, which the demo may empty. */
  private static boolean isDemoDir(Path dir) {
    Path demo = DEFAULT_DIR.getParent().toAbsolutePath().normalize();
    Path d = dir.toAbsolutePath().normalize();
    return d.startsWith(demo) && !d.equals(demo);
  }

  /** Makes {@code dir} an empty directory; only a directory under the demo's own is emptied. */
  private static void prepare(Path dir, boolean ownDir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        List<Path> old = entries.toList();
        if (!old.isEmpty() && !ownDir) {
          throw new IllegalArgumentException(dir + " is not empty: pass a new or empty directory");
        }
        for (Path p : old) {
          Files.delete(p); // the previous demo run's segments and lock file
        }
      }
    }
  }
}
