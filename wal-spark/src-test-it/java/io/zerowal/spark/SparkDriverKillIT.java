/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark Streaming driver ({@link KillableStreamingApp}, {@code local[4]}, a reliable
 * receiver, receiver write-ahead log on, checkpointing on) is killed with {@code kill -9} while it
 * receives, and started again from its checkpoint: every record whose {@code store} returned must
 * be processed, at least once (the source is then quiesced and the check waits until the
 * restarted job has processed everything acknowledged, by either driver). With ZeroWalSparkLog as the receiver's and the driver's log, and, for
 * comparison, with Spark's own file-based log.
 */
class SparkDriverKillIT {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9]+");
  private static final long TIMEOUT_MS = 120_000;

  @TempDir Path work;

  @Test
  void zeroWalLosesNoStoredRecordWhenTheDriverIsKilled() throws Exception {
    Figures f = killAndRecover("zerowal", "FLUSH");
    assertThat(f.lost).as("acknowledged records never processed: %s", f).isEmpty();
    assertThat(f.caughtUp).as("%s", f).isTrue();
    for (String log : List.of("driver", "receiver-driver")) { // local mode's executor is "driver"
      try (Stream<Path> files = Files.list(work.resolve("zerowal").resolve(log))) {
        assertThat(files.filter(p -> p.toString().endsWith(".wal")).count())
            .as("segments of ZeroWAL's %s log", log).isPositive();
      }
    }
  }

  @Test
  void sparksOwnLogRunsTheSameScenarioForComparison() throws Exception {
    Figures f = killAndRecover("spark", "-");
    // Spark's own log is the baseline: its figures are printed; it must recover and process.
    assertThat(f.processedAfterRestart).as("%s", f).isPositive();
  }

  private Figures killAndRecover(String wal, String durability) throws Exception {
    long seed = Long.getLong("it.seed", System.nanoTime());
    int killAt = 2_000 + new java.util.Random(seed).nextInt(4_000);
    System.out.println("SparkDriverKillIT " + wal + ": seed " + seed + " (-Dit.seed to replay),"
        + " kill after " + killAt + " acknowledged records");
    // 1. Run until some batches were processed and killAt records acknowledged, then kill -9.
    long started = System.nanoTime();
    Process first = start(wal, durability, "run1");
    awaitOrFail(first, () -> acked().size() >= killAt && processed().size() >= 1_000,
        "the first driver to acknowledge " + killAt + " and process 1,000 records");
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Set<String> ackedBeforeKill = acked();
    int processedBeforeRestart = processed().size();

    // 2. Restart from the checkpoint; wait until everything acknowledged before the kill shows up.
    long restarted = System.nanoTime();
    Process second = start(wal, durability, "run2");
    boolean caughtUp = awaitQuietly(second,
        () -> processed().keySet().containsAll(ackedBeforeKill)
            && acked().size() >= ackedBeforeKill.size() + 1_000, TIMEOUT_MS);
    // 3. Quiesce the source and let the job process what it acknowledged; then the check is
    // complete and the second driver is killed too (a graceful stop would only add time).
    Files.createFile(work.resolve("quiesce"));
    boolean drained = awaitQuietly(second, () -> processed().keySet().containsAll(acked()), 60_000);
    second.destroyForcibly();
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    System.out.printf("SparkDriverKillIT %s: first driver %.1f s, second %.1f s%n", wal,
        (restarted - started) / 1e9, (System.nanoTime() - restarted) / 1e9);

    Set<String> ackedAll = acked();
    Map<String, Integer> processed = processed();
    Figures f = new Figures(wal, durability, ackedBeforeKill.size(), ackedAll.size(), processed,
        processed.size() - processedBeforeRestart, caughtUp && drained).lost(ackedAll, processed);
    System.out.println("SparkDriverKillIT " + f);
    return f;
  }

  private Process start(String wal, String durability, String name) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.addAll(Arrays.asList(System.getProperty("spark.jvm.opens", "").split(" ")));
    command.removeIf(String::isEmpty);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        KillableStreamingApp.class.getName(), work.toString(), wal, durability));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log(name).toFile()).start();
  }

  private Path log(String name) {
    return work.resolve(name + ".log");
  }

  private void awaitOrFail(Process p, BooleanSupplier condition, String what) throws Exception {
    if (!awaitQuietly(p, condition, TIMEOUT_MS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out waiting for " + what + "; acked " + acked().size()
          + ", processed " + processed().size() + "; driver output: "
          + tail(log("run1")));
    }
  }

  /** Polls the child's files (another process: no latch to wait on) until true, or false at timeout. */
  private static boolean awaitQuietly(Process p, BooleanSupplier condition, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (!p.isAlive()) {
        return condition.getAsBoolean();
      }
      p.waitFor(250, TimeUnit.MILLISECONDS);
    }
    return false;
  }

  private Set<String> acked() {
    Set<String> ids = new HashSet<>();
    forEachId("acked-", id -> ids.add(id));
    return ids;
  }

  private Map<String, Integer> processed() {
    Map<String, Integer> ids = new HashMap<>();
    forEachId("processed-", id -> ids.merge(id, 1, Integer::sum));
    return ids;
  }

  private void forEachId(String prefix, java.util.function.Consumer<String> action) {
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().startsWith(prefix)) {
          String text = Files.readString(f, StandardCharsets.UTF_8);
          int end = text.lastIndexOf('\n'); // a line cut by the kill has no newline yet
          for (String line : text.substring(0, end + 1).split("\n")) {
            if (ID.matcher(line).matches()) {
              action.accept(line);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** What one scenario produced. */
  static final class Figures {
    final String wal;
    final String durability;
    final int ackedBeforeKill;
    final int acked;
    final int processed;
    final int duplicates;
    final int processedAfterRestart;
    final Set<String> lost = new HashSet<>();
    final boolean caughtUp;

    Figures(String wal, String durability, int ackedBeforeKill, int acked,
        Map<String, Integer> processed, int processedAfterRestart, boolean caughtUp) {
      this.wal = wal;
      this.durability = durability;
      this.ackedBeforeKill = ackedBeforeKill;
      this.acked = acked;
      this.processed = processed.size();
      this.duplicates = processed.values().stream().mapToInt(n -> n - 1).sum();
      this.processedAfterRestart = processedAfterRestart;
      this.caughtUp = caughtUp;
    }

    Figures lost(Set<String> acked, Map<String, Integer> processed) {
      for (String id : acked) {
        if (!processed.containsKey(id)) {
          lost.add(id);
        }
      }
      return this;
    }

    @Override
    public String toString() {
      return "wal=" + wal + " durability=" + durability + " ackedBeforeKill=" + ackedBeforeKill
          + " acked=" + acked + " processed=" + processed + " duplicates=" + duplicates
          + " lost=" + lost.size() + " caughtUpAfterRestart=" + caughtUp;
    }
  }
}
