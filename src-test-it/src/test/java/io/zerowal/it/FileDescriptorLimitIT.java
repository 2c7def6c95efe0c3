/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 12: reading a log of many more segments than the process may open files stays
 * possible, because the log keeps a bounded number of segment files open for reads. The child JVM
 * runs under {@code ulimit -n 200} and reads 600 segments by handle and by replay.
 */
class FileDescriptorLimitIT {
  @TempDir Path dir;

  @Test
  void readsOfSixHundredSegmentsWorkUnderAUlimitOf200() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    String java = ProcessHandle.current().info().command().orElse("java");
    String command = "ulimit -n 200 && exec \"$0\" -Xmx256m -cp \"$1\" " + ManySegmentsChild.class.getName()
        + " \"$2\" 600";
    Process child = new ProcessBuilder("/bin/bash", "-c", command, java,
        System.getProperty("java.class.path"), dir.resolve("log").toString())
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), UTF_8);
    assertThat(child.waitFor(300, TimeUnit.SECONDS)).as(output).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).as(output).contains("OK ");
  }
}
