/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2: power loss on the real file system. The log runs on {@link LocalStorage} through
 * {@link PowerCutLocalStorage}, which rewrites the directory on a cut to what the fsyncs and
 * directory fsyncs the log asked for guarantee (and a random torn prefix of the rest). This pins the
 * log's sync and directory-sync discipline on files: a missing {@code syncDirectory()} after a create
 * or delete, or a missing sync before an acknowledgement, loses records here.
 */
class FsPowerLossIT {
  static final int WRITERS = 4;
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
  void everyAcknowledgedRecordSurvivesPowerLossOnLocalStorage() throws IOException {
    int runs = Settings.count("it.fspowerloss.crashes", 150);
    long base = Settings.seed();
    Summary summary = new Summary("2-power-loss-local-fs",
        "-Dit.test=FsPowerLossIT -Dit.seed=SEED -Dit.fspowerloss.crashes=1");
    Path root = Files.createTempDirectory(Path.of("target"), "fs-power-loss");
    AtomicLong crashes = new AtomicLong();
    AtomicLong recoveryCrashes = new AtomicLong();
    try {
      for (int i = 0; i < runs; i++) {
        long seed = base + i;
        Path dir = root.resolve("run-" + seed);
        try {
          runOnce(seed, dir, summary, crashes, recoveryCrashes);
        } catch (Throwable t) {
          summary.fail(seed, "unexpected " + t + " with files " + listing(dir));
          t.printStackTrace();
        } finally {
          deleteTree(dir);
        }
      }
    } finally {
      deleteTree(root);
    }
    summary.note("power cuts=" + crashes + " (" + recoveryCrashes + " during recovery)");
    summary.finish();
  }

  private void runOnce(long seed, Path dir, Summary summary, AtomicLong crashes,
      AtomicLong recoveryCrashes) throws Exception {
    Random rnd = new Random(seed);
    Ledger ledger = new Ledger(seed, MAX_BODY);
    boolean preallocate = rnd.nextInt(3) == 0;
    boolean tripwire = rnd.nextBoolean();
    AtomicLong highestTruncation = new AtomicLong();

    PowerCutLocalStorage storage = new PowerCutLocalStorage(dir)
        .tripAt(tripwire ? 1 + rnd.nextInt(300) : 0, seed);
    PowerCutLocalStorage survivor = appendUntilPowerCut(seed, rnd, storage, ledger, preallocate,
        rnd.nextBoolean(), tripwire, highestTruncation, summary, 0);
    crashes.incrementAndGet();

    if (rnd.nextInt(3) == 0) {
      survivor.tripAt(1 + rnd.nextInt(12), seed + 1);
      try {
        open(survivor, preallocate).close();
      } catch (RuntimeException expected) {
        // the cut during recovery surfaces as a failed open
      }
      survivor = survivor.powerCut(seed + 1);
      crashes.incrementAndGet();
      recoveryCrashes.incrementAndGet();
    }

    WriteAheadLog recovered = open(survivor, preallocate);
    LogAudit first = LogAudit.of(recovered, ledger, highestTruncation.get());
    recovered.close();

    PowerCutLocalStorage survivor2 = appendUntilPowerCut(seed + 2, rnd, survivor, ledger,
        preallocate, false, false, highestTruncation, summary, 1);
    crashes.incrementAndGet();
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

  private PowerCutLocalStorage appendUntilPowerCut(long seed, Random rnd,
      PowerCutLocalStorage storage, Ledger ledger, boolean preallocate, boolean truncating,
      boolean tripwire, AtomicLong highestTruncation, Summary summary, int phase) throws Exception {
    WriteAheadLog log;
    try {
      log = open(storage, preallocate);
    } catch (RuntimeException e) {
      if (storage.survivor() == null) {
        throw e;
      }
      return storage.survivor();
    }
    Appenders appenders = new Appenders().start(pool, log, ledger, phase, WRITERS, 300,
        1 + rnd.nextInt(8));
    Future<?> truncator = null;
    if (truncating) {
      Random tr = new Random(seed ^ 0x5EED);
      truncator = pool.submit(() -> {
        while (!appenders.stop.get()) {
          long acked = appenders.maxAckedSequence.get();
          if (acked > 0) {
            long to = highestTruncation.get()
                + tr.nextInt((int) (acked - Math.min(acked, highestTruncation.get()) + 1));
            highestTruncation.accumulateAndGet(to, Math::max);
            try {
              log.truncateBefore(to);
            } catch (RuntimeException e) {
              return;
            }
          }
          LockSupport.parkNanos(tr.nextInt(2_000_000));
        }
      });
    }
    if (tripwire) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (storage.survivor() == null && !appenders.allDone() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(200_000);
      }
    } else {
      LockSupport.parkNanos(rnd.nextInt(20_000_000));
    }
    PowerCutLocalStorage survivor = storage.powerCut(seed);
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

  static WriteAheadLog open(PowerCutLocalStorage storage, boolean preallocate) {
    return WriteAheadLog.builder(storage).durability(Durability.SYNC).segmentSize(4096)
        .maxRecordSize(1024).preallocate(preallocate).open();
  }

  static String listing(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().map(p -> p.getFileName() + ":" + p.toFile().length()).toList().toString();
    } catch (IOException e) {
      return "(cannot list " + dir + ": " + e + ")";
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
