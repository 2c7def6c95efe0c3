/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WalException;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario 8: races of append, read, readFrom, truncateBefore and close (jcstress-style, as plain
 * iterations). Four appenders, a random reader, a sequential reader and a truncator run while the
 * log is closed at a random moment. No deadlock (every thread ends within a bound), no lost future
 * (every future settles), every read returns the acknowledged bytes or a documented exception, and
 * the reopened log holds every acknowledged record not truncated.
 */
class ConcurrencyIT {
  static final long BOUND_SECONDS = 30;
  static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void racesEndWithoutDeadlockLostFutureOrWrongBytes() {
    int runs = Settings.count("it.concurrency.iterations", 200);
    long base = Settings.seed();
    Summary summary = new Summary("8-concurrency",
        "-Dit.test=ConcurrencyIT -Dit.seed=SEED -Dit.concurrency.iterations=1");
    Map<String, AtomicLong> exceptions = new ConcurrentHashMap<>();
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        runOnce(seed, summary, exceptions);
      } catch (Throwable t) {
        summary.fail(seed, "unexpected " + t);
        t.printStackTrace();
      }
    }
    summary.note("documented exceptions seen by readers: " + new java.util.TreeMap<>(exceptions));
    summary.finish();
  }

  private void runOnce(long seed, Summary summary, Map<String, AtomicLong> exceptions)
      throws Exception {
    Random rnd = new Random(seed);
    Ledger ledger = new Ledger(seed, 300);
    MemoryStorage mem = new MemoryStorage();
    boolean preallocate = rnd.nextBoolean();
    WriteAheadLog log = PowerLossIT.open(mem, preallocate);
    Appenders appenders = new Appenders().start(pool, log, ledger, 0, 4, 2000, 1 + rnd.nextInt(16));
    AtomicLong highestTruncation = new AtomicLong();
    List<Future<?>> others = new ArrayList<>();
    others.add(pool.submit(() -> randomReads(log, ledger, appenders, new Random(seed + 1), summary,
        seed, exceptions)));
    others.add(pool.submit(() -> sequentialReads(log, ledger, appenders, summary, seed,
        exceptions)));
    others.add(pool.submit(() -> {
      Random tr = new Random(seed + 2);
      while (!appenders.stop.get()) {
        long acked = appenders.maxAckedSequence.get();
        if (acked > 0) {
          long to = highestTruncation.get()
              + tr.nextInt((int) (acked - Math.min(acked, highestTruncation.get()) + 1));
          highestTruncation.accumulateAndGet(to, Math::max);
          try {
            log.truncateBefore(to);
          } catch (WalException e) {
            count(exceptions, "truncateBefore", e);
          }
        }
        LockSupport.parkNanos(tr.nextInt(500_000));
      }
    }));
    LockSupport.parkNanos(rnd.nextInt(20_000_000));
    Future<?> closer = pool.submit(log::close);
    try {
      closer.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      summary.fail(seed, "close() did not return within " + BOUND_SECONDS + "s: deadlock?");
    }
    appenders.stop.set(true);
    String hang = appenders.awaitAll();
    if (hang != null) {
      summary.fail(seed, hang);
    }
    for (Future<?> f : others) {
      try {
        f.get(BOUND_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        summary.fail(seed, "a reader or the truncator did not end within " + BOUND_SECONDS + "s");
      }
    }
    try (WriteAheadLog reopened = PowerLossIT.open(mem, preallocate)) {
      summary.run(seed, ledger.ackedCount(), LogAudit.of(reopened, ledger, highestTruncation.get()));
    }
  }

  private static void randomReads(WriteAheadLog log, Ledger ledger, Appenders appenders,
      Random rnd, Summary summary, long seed, Map<String, AtomicLong> exceptions) {
    while (!appenders.stop.get()) {
      long max = appenders.maxAckedSequence.get();
      if (max < 0) {
        Thread.onSpinWait();
        continue;
      }
      long seq = (long) (rnd.nextDouble() * (max + 1));
      RecordHandle h = ledger.ackedHandleBySequence.get(seq);
      if (h == null) {
        continue;
      }
      try {
        ByteBuffer b = log.read(h);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        byte[] expected = Payloads.expected(ledger.ackedKeyBySequence.get(seq), ledger.salt,
            ledger.maxBody);
        if (!Arrays.equals(bytes, expected)) {
          summary.violation(seed, "corrupt", "read(" + h + ") returned other bytes");
        }
      } catch (CorruptLogException e) {
        summary.violation(seed, "corrupt", "read(" + h + ") threw " + e);
      } catch (WalException | UncheckedIOException e) {
        count(exceptions, "read", e);
      }
    }
  }

  private static void sequentialReads(WriteAheadLog log, Ledger ledger, Appenders appenders,
      Summary summary, long seed, Map<String, AtomicLong> exceptions) {
    while (!appenders.stop.get()) {
      try (LogReader reader = log.readFrom(log.firstSequence())) {
        for (LogRecord rec : reader) {
          byte[] bytes = rec.payloadBytes();
          long key = Payloads.parse(bytes);
          if (key == -1 || !ledger.submitted.contains(key)
              || !Arrays.equals(bytes, Payloads.expected(key, ledger.salt, ledger.maxBody))) {
            summary.violation(seed, "corrupt", "readFrom returned a bad payload at " + rec.sequence());
          }
        }
      } catch (CorruptLogException e) {
        summary.violation(seed, "corrupt", "readFrom threw " + e);
      } catch (WalException | UncheckedIOException | IllegalArgumentException e) {
        count(exceptions, "readFrom", e);
      }
    }
  }

  private static void count(Map<String, AtomicLong> exceptions, String op, RuntimeException e) {
    exceptions.computeIfAbsent(op + ":" + e.getClass().getSimpleName(), k -> new AtomicLong())
        .incrementAndGet();
  }
}
