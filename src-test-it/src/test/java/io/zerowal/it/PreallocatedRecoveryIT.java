/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 1: a preallocated log (default 64 MiB segments) crashed after three acknowledged
 * SYNC appends reopens in a JVM of 64 MiB heap with every record. Recovery reads the zero tail in
 * bounded windows; it used to read it whole into one heap array and fail with OutOfMemoryError.
 */
class PreallocatedRecoveryIT {
  @TempDir Path dir;

  @Test
  void crashedPreallocatedLogReopensInA64MiBHeap() throws Exception {
    List<String> written = child("write");
    assertThat(written).contains("ACKED");

    List<String> read = child("read");
    assertThat(read).as("output of the reopening child").startsWith("record 0", "record 1",
        "record 2");
    assertThat(read.get(read.size() - 1)).startsWith("DONE");
  }

  private List<String> child(String mode) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-cp",
        System.getProperty("java.class.path"), PreallocatedReopenChild.class.getName(), mode,
        dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("exit of %s child:%n%s", mode, out).isZero();
    return new ArrayList<>(out.lines().filter(l -> !l.startsWith("[")).toList());
  }
}
