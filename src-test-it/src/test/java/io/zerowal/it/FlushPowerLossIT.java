/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
 * Scenario 1b: simulated power loss under {@code FLUSH} and {@code NONE}, which promise nothing
 * across a power loss for the open segment, but must still leave a log that opens under STRICT and
 * holds a gap-free prefix of what was appended, with every segment that was sealed intact. Their
 * open segment is synced in the background every quarter segment while the writer writes on, and
 * the power fails at a random instant or exactly at the n-th storage operation (inside a roll, a
 * background sync, a seal) via {@link TripwireStorage}.
 *
 * <p>The oracle: an acknowledged record whose handle names segment base {@code B} proves that
 * every segment before {@code B} was sealed and synced (the seal syncs before the next segment is
 * created), so every acknowledged record below the highest such {@code B} must survive; every
 * record read must be one that was appended, at the sequence it was acknowledged at, with its exact
 * bytes, once; {@code verify()} must agree with the reader.
 */
class FlushPowerLossIT {
  static final int WRITERS = 4;
  static final int MAX_BODY = PowerLossIT.MAX_BODY;

  static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(WRITERS + 1);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void aPowerLossLeavesAGapFreePrefixWithEverySealedSegment() {
    int runs = Settings.count("it.flushpowerloss.crashes", 300);
    long base = Settings.seed();
    Summary summary = new Summary("1b-power-loss-memory-flush",
        "-Dit.test=FlushPowerLossIT -Dit.seed=SEED -Dit.flushpowerloss.crashes=1");
    AtomicLong lostAsAllowed = new AtomicLong();
    AtomicLong sealedKept = new AtomicLong();
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        runOnce(seed, summary, lostAsAllowed, sealedKept);
      } catch (Throwable t) {
        summary.fail(seed, "unexpected " + t);
        t.printStackTrace();
      }
    }
    summary.note("acknowledged records of sealed segments kept=" + sealedKept
        + "; acknowledged records of the open segment lost to the power cut, as FLUSH/NONE allow="
        + lostAsAllowed + " (not counted as lost)");
    summary.finish();
  }

  private void runOnce(long seed, Summary summary, AtomicLong lostAsAllowed, AtomicLong sealedKept)
      throws Exception {
    Random rnd = new Random(seed);
    Durability durability = rnd.nextInt(4) == 0 ? Durability.NONE : Durability.FLUSH;
    boolean preallocate = rnd.nextInt(3) == 0;
    boolean tripwire = rnd.nextBoolean();
    Ledger ledger = new Ledger(seed, MAX_BODY);
    MemoryStorage mem = new MemoryStorage();
    TripwireStorage storage = new TripwireStorage(mem, seed,
        tripwire ? 1 + rnd.nextInt(600) : 0, rnd.nextBoolean());

    WriteAheadLog log;
    try {
      log = PowerLossIT.open(storage, preallocate, durability);
    } catch (RuntimeException e) {
      if (storage.survivor() == null) {
        throw e;
      }
      check(seed, storage.survivor(), durability, preallocate, ledger, summary, lostAsAllowed,
          sealedKept);
      return; // lost power while creating the first segment
    }
    Appenders appenders = new Appenders().start(pool, log, ledger, 0, WRITERS, 400,
        1 + rnd.nextInt(16));
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
    log.close();
    if (hang != null) {
      summary.fail(seed, hang);
    }
    check(seed, survivor, durability, preallocate, ledger, summary, lostAsAllowed, sealedKept);
  }

  private static void check(long seed, MemoryStorage survivor, Durability durability,
      boolean preallocate, Ledger ledger, Summary summary, AtomicLong lostAsAllowed,
      AtomicLong sealedKept) throws Exception {
    long sealedBound = 0; // every acknowledged sequence below it lies in a sealed, synced segment
    for (RecordHandle h : ledger.ackedHandleBySequence.values()) {
      sealedBound = Math.max(sealedBound, h.segment());
    }
    String where = durability + (preallocate ? " preallocated" : "");
    // STRICT (PowerLossIT's log, 4 KiB segments): it must open.
    try (WriteAheadLog log = PowerLossIT.open(survivor, preallocate, durability)) {
      Map<Long, Long> seen = new HashMap<>();
      long records = 0;
      long expected = log.firstSequence();
      try (LogReader reader = log.readFrom(log.firstSequence())) {
        for (LogRecord rec : reader) {
          long seq = rec.sequence();
          if (seq != expected) {
            summary.violation(seed, "lost", where + ": sequence " + seq + " after "
                + (expected - 1));
          }
          expected = seq + 1;
          records++;
          byte[] bytes = rec.payloadBytes();
          long key = Payloads.parse(bytes);
          if (key == -1 || !Arrays.equals(bytes, Payloads.expected(key, ledger.salt, MAX_BODY))) {
            summary.violation(seed, "corrupt", where + ": payload at " + seq);
            continue;
          }
          if (!ledger.submitted.contains(key) || seen.put(key, seq) != null) {
            summary.violation(seed, "phantom", where + ": key " + Long.toHexString(key) + " at "
                + seq + " never appended, or twice");
          }
          Long acked = ledger.ackedKeyBySequence.get(seq);
          if (acked != null && acked != key) {
            summary.violation(seed, "corrupt", where + ": sequence " + seq + " was acknowledged as "
                + Long.toHexString(acked) + " but holds " + Long.toHexString(key));
          }
        }
      }
      if (log.firstSequence() != 0) {
        summary.violation(seed, "lost", where + ": first sequence " + log.firstSequence());
      }
      if (log.nextSequence() < sealedBound) {
        summary.violation(seed, "lost", where + ": ends at " + log.nextSequence()
            + " but segments up to " + sealedBound + " were sealed (trip: "
            + "see TripwireStorage)");
      }
      long verified = log.verify();
      if (verified != records) {
        summary.violation(seed, "corrupt", where + ": verify() counted " + verified + ", the reader "
            + records);
      }
      long kept = 0;
      long lost = 0;
      for (long seq : ledger.ackedKeyBySequence.keySet()) {
        if (seq < sealedBound) {
          kept++;
        } else if (seq >= log.nextSequence()) {
          lost++;
        }
      }
      sealedKept.addAndGet(kept);
      lostAsAllowed.addAndGet(lost);
      log.append(Payloads.expected(Payloads.key(1, 0, 0), seed, MAX_BODY)).get(10, TimeUnit.SECONDS);
    }
    summary.run(seed, ledger.ackedCount(), null);
  }
}
