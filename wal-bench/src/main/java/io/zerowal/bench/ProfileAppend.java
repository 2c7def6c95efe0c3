/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One pipelined append workload for a profiler (JFR: {@code -XX:StartFlightRecording=...}):
 * {@code ProfileAppend DURABILITY PREALLOCATE|memory SIZE THREADS SECONDS [DIR]}. THREADS 0 means one
 * writer, one append at a time (the latency workload), next to raw write+force on a preallocated file.
 */
public final class ProfileAppend {
  private ProfileAppend() {}

  public static void main(String[] args) throws Exception {
    Durability durability = Durability.valueOf(args[0]);
    boolean preallocate = Boolean.parseBoolean(args[1]);
    int size = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    double seconds = Double.parseDouble(args[4]);
    Path dir = Path.of(args.length > 5 ? args[5] : "target/profile-data");
    Workloads.deleteTree(dir);
    Files.createDirectories(dir);
    boolean memory = args[1].equals("memory"); // MemoryStorage: the writer without a disk
    Peers.ZeroWalConfig config = new Peers.ZeroWalConfig("profile", durability, preallocate, memory);
    for (int round = 0; round < 2; round++) {
      if (threads == 0) {
        Measurement m;
        try (Peers.ZeroWalBlocking log = new Peers.ZeroWalBlocking(config.open(dir))) {
          m = Workloads.blocking(log, 1, size, (long) (seconds * 1e9));
        }
        Measurement raw;
        try (java.nio.channels.FileChannel ch = Workloads.preallocated(dir.resolve("raw"), 64 << 20)) {
          raw = Workloads.raw(ch, 64 << 20, 1, size, (long) (seconds * 1e9));
        }
        System.out.printf(Locale.ROOT, "latency %s prealloc=%s: zerowal p50 %.0f p99 %.0f us,"
            + " raw p50 %.0f p99 %.0f us%n", durability, preallocate, m.latencyMicros(50),
            m.latencyMicros(99), raw.latencyMicros(50), raw.latencyMicros(99));
        Workloads.deleteTree(dir);
        Files.createDirectories(dir);
        continue;
      }
      try (WriteAheadLog log = config.open(dir)) {
        Measurement m = Workloads.zeroWalPipelined(log, threads, size, (long) (seconds * 1e9));
        System.out.printf(Locale.ROOT, "%s %s prealloc=%s %d B x %d threads: %,.0f records/s,"
            + " group %.0f, syncs/s %.0f, p50 %.0f us, p99 %.0f us%n", round == 0 ? "warm-up" : "run",
            durability, preallocate, size, threads, m.recordsPerSecond(), m.groupSize,
            m.syncsPerSecond(), m.latencyMicros(50), m.latencyMicros(99));
      }
      Workloads.deleteTree(dir);
      Files.createDirectories(dir);
    }
  }
}
