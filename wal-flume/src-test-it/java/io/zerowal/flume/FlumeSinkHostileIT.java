/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink end to end in a child JVM ({@link HostileAgentChild}) under hostile limits: a 64 MiB
 * heap with an event near {@code maxBlockBytes}, and {@code ulimit -n} below the number of data
 * segments the logs hold. Every event the sink committed is in the processor's output.
 */
class FlumeSinkHostileIT {
  @TempDir Path work;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aSixtyFourMegabyteHeapIngestsThousandsOfEventsAndOneNearMaxBlockBytes() throws Exception {
    // 3000 events of 1 KiB, one of 4 MiB less 1 KiB (maxBlockBytes 4 MiB, the default).
    String output = run("", "-Xmx64m", "3000", "1024", Integer.toString((4 << 20) - 1024),
        Long.toString(64L << 20), Integer.toString(4 << 20), "100");
    assertAllProcessed(output, 3000);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void fewFileDescriptorsAndHundredsOfSegments() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    // 4000 events of 1 KiB in segments of 16 KiB: about 300 segments, none processed before the
    // graceful stop (batchIntervalMs 10 min), under a limit of 200 open files.
    String output = run("ulimit -n 200 && ", "-Xmx128m", "4000", "1024", "1024", "16384",
        "8192", "600000");
    assertAllProcessed(output, 4000);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tooFewFileDescriptorsFailNamingTheCauseAndARestartProcessesEverything() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    // Under 75 open files the stores still work (a data log keeps one segment open for writes)
    // but the last batch, reading about 300 segments, may run out: the failure names the file
    // and the cause, and the blocks stay in the logs.
    String output = run("ulimit -n 75 && ", "-Xmx128m", "4000", "1024", "1024", "16384",
        "8192", "600000");
    if (output.contains("Too many open files")) {
      assertThat(output).as(output).containsPattern("wal/flume/\\d+\\.wal: Too many open files");
    }
    // A restart with enough file descriptors and no new events re-runs what is left.
    run("", "-Xmx128m", "0", "1024", "1024", "16384", "8192", "600000");
    assertAllProcessed(output, 4000);
  }

  private String run(String shellPrefix, String heap, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    StringBuilder cmd = new StringBuilder(shellPrefix).append("exec \"$0\" ").append(heap)
        .append(" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp \"$1\" ")
        .append(HostileAgentChild.class.getName()).append(" \"$2\"");
    for (String a : args) {
      cmd.append(' ').append(a);
    }
    Process child = new ProcessBuilder("/bin/bash", "-c", cmd.toString(), java,
        System.getProperty("java.class.path"), work.toString())
        .redirectErrorStream(true).start();
    byte[] out = child.getInputStream().readAllBytes();
    boolean ended = child.waitFor(50, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String output = new String(out, StandardCharsets.UTF_8);
    String tail = output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    assertThat(ended).as("the child ends: %s", tail).isTrue();
    assertThat(child.exitValue()).as("exit code: %s", tail).isZero();
    assertThat(output).as(tail).doesNotContain("OutOfMemoryError").contains("DONE");
    return tail;
  }

  private void assertAllProcessed(String output, int events) throws IOException {
    Set<String> ids = new HashSet<>();
    long lines = 0;
    try (Stream<Path> files = Files.list(work.resolve("out"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
        List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (String l : all) {
          ids.add(l.replaceAll("x+$", ""));
          lines++;
        }
      }
    }
    long lost = 0;
    for (int i = 0; i < events; i++) {
      if (!ids.contains(i == events / 2 ? "big" : "e-" + i)) {
        lost++;
      }
    }
    System.out.printf("FlumeSinkHostileIT: acknowledged %d, processed %d, distinct %d, lost %d%n",
        events, lines, ids.size(), lost);
    assertThat(lost).as("acknowledged events missing from the output; child: %s", output).isZero();
  }
}
