/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads what {@link KafkaEngineChild} wrote: batch files (a re-run overwrote) and the journal. */
final class SinkFiles {
  /** "partition:offset" to the number of distinct batch files holding it. */
  final Map<String, Integer> files = new HashMap<>();
  /** Records handed to the sink over all runs, re-runs included: before de-duplication. */
  long delivered;
  long batchRuns;

  static SinkFiles read(Path sink) throws IOException {
    SinkFiles s = new SinkFiles();
    if (!Files.isDirectory(sink)) {
      return s;
    }
    try (Stream<Path> paths = Files.list(sink)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith("batch-") && name.endsWith(".txt")) {
          try {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
              s.files.merge(line, 1, Integer::sum);
            }
          } catch (NoSuchFileException e) {
            // replaced by a rename while listing: read at the next look
          }
        }
      }
    }
    Path journal = sink.resolve("journal.log");
    if (Files.exists(journal)) {
      for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length == 2) {
          s.delivered += Long.parseLong(f[1]);
          s.batchRuns++;
        }
      }
    }
    return s;
  }

  int distinct() {
    return files.size();
  }

  long inSeveralBatches() {
    return files.values().stream().filter(n -> n > 1).count();
  }

  /** Per partition, the offset after the longest run 0, 1, 2, ... present. */
  Map<Integer, Long> contiguous(int partitions) {
    Map<Integer, Long> out = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      long o = 0;
      while (files.containsKey(p + ":" + o)) {
        o++;
      }
      out.put(p, o);
    }
    return out;
  }

  List<String> missing(int partitions, long perPartition) {
    List<String> out = new java.util.ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      for (long o = 0; o < perPartition; o++) {
        if (!files.containsKey(p + ":" + o)) {
          out.add(p + ":" + o);
        }
      }
    }
    return out;
  }
}
