/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario 7: a full disk. {@link MemoryStorage#setCapacity} cuts the space at a random moment while
 * four threads append; and, where the machine lets root mount one, a 4 MiB tmpfs (which ignores
 * fsync but returns ENOSPC) nearly filled by a ballast file. Appends fail with an error that says
 * the disk is full, nothing acknowledged is lost, and once space is freed the log reopens, holds
 * every acknowledged record and takes appends again.
 */
class FullDiskIT {
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
  void memoryStorageFullDisk() {
    int runs = Settings.count("it.fulldisk.runs", 300);
    long base = Settings.seed();
    Summary summary = new Summary("7-full-disk-memory",
        "-Dit.test=FullDiskIT#memoryStorageFullDisk -Dit.seed=SEED -Dit.fulldisk.runs=1");
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        Random rnd = new Random(seed);
        Ledger ledger = new Ledger(seed, 300);
        MemoryStorage mem = new MemoryStorage();
        boolean preallocate = rnd.nextBoolean();
        WriteAheadLog log = PowerLossIT.open(mem, preallocate);
        // More than the appenders can write before the capacity cut below, however fast the log:
        // with 500 each they could all be done within the pause, and the disk never filled.
        Appenders appenders = new Appenders().start(pool, log, ledger, 0, 4, 50_000,
            1 + rnd.nextInt(8));
        LockSupport.parkNanos(rnd.nextInt(2_000_000));
        mem.setCapacity(mem.usedBytes() + rnd.nextInt(8192));
        String hang = appenders.awaitAll();
        if (hang != null) {
          summary.fail(seed, hang);
        }
        checkFullDiskError(log, summary, seed, "No space left");
        log.close();
        mem.setCapacity(Long.MAX_VALUE);
        summary.run(seed, ledger.ackedCount(), reopenAndContinue(mem, ledger, preallocate, 1));
      } catch (Throwable t) {
        summary.fail(seed, "unexpected " + t);
        t.printStackTrace();
      }
    }
    summary.finish();
  }

  @Test
  void tmpfsFullDisk() throws Exception {
    int runs = Settings.count("it.fulldisk.tmpfs.runs", 10);
    long base = Settings.seed();
    Summary summary = new Summary("7-full-disk-tmpfs",
        "-Dit.test=FullDiskIT#tmpfsFullDisk -Dit.seed=SEED -Dit.fulldisk.tmpfs.runs=1");
    Path mount = Files.createTempDirectory(Path.of("target"), "tmpfs").toAbsolutePath();
    String refused = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString());
    try {
      if (refused != null) {
        String msg = "tmpfs mount refused (" + refused + "): ran the MemoryStorage variant only";
        System.out.println("FullDiskIT: " + msg);
        summary.note(msg);
        summary.finish();
        return;
      }
      for (int i = 0; i < runs; i++) {
        long seed = base + i;
        Path dir = mount.resolve("log");
        Path ballast = mount.resolve("ballast");
        try {
          Random rnd = new Random(seed);
          Ledger ledger = new Ledger(seed, 3000);
          Files.write(ballast, new byte[(4 << 20) - (64 << 10) - rnd.nextInt(1 << 20)]);
          boolean preallocate = rnd.nextBoolean();
          WriteAheadLog log = openLocal(dir, preallocate);
          Appenders appenders = new Appenders().start(pool, log, ledger, 0, 2, 100_000, 8);
          String hang = appenders.awaitAll();
          if (hang != null) {
            summary.fail(seed, hang);
          }
          checkFullDiskError(log, summary, seed, "No space left on device");
          log.close();
          Files.delete(ballast);
          LogAudit audit;
          try (WriteAheadLog reopened = openLocal(dir, preallocate)) {
            audit = LogAudit.of(reopened, ledger, 0);
            for (int k = 0; k < 50; k++) {
              long key = Payloads.key(1, 0, k);
              reopened.append(ledger.submit(key)).thenAccept(h -> ledger.acked(key, h))
                  .get(10, TimeUnit.SECONDS);
            }
          }
          try (WriteAheadLog again = openLocal(dir, preallocate)) {
            LogAudit second = LogAudit.of(again, ledger, 0);
            audit.lost += second.lost;
            audit.phantom += second.phantom;
            audit.corrupt += second.corrupt;
            audit.problems.addAll(second.problems);
          }
          summary.run(seed, ledger.ackedCount(), audit);
        } catch (Throwable t) {
          summary.fail(seed, "unexpected " + t);
          t.printStackTrace();
        } finally {
          Files.deleteIfExists(ballast);
          FsPowerLossIT.deleteTree(dir);
        }
      }
      summary.note("4 MiB tmpfs mounted as root (needs root); tmpfs ignores fsync, so this checks"
          + " ENOSPC only");
      summary.finish();
    } finally {
      if (refused == null) {
        String failed = run("umount", mount.toString());
        if (failed != null) {
          System.out.println("FullDiskIT: umount " + mount + " failed: " + failed);
        }
      }
      Files.deleteIfExists(mount);
    }
  }

  /** The log must have failed, and say why in terms a user recognizes. */
  private static void checkFullDiskError(WriteAheadLog log, Summary summary, long seed,
      String expected) {
    CompletableFuture<?> probe;
    try {
      probe = log.append(new byte[1]);
    } catch (io.zerowal.core.LogFailedException e) {
      if (!causeChain(e).contains(expected)) {
        summary.fail(seed, "full disk error does not say '" + expected + "': " + causeChain(e));
      }
      return;
    }
    try {
      probe.get(10, TimeUnit.SECONDS);
      summary.fail(seed, "the log never reported the full disk");
    } catch (ExecutionException e) {
      if (!causeChain(e.getCause()).contains(expected)) {
        summary.fail(seed, "full disk error does not say '" + expected + "': " + causeChain(e));
      }
    } catch (Exception e) {
      summary.fail(seed, "probe append: " + e);
    }
  }

  private static String causeChain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append(" <- ");
    }
    return sb.toString();
  }

  private static LogAudit reopenAndContinue(MemoryStorage mem, Ledger ledger, boolean preallocate,
      int phase) throws Exception {
    LogAudit audit;
    try (WriteAheadLog reopened = PowerLossIT.open(mem, preallocate)) {
      audit = LogAudit.of(reopened, ledger, 0);
      for (int k = 0; k < 20; k++) {
        long key = Payloads.key(phase, 0, k);
        reopened.append(ledger.submit(key)).thenAccept(h -> ledger.acked(key, h))
            .get(10, TimeUnit.SECONDS);
      }
    }
    try (WriteAheadLog again = PowerLossIT.open(mem.crash(0), preallocate)) {
      LogAudit second = LogAudit.of(again, ledger, 0);
      audit.lost += second.lost;
      audit.phantom += second.phantom;
      audit.corrupt += second.corrupt;
      audit.problems.addAll(second.problems);
    }
    return audit;
  }

  private static WriteAheadLog openLocal(Path dir, boolean preallocate) throws IOException {
    return WriteAheadLog.builder(new LocalStorage(dir)).durability(Durability.SYNC)
        .segmentSize(256 << 10).maxRecordSize(8192).preallocate(preallocate).open();
  }

  /** Runs a command; returns null on success, else what it said. */
  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
