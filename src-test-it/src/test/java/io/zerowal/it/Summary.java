/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tally of one scenario: runs, acknowledged records checked, violations, seeds. {@link #finish}
 * prints the one summary line and writes {@code target/reliability/<scenario>.csv}, from which
 * {@link ReliabilityTable} builds RELIABILITY.md. Thread-safe.
 */
public final class Summary {
  static final String CSV_HEADER =
      "scenario,runs,acked,lost,phantom,corrupt_returned,seed_from,seed_to,wall_seconds,notes,reproduce";

  private final String scenario;
  private final String reproduce;
  private final long startedNanos = System.nanoTime();
  private long runs;
  private long acked;
  private long lost;
  private long phantom;
  private long corrupt;
  private long seedFrom = Long.MAX_VALUE;
  private long seedTo = Long.MIN_VALUE;
  private final List<String> failures = new ArrayList<>();
  private String notes = "";

  public Summary(String scenario, String reproduce) {
    this.scenario = scenario;
    this.reproduce = reproduce;
  }

  public synchronized void run(long seed, long ackedRecords, LogAudit audit) {
    runs++;
    acked += ackedRecords;
    seedFrom = Math.min(seedFrom, seed);
    seedTo = Math.max(seedTo, seed);
    if (audit != null) {
      lost += audit.lost;
      phantom += audit.phantom;
      corrupt += audit.corrupt;
      if (!audit.clean()) {
        fail(seed, audit.toString());
      }
    }
  }

  synchronized void violation(long seed, String kind, String what) {
    switch (kind) {
      case "lost" -> lost++;
      case "phantom" -> phantom++;
      case "corrupt" -> corrupt++;
      default -> { }
    }
    fail(seed, kind + ": " + what);
  }

  /** A failure that is not a data violation (an undocumented exception, a hang). */
  synchronized void fail(long seed, String what) {
    if (failures.size() < 30) {
      failures.add("seed " + seed + ": " + what);
    }
  }

  public synchronized void note(String text) {
    notes = notes.isEmpty() ? text : notes + "; " + text;
  }

  synchronized long lost() {
    return lost;
  }

  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  /** Prints the summary line, writes the CSV, and throws if anything was violated. */
  public synchronized void finish() {
    double wall = (System.nanoTime() - startedNanos) / 1e9;
    String line = String.format("RELIABILITY scenario=%s runs=%d acked=%d lost=%d phantom=%d"
        + " corrupt-returned=%d seeds=%s wall=%.1fs%s", scenario, runs, acked, lost, phantom,
        corrupt, seeds(), wall, notes.isEmpty() ? "" : " notes=" + notes);
    System.out.println(line);
    System.err.println(line);
    writeCsv(wall);
    if (!failures.isEmpty()) {
      throw new AssertionError(scenario + ": " + failures.size() + " failing runs (first 30):\n  "
          + String.join("\n  ", failures) + "\n" + line);
    }
  }

  private String seeds() {
    return runs == 0 ? "-" : seedFrom + ".." + seedTo;
  }

  private void writeCsv(double wall) {
    Path dir = Settings.reliabilityDir();
    String row = String.join(",", scenario, Long.toString(runs), Long.toString(acked),
        Long.toString(lost), Long.toString(phantom), Long.toString(corrupt),
        runs == 0 ? "" : Long.toString(seedFrom), runs == 0 ? "" : Long.toString(seedTo),
        String.format("%.1f", wall), csv(notes), csv(reproduce));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(scenario + ".csv"), CSV_HEADER + "\n" + row + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String csv(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** The summary line of a fuzz target run on its committed corpus (or by the fuzzer). */
  public static void fuzzCorpus(String scenario, String testClass, long inputs) {
    Summary s = new Summary(scenario, "-Dit.test=" + testClass);
    for (long i = 0; i < inputs; i++) {
      s.run(i, 0, null);
    }
    s.note("corpus inputs=" + inputs + " in regression mode (a finding fails the test);"
        + " JAZZER_FUZZ=1 fuzzes");
    s.finish();
  }
}
