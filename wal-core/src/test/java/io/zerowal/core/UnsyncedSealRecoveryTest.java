/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A roll whose seal was written but not synced (the sync failed, or the process died before it)
 * leaves a last segment that looks sealed to the next open but is not durable. Recovery must make it
 * durable before the log builds a new segment on it, or a later power loss leaves mid-log corruption
 * that STRICT refuses to open. Found by the torture suite (src-test-it IoErrorIT).
 */
class UnsyncedSealRecoveryTest {
  private static final int RECORDS_BEFORE_ROLL = 34; // 20 + 34 * 117 + 117 + 29 > 4096

  private static WriteAheadLog open(MemoryStorage mem) {
    return WriteAheadLog.builder(mem).segmentSize(4096).maxRecordSize(1000).open();
  }

  @Test
  void logReopenedAfterAFailedSealSyncSurvivesPowerLoss() throws Exception {
    for (long seed = 0; seed < 16; seed++) {
      MemoryStorage mem = new MemoryStorage();
      try (WriteAheadLog log = open(mem)) {
        for (int i = 0; i < RECORDS_BEFORE_ROLL; i++) {
          log.append(new byte[100]).get();
        }
        mem.failNextSync(); // the seal's sync of the roll
        assertThatThrownBy(() -> log.append(new byte[100]).get())
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(LogFailedException.class);
      }
      try (WriteAheadLog log = open(mem)) {
        assertThat(log.nextSequence()).isEqualTo(RECORDS_BEFORE_ROLL);
        log.append(new byte[100]).get(); // acknowledged in the segment after the adopted one
      }

      MemoryStorage survivor = mem.crash(seed);
      try (WriteAheadLog log = open(survivor)) {
        assertThat(log.nextSequence()).as("seed %d", seed).isEqualTo(RECORDS_BEFORE_ROLL + 1);
        assertThat(log.verify()).isEqualTo(RECORDS_BEFORE_ROLL + 1);
      }
    }
  }
}
