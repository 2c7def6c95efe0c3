/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * After power losses at seeded points (torn tails, half-made segments, unsynced seals, with and
 * without preallocation), a read-only view changes no byte and predicts the real open exactly: its
 * report, and the records the reopened log reads back.
 */
class ReadOnlyLogCrashTest {
  private static final int SEEDS = 60;

  private static Map<String, String> files(MemoryStorage mem) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String name : mem.list()) {
      out.put(name, Base64.getEncoder().encodeToString(mem.contents(name)));
    }
    return out;
  }

  private static List<Long> sequences(LogReader reader) {
    List<Long> out = new ArrayList<>();
    try (reader) {
      reader.forEach(r -> out.add(r.sequence()));
    }
    return out;
  }

  /** A log crashed in the middle of appends that were never awaited. */
  private static MemoryStorage crashed(long seed) {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog log = LogFixture.builder(mem).durability(Durability.FLUSH)
        .preallocate(seed % 2 == 0).open();
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    int records = 20 + (int) (seed % 17) * 3;
    for (int i = 0; i < records; i++) {
      futures.add(log.append(LogFixture.payload(i, 100 + (int) (seed * 31 % 200))));
      if (i % 7 == 0) {
        futures.get(i).join(); // some groups end in a sync point
      }
    }
    MemoryStorage survived = mem.crash(seed);
    try {
      log.close();
    } catch (RuntimeException e) {
      // the old storage is dead after the crash
    }
    return survived;
  }

  @Test
  void viewOfACrashedLogWritesNothingAndPredictsTheReopen() throws Exception {
    int withChanges = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      MemoryStorage disk = crashed(seed);
      Map<String, String> before = files(disk);

      RecoveryReport planned;
      List<Long> seen;
      try (ReadOnlyLog view = LogFixture.builder(disk).openReadOnly()) {
        planned = view.recoveryReport();
        seen = sequences(view.readFrom(view.firstSequence()));
        withChanges += view.plannedChanges().isEmpty() ? 0 : 1;
      }
      assertThat(files(disk)).as("seed %d: nothing written", seed).isEqualTo(before);

      try (WriteAheadLog log = LogFixture.builder(disk).open()) {
        RecoveryReport done = log.recoveryReport();
        assertThat(planned.records()).as("seed %d records", seed).isEqualTo(done.records());
        assertThat(planned.nextSequence()).as("seed %d next", seed).isEqualTo(done.nextSequence());
        assertThat(planned.firstSequence()).as("seed %d first", seed)
            .isEqualTo(done.firstSequence());
        assertThat(planned.segments()).as("seed %d segments", seed).isEqualTo(done.segments());
        assertThat(planned.bytesTruncated()).as("seed %d truncated", seed)
            .isEqualTo(done.bytesTruncated());
        assertThat(planned.tornTail()).as("seed %d torn", seed).isEqualTo(done.tornTail());
        assertThat(planned.recordsCut()).as("seed %d cut", seed).isEqualTo(done.recordsCut());
        assertThat(seen).as("seed %d records read", seed)
            .isEqualTo(sequences(log.readFrom(log.firstSequence())));
      }
    }
    assertThat(withChanges).as("crashes that leave something to repair").isGreaterThan(SEEDS / 3);
  }
}
