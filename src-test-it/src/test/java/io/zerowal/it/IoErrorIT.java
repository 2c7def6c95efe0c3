/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: I/O errors. While four threads append with SYNC to tiny segments, the next write or
 * the next sync of the medium fails ({@link MemoryStorage#failNextWrite()},
 * {@link MemoryStorage#failNextSync()}) at a random moment: in a group, a roll's seal, a new
 * segment's header. No future may complete successfully for bytes that no successful sync covered
 * (checked exactly, per acknowledged handle, against the sync positions the storage saw), every
 * future settles, and the log reopened on the same medium, and again after a power loss, holds every
 * acknowledged record.
 */
class IoErrorIT {
  static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void noAcknowledgementWithoutASuccessfulSync() {
    int runs = Settings.count("it.ioerror.runs", 500);
    long base = Settings.seed();
    Summary summary = new Summary("6-io-errors", "-Dit.test=IoErrorIT -Dit.seed=SEED -Dit.ioerror.runs=1");
    long[] kinds = new long[2];
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        runOnce(seed, summary, kinds);
      } catch (Throwable t) {
        summary.fail(seed, "unexpected " + t);
        t.printStackTrace();
      }
    }
    summary.note("failed writes=" + kinds[0] + " failed syncs=" + kinds[1]);
    summary.finish();
  }

  private void runOnce(long seed, Summary summary, long[] kinds) throws Exception {
    Random rnd = new Random(seed);
    Ledger ledger = new Ledger(seed, 300);
    MemoryStorage mem = new MemoryStorage();
    TripwireStorage storage = new TripwireStorage(mem, seed, 0, false);
    boolean preallocate = rnd.nextBoolean();
    WriteAheadLog log = PowerLossIT.open(storage, preallocate);
    Appenders appenders = new Appenders().start(pool, log, ledger, 0, 4, 400, 1 + rnd.nextInt(8));
    LockSupport.parkNanos(rnd.nextInt(2_000_000));
    boolean failWrite = rnd.nextBoolean();
    if (failWrite) {
      mem.failNextWrite();
      kinds[0]++;
    } else {
      mem.failNextSync();
      kinds[1]++;
    }
    String hang = appenders.awaitAll();
    if (hang != null) {
      summary.fail(seed, hang);
    }
    // If the fault is still pending (every append finished first), close() meets it instead.
    boolean failed = ledger.ackedCount() < ledger.submitted.size();
    boolean refused;
    try {
      log.append(ledger.submit(Payloads.key(2, 0, 0)));
      refused = false;
    } catch (io.zerowal.core.LogFailedException expected) {
      refused = true;
    }
    log.close();

    long unsynced = 0;
    for (Map.Entry<Long, RecordHandle> e : ledger.ackedHandleBySequence.entrySet()) {
      RecordHandle h = e.getValue();
      String name = segmentName(h.segment());
      if (h.offset() + 17 + h.length() > storage.syncedUpTo(name)) {
        unsynced++;
      }
    }
    if (unsynced > 0) {
      summary.violation(seed, "lost", unsynced + " records acknowledged beyond the last successful"
          + " sync (" + (failWrite ? "failed write" : "failed sync") + ")");
    }
    if (failed && !refused) {
      summary.fail(seed, "the log took appends after a failed " + (failWrite ? "write" : "sync"));
    }

    LogAudit audit;
    try (WriteAheadLog reopened = PowerLossIT.open(mem, preallocate)) {
      audit = LogAudit.of(reopened, ledger, 0);
      reopened.append(ledger.submit(Payloads.key(1, 0, 0))).get(10, TimeUnit.SECONDS);
    }
    MemoryStorage survivor = mem.crash(seed);
    try (WriteAheadLog afterPowerLoss = PowerLossIT.open(survivor, preallocate)) {
      LogAudit again = LogAudit.of(afterPowerLoss, ledger, 0);
      audit.lost += again.lost;
      audit.phantom += again.phantom;
      audit.corrupt += again.corrupt;
      audit.problems.addAll(again.problems);
    }
    summary.run(seed, ledger.ackedCount(), audit);
  }

  static String segmentName(long base) {
    String digits = Long.toString(base);
    return "0".repeat(20 - digits.length()) + digits + ".wal";
  }
}
