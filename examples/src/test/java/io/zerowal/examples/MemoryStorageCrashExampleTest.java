/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.Durability;
import io.zerowal.core.LogFailedException;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The README's "Testing your code" section, as a test a user would write. */
class MemoryStorageCrashExampleTest {

  @Test
  void acknowledgedRecordsSurviveASimulatedPowerLoss() {
    MemoryStorage disk = new MemoryStorage();
    WriteAheadLog log = WriteAheadLog.builder(disk).durability(Durability.SYNC).open();
    for (int i = 0; i < 100; i++) {
      log.append(new byte[] {(byte) i}).join(); // acknowledged: durable
    }
    log.append(new byte[] {-1}); // not acknowledged: may or may not survive

    MemoryStorage afterPowerLoss = disk.crash(42L); // same seed, same damage
    try (WriteAheadLog reopened = WriteAheadLog.builder(afterPowerLoss).open()) {
      assertThat(reopened.recoveryReport().records()).isBetween(100L, 101L);
      assertThat(reopened.verify()).isEqualTo(reopened.nextSequence());
    }
  }

  @Test
  void aFailedSyncFailsTheAppendAndPoisonsTheLog() {
    MemoryStorage disk = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(disk).open()) {
      disk.failNextSync(); // also: failNextWrite(), setCapacity(bytes) for a full disk
      assertThatThrownBy(() -> log.append(new byte[10]).join())
          .isInstanceOf(CompletionException.class).hasCauseInstanceOf(LogFailedException.class);
      assertThatThrownBy(() -> log.append(new byte[10])).isInstanceOf(LogFailedException.class);
    }
  }
}
