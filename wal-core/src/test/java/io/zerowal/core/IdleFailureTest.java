/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log poisoned while nothing is appended says so through {@link WriteAheadLog#failure()}. */
class IdleFailureTest {

  @Test
  void aLogWhoseDirectoryVanishesWhileIdleReportsItsFailureWithoutAnAppend(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("log");
    WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open();
    try {
      log.append(new byte[100]).get(10, TimeUnit.SECONDS);
      assertThat(log.failure()).isEmpty();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      // The idle writer checks its lock every 100 ms: no append is needed to find it gone.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.failure().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(log.failure()).as("failure after the directory was deleted").isPresent();
      assertThat(log.failure().get()).hasMessageContaining(dir.toString())
          .hasMessageContaining("lost the write lock");
      assertThatThrownBy(() -> log.append(new byte[1])).isInstanceOf(LogFailedException.class);
    } finally {
      log.close();
    }
    assertThat(log.failure()).as("still answers after close").isPresent();
  }

  @Test
  void aHealthyLogHasNoFailureBeforeOrAfterClose() throws Exception {
    WriteAheadLog log = WriteAheadLog.builder(new io.zerowal.core.storage.MemoryStorage()).open();
    log.append(new byte[10]).get(10, TimeUnit.SECONDS);
    assertThat(log.failure()).isEmpty();
    log.close();
    assertThat(log.failure()).isEmpty();
  }
}
