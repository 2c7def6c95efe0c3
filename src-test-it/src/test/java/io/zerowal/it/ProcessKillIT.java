/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: real process crashes. A child JVM (same java, same classpath) appends to a
 * {@link io.zerowal.core.storage.LocalStorage} log and reports every acknowledgement on stdout; the
 * parent kills it with {@code destroyForcibly()} (SIGKILL) at a random moment (a quarter of the
 * kills land before the child reports READY, i.e. during startup or recovery), reopens the log and
 * checks every acknowledged record. The log accumulates across kills, so each round also recovers
 * what the previous kills left. Kills alternate between the scenarios in {@link #scenarios}.
 */
class ProcessKillIT {
  /** Scenarios under kill -9: the log with FLUSH and with SYNC, and the receiver engine. */
  static List<KillScenario> scenarios(long seed) {
    return List.of(new LogKillScenario(Durability.FLUSH, seed),
        new LogKillScenario(Durability.SYNC, seed + 1), new ReceiverKillScenario(seed + 2));
  }

  @Test
  void everyAcknowledgedRecordSurvivesKill9() throws Exception {
    int kills = Settings.count("it.kill.count", 32);
    long seed = Settings.seed();
    runKills(scenarios(seed), kills, seed, "-Dit.test=ProcessKillIT -Dit.seed=SEED -Dit.kill.count="
        + kills);
  }

  /**
   * Kills {@code kills} children, taking the scenarios in turn, audits after each kill, and
   * finishes one summary per scenario (throwing if any failed).
   */
  static void runKills(List<KillScenario> scenarios, int kills, long seed, String reproduce)
      throws Exception {
    String classpath = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Summary> summaries = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    for (KillScenario s : scenarios) {
      summaries.add(new Summary(s.name(), reproduce));
      dirs.add(Files.createTempDirectory(Path.of("target"), s.name()));
    }
    Random rnd = new Random(seed);
    long[] beforeReady = new long[scenarios.size()];
    try {
      for (int round = 0; round < kills; round++) {
        int k = round % scenarios.size();
        KillScenario scenario = scenarios.get(k);
        long ackedBefore = scenario.acked();
        boolean early = rnd.nextInt(4) == 0;
        if (early) {
          beforeReady[k]++;
        }
        long delayMs = early ? rnd.nextInt(700) : 30 + rnd.nextInt(600);
        String problem = killOnce(java, classpath, scenario, dirs.get(k), round, early, delayMs);
        if (problem != null) {
          summaries.get(k).fail(seed + round, problem);
        }
        LogAudit audit = scenario.verifyAfterKill(dirs.get(k), round);
        summaries.get(k).run(seed + round, scenario.acked() - ackedBefore, audit);
      }
    } finally {
      for (Path d : dirs) {
        FsPowerLossIT.deleteTree(d);
      }
    }
    AssertionError failed = null;
    for (int k = 0; k < scenarios.size(); k++) {
      summaries.get(k).note("kills before READY (startup or recovery)=" + beforeReady[k]
          + "; classpath from java.class.path; one seed drives all kills, kill timing is not"
          + " replayable");
      try {
        summaries.get(k).finish();
      } catch (AssertionError e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** Runs one child until the kill; returns a problem description or null. */
  private static String killOnce(String java, String classpath, KillScenario scenario, Path dir,
      int round, boolean early, long delayMs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", classpath));
    cmd.addAll(scenario.command(dir, round));
    // The child's stdout goes to a file, not a pipe: what the child wrote before SIGKILL is all in
    // the file, with no race between our reader and the JDK draining a dead child's pipe.
    Path out = dir.resolveSibling(dir.getFileName() + "-round-" + round + ".out");
    Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectOutput(out.toFile()).start();
    try {
      if (!early) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!startsWithReady(out) && System.currentTimeMillis() < deadline && child.isAlive()) {
          Thread.sleep(5);
        }
        if (!startsWithReady(out)) {
          child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          return "child never became READY (exit " + (child.isAlive() ? "-" : child.exitValue())
              + ")";
        }
      }
      Thread.sleep(delayMs);
      boolean diedEarly = !child.isAlive();
      child.destroyForcibly();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        return "child did not die within 30s of SIGKILL";
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n'); // an unterminated last line was cut by the kill: dropped
      for (String line : text.substring(0, end + 1).split("\n")) {
        if (!line.isEmpty() && !line.equals("READY")) {
          scenario.onLine(line);
        }
      }
      return diedEarly ? "child exited by itself with " + child.exitValue() : null;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static boolean startsWithReady(Path out) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(out)) {
      return new String(in.readNBytes(6), StandardCharsets.US_ASCII).equals("READY\n");
    }
  }
}
