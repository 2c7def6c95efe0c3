/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench.jmh;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where JMH benchmarks put their logs: a fresh directory under target/jmh-data (or -Dbench.dir). */
final class BenchLogs {
  private BenchLogs() {}

  static Path freshDir(String name) throws IOException {
    Path root = Path.of(System.getProperty("bench.dir", "target/jmh-data"));
    Files.createDirectories(root);
    return Files.createTempDirectory(root, name + "-");
  }

  static WriteAheadLog open(Path dir, Durability durability, boolean preallocate, int maxRecord)
      throws IOException {
    return WriteAheadLog.builder(new LocalStorage(dir)).durability(durability)
        .preallocate(preallocate).maxRecordSize(Math.max(maxRecord, 1 << 20)).open();
  }

  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
