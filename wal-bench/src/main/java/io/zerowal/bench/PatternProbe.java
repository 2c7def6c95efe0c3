/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One round of chosen {@link AckPatterns} systems on chosen workloads, one line per point, for an
 * A/B of two builds of the core: a script runs this on each build's class path in turn, several
 * rounds with the builds' order alternating, and compares the medians. Not a verdict by itself.
 *
 * <pre>
 * PatternProbe SECONDS WORKLOAD[,WORKLOAD...] SYSTEM[,SYSTEM...] [DIR]
 *   WORKLOAD: SIZExPRODUCERSxDURABILITY, e.g. 1024x8xSYNC
 *   SYSTEM: spark raw ring sem16 sem256 backpressure join
 * </pre>
 * Prints {@code PROBE <workload> | <system> | <records/s>}.
 */
public final class PatternProbe {
  private PatternProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: PatternProbe SECONDS WORKLOADS SYSTEMS [DIR];"
          + " e.g. PatternProbe 3 1024x8xSYNC,100x8xFLUSH ring,sem256,backpressure");
    }
    double seconds = Double.parseDouble(args[0]);
    List<AckPatterns.Workload> workloads = new ArrayList<>();
    for (String w : args[1].split(",")) {
      String[] p = w.split("x");
      if (p.length != 3) {
        throw new IllegalArgumentException("workload " + w + ": expected SIZExPRODUCERSxDURABILITY,"
            + " e.g. 1024x8xSYNC");
      }
      workloads.add(new AckPatterns.Workload(Integer.parseInt(p[0]), Integer.parseInt(p[1]),
          Durability.valueOf(p[2])));
    }
    List<String> systems = new ArrayList<>();
    for (String s : args[2].split(",")) {
      systems.add(switch (s) {
        case "spark" -> AckPatterns.SPARK;
        case "raw" -> AckPatterns.RAW;
        case "ring" -> AckPatterns.RING;
        case "sem16" -> AckPatterns.SEM16;
        case "sem256" -> AckPatterns.SEM256;
        case "backpressure" -> AckPatterns.BACKPRESSURE;
        case "join" -> AckPatterns.JOIN;
        default -> throw new IllegalArgumentException("system " + s + ": expected one of spark,"
            + " raw, ring, sem16, sem256, backpressure, join");
      });
    }
    Path dir = Path.of(args.length > 3 ? args[3] : "target/probe-data");
    Workloads.deleteTree(dir);
    Files.createDirectories(dir);
    AckPatterns patterns = new AckPatterns(dir, seconds, 1);
    long warm = 1_000_000_000L;
    for (String s : systems) {
      patterns.once(s, workloads.get(0), warm);
    }
    for (AckPatterns.Workload w : workloads) {
      for (String s : systems) {
        double r = patterns.once(s, w, (long) (seconds * 1e9));
        System.out.printf(Locale.ROOT, "PROBE %s | %s | %.0f%n", w.name(), s, r);
      }
    }
    Workloads.deleteTree(dir);
  }
}
