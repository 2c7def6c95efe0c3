/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: simulated power loss with {@link MemoryStorage#crash(long)}. Eight threads append with
 * SYNC to tiny segments (a roll every ~20 records) while the power fails: from another thread at a
 * random instant, or exactly at the n-th storage operation (inside a roll, a truncateBefore, a
 * recovery) via {@link TripwireStorage}. Then the survivor is recovered (in a third of the runs
 * the recovery itself loses power and is recovered again), audited, appended to, crashed a second
 * time, recovered and audited again.
 */
class PowerLossIT {
  static final int WRITERS = 8;
  static final int SEGMENT_SIZE = 4096;
  static final int MAX_BODY = 300;

  static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(WRITERS + 2);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void everyAcknowledgedRecordSurvivesPowerLoss() {
    int runs = Settings.count("it.powerloss.crashes", 1000);
    long base = Settings.seed();
    Summary summary = new Summary("1-power-loss-memory",
        "-Dit.test=PowerLossIT -Dit.seed=SEED -Dit.powerloss.crashes=1");
    AtomicLong crashes = new AtomicLong();
    AtomicLong recoveryCrashes = new AtomicLong();
    AtomicLong truncateRuns = new AtomicLong();
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        runOnce(seed, Durability.SYNC, summary, crashes, recoveryCrashes, truncateRuns);
      } catch (Throwable t) {
        summary.fail(seed, "unexpected " + t);
        t.printStackTrace();
      }
    }
    summary.note("crashes=" + crashes + " (" + recoveryCrashes + " during recovery), runs with"
        + " truncateBefore=" + truncateRuns);
    summary.finish();
  }

  /** The oracle must see losses where the log promises none: NONE acknowledges before any sync. */
  @Test
  void auditDetectsLossWhenRecordsAreAcknowledgedBeforeSync() {
    Summary selfCheck = new Summary("selfcheck", "");
    AtomicLong ignored = new AtomicLong();
    for (int i = 0; i < 40; i++) {
      try {
        runOnce(Settings.seed() + i, Durability.NONE, selfCheck, ignored, ignored, ignored);
      } catch (Throwable t) {
        selfCheck.fail(i, t.toString());
      }
    }
    org.assertj.core.api.Assertions.assertThat(selfCheck.lost()).isPositive();
  }

  private void runOnce(long seed, Durability durability, Summary summary, AtomicLong crashes, AtomicLong recoveryCrashes,
      AtomicLong truncateRuns) throws Exception {
    Random rnd = new Random(seed);
    Ledger ledger = new Ledger(seed, MAX_BODY);
    boolean preallocate = rnd.nextInt(3) == 0;
    boolean truncating = rnd.nextBoolean();
    boolean tripwire = rnd.nextBoolean();
    if (truncating) {
      truncateRuns.incrementAndGet();
    }

    // Phase 0: appends (and truncations) until the power fails.
    AtomicLong highestTruncation = new AtomicLong(0);
    MemoryStorage mem = new MemoryStorage();
    TripwireStorage storage = new TripwireStorage(mem, seed,
        tripwire ? 1 + rnd.nextInt(400) : 0, rnd.nextBoolean());
    MemoryStorage survivor = phaseZero(seed, rnd, storage, ledger, preallocate, durability, truncating,
        tripwire, highestTruncation, summary);
    crashes.incrementAndGet();

    // Recovery, which itself may lose power.
    if (rnd.nextInt(3) == 0) {
      TripwireStorage recovering = new TripwireStorage(survivor, seed + 1, 1 + rnd.nextInt(12),
          rnd.nextBoolean());
      try {
        open(recovering, preallocate).close(); // the tripwire may also hit the seal on close
      } catch (RuntimeException expected) {
        // the crash during recovery surfaces as a failed open
      }
      survivor = recovering.crashNow();
      crashes.incrementAndGet();
      recoveryCrashes.incrementAndGet();
    } else if (rnd.nextInt(4) == 0) {
      MemoryStorage target = survivor;
      java.util.concurrent.Future<MemoryStorage> crasher = pool.submit(() -> {
        LockSupport.parkNanos(rnd.nextInt(200_000));
        return target.crash(seed + 2);
      });
      try {
        open(target, preallocate).close();
      } catch (RuntimeException expected) {
        // lost power while opening
      }
      MemoryStorage afterOpen = crasher.get(30, TimeUnit.SECONDS);
      survivor = afterOpen;
      crashes.incrementAndGet();
      recoveryCrashes.incrementAndGet();
    }

    WriteAheadLog recovered = open(survivor, preallocate);
    LogAudit first = LogAudit.of(recovered, ledger, highestTruncation.get());

    // Phase 1: the recovered log takes appends, then loses power a second time.
    TripwireStorage second = new TripwireStorage(survivor, seed + 3, 0, false);
    recovered.close();
    WriteAheadLog again = open(second, preallocate, durability);
    Appenders more = new Appenders().start(pool, again, ledger, 1, 1 + rnd.nextInt(WRITERS), 100,
        1 + rnd.nextInt(8));
    LockSupport.parkNanos(rnd.nextInt(2_000_000));
    MemoryStorage survivor2 = second.crashNow();
    crashes.incrementAndGet();
    more.stop.set(true);
    String hang2 = more.awaitAll();
    again.close();
    if (hang2 != null) {
      summary.fail(seed, "second phase: " + hang2);
    }
    try (WriteAheadLog last = open(survivor2, preallocate)) {
      LogAudit audit = LogAudit.of(last, ledger, highestTruncation.get());
      audit.lost += first.lost;
      audit.phantom += first.phantom;
      audit.corrupt += first.corrupt;
      audit.problems.addAll(0, first.problems);
      last.append(Payloads.expected(Payloads.key(2, 0, 0), seed, MAX_BODY)).get(10, TimeUnit.SECONDS);
      summary.run(seed, ledger.ackedCount(), audit);
    }
  }

  private MemoryStorage phaseZero(long seed, Random rnd, TripwireStorage storage, Ledger ledger,
      boolean preallocate, Durability durability, boolean truncating, boolean tripwire, AtomicLong highestTruncation,
      Summary summary) throws Exception {
    WriteAheadLog log;
    try {
      log = open(storage, preallocate, durability);
    } catch (RuntimeException e) {
      if (storage.survivor() == null) {
        throw e;
      }
      return storage.survivor(); // lost power while creating the first segment
    }
    Appenders appenders = new Appenders().start(pool, log, ledger, 0, WRITERS, 400,
        1 + rnd.nextInt(16));
    java.util.concurrent.Future<?> truncator = truncating
        ? pool.submit(() -> truncate(log, appenders, highestTruncation, new Random(seed ^ 0x5EED)))
        : null;
    if (tripwire) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (storage.survivor() == null && !appenders.allDone() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(50_000);
      }
    } else {
      LockSupport.parkNanos(rnd.nextInt(3_000_000));
    }
    MemoryStorage survivor = storage.crashNow();
    appenders.stop.set(true);
    String hang = appenders.awaitAll();
    if (truncator != null) {
      truncator.get(30, TimeUnit.SECONDS);
    }
    log.close();
    if (hang != null) {
      summary.fail(seed, hang);
    }
    return survivor;
  }

  private static void truncate(WriteAheadLog log, Appenders appenders, AtomicLong highest,
      Random rnd) {
    while (!appenders.stop.get()) {
      long acked = appenders.maxAckedSequence.get();
      if (acked > 0) {
        long to = highest.get() + rnd.nextInt((int) Math.min(Integer.MAX_VALUE,
            acked - highest.get() + 1));
        highest.accumulateAndGet(to, Math::max); // recorded before the call: it may half-happen
        try {
          log.truncateBefore(to);
        } catch (RuntimeException e) {
          return; // the storage died under it
        }
      }
      LockSupport.parkNanos(rnd.nextInt(300_000));
    }
  }

  static WriteAheadLog open(io.zerowal.core.storage.Storage storage, boolean preallocate) {
    return open(storage, preallocate, Durability.SYNC);
  }

  static WriteAheadLog open(io.zerowal.core.storage.Storage storage, boolean preallocate,
      Durability durability) {
    return WriteAheadLog.builder(storage).durability(durability).segmentSize(SEGMENT_SIZE)
        .maxRecordSize(1024).preallocate(preallocate).open();
  }
}
