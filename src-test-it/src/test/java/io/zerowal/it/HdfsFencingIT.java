/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.hdfs.MiniHdfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Failover with fencing on HDFS. Child A appends (SYNC, half of its writers paced); the parent stops
 * it with {@code SIGSTOP} (a GC pause, a partition); child B, another process with another working
 * directory, opens the same HDFS log, which recovers A's leases, and appends; A is resumed with
 * {@code SIGCONT} and must fail (its appends NACKed) without acknowledging any record that B does not
 * have. At the end every record acknowledged by A and by B is in the log exactly once, in order.
 *
 * <p>A may still print acknowledgements after it resumes: those of appends whose {@code hsync} had
 * completed on the datanodes before the pause, and whose completion the pause delayed. They are in
 * the log B recovered; the audit checks it.
 */
class HdfsFencingIT {
  private static final long WAIT_MS = 60_000;

  @Test
  void pausedWriterIsFencedByANewOpenerAndLosesNoAcknowledgedRecord() throws Exception {
    int rounds = Settings.count("it.hdfs.fencing.rounds", 3);
    long seed = Settings.seed();
    Summary summary = new Summary("hdfs-fencing-sigstop", "-Dit.test=HdfsFencingIT -Dit.seed=SEED"
        + " -Dit.hdfs.fencing.rounds=" + rounds);
    long lateAcks = 0;
    long fencedNacks = 0;
    try (MiniHdfs hdfs = MiniHdfs.start(3)) {
      for (int round = 0; round < rounds; round++) {
        HdfsLogKillScenario log = new HdfsLogKillScenario(Durability.SYNC, seed + round, hdfs);
        Path dir = Files.createTempDirectory(Path.of("target"), "hdfs-fencing");
        Path workA = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-a"));
        Path workB = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-b"));
        Process a = start(log.command(dir, 2 * round), workA);
        Process b = null;
        try {
          awaitAcks(a, workA, 200);
          signal(a, "STOP");
          long pausedAt = Files.size(out(workA));
          b = start(log.command(dir, 2 * round + 1), workB);
          awaitAcks(b, workB, 200);
          signal(a, "CONT");
          awaitLine(a, workA, pausedAt, "NACK");
          a.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          b.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

          List<String> linesA = completeLines(out(workA));
          List<String> afterResume = completeLines(out(workA), pausedAt);
          long late = afterResume.stream().filter(l -> l.startsWith("ACK ")).count();
          long nacks = afterResume.stream().filter(l -> l.startsWith("NACK ")).count();
          lateAcks += late;
          fencedNacks += nacks;
          long ackedBefore = log.acked();
          linesA.forEach(log::onLine);
          completeLines(out(workB)).forEach(log::onLine);
          LogAudit audit = log.verifyAfterKill(dir, round);
          summary.run(seed + round, log.acked() - ackedBefore, audit);
          if (nacks == 0) {
            summary.fail(seed + round, "A printed no NACK after it resumed: it was not fenced");
          }
        } catch (AssertionError e) { // the ledger saw one sequence acknowledged twice
          summary.violation(seed + round, "phantom", e.getMessage());
        } finally {
          a.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          if (b != null) {
            b.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
          FsPowerLossIT.deleteTree(workA);
          FsPowerLossIT.deleteTree(workB);
          FsPowerLossIT.deleteTree(dir);
        }
      }
    }
    summary.note("acks by A after SIGCONT (durable before B opened)=" + lateAcks
        + "; appends of A failed after SIGCONT=" + fencedNacks);
    summary.finish();
    assertThat(fencedNacks).isPositive();
  }

  private static Process start(List<String> command, Path workDir) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path")));
    cmd.addAll(command);
    return new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out(workDir).toFile()).start();
  }

  private static Path out(Path workDir) {
    return workDir.resolve("child.out");
  }

  private static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
    }
  }

  private static void awaitAcks(Process p, Path workDir, int acks) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline && p.isAlive()) {
      if (completeLines(out(workDir)).stream().filter(l -> l.startsWith("ACK ")).count() >= acks) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("child " + p.pid() + " did not acknowledge " + acks
        + " records within " + WAIT_MS + " ms (alive=" + p.isAlive() + ")");
  }

  private static void awaitLine(Process p, Path workDir, long from, String prefix) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline && p.isAlive()) {
      if (completeLines(out(workDir), from).stream().anyMatch(l -> l.startsWith(prefix))) {
        Thread.sleep(200); // let the other writers' failures land too
        return;
      }
      Thread.sleep(20);
    }
  }

  private static List<String> completeLines(Path file) throws IOException {
    return completeLines(file, 0);
  }

  /** The complete lines written at or after byte {@code from} (which is a line start). */
  private static List<String> completeLines(Path file, long from) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, (int) from, bytes.length - (int) from, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    List<String> lines = new ArrayList<>();
    for (String line : text.substring(0, end + 1).split("\n")) {
      if (!line.isEmpty() && !line.equals("READY")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
