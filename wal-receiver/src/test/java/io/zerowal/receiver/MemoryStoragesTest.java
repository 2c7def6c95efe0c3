/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.Durability;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryStoragesTest {

  @Test
  void eachReceiverGetsOneStorageOfItsOwnAndTheSameOneEveryTime() {
    MemoryStorages disks = new MemoryStorages();
    assertThat(disks.data("a")).isSameAs(disks.data("a")).isNotSameAs(disks.data("b"))
        .isNotSameAs(disks.metadata());
    assertThat(disks.storages()).containsOnlyKeys(MemoryStorages.METADATA, "a", "b");
    assertThatThrownBy(() -> disks.data("metadata")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void crashAllKeepsWhatWasAcknowledgedAndKillsTheOldDisks() throws Exception {
    MemoryStorages disks = new MemoryStorages();
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = disks.configure(MicroBatchEngine.builder())
        .durability(Durability.SYNC).batchInterval(Duration.ofHours(1))
        .receiver("r", r).processor(b -> { }).build();
    e.start();
    r.storeBlock("kept").get();
    MemoryStorages after = disks.crashAll(7L);
    assertThatThrownBy(() -> disks.metadata().list()).isInstanceOf(Exception.class);
    e.stopNow();

    BatchRecorder recorder = new BatchRecorder();
    MicroBatchEngine e2 = after.configure(MicroBatchEngine.builder())
        .durability(Durability.SYNC).batchInterval(Duration.ofHours(1))
        .receiver("r", new ManualReceiver()).processor(recorder).build();
    e2.start();
    e2.stop();
    assertThat(recorder.allRecords()).containsExactly("kept");
    assertThat(after.usedBytes()).isPositive();
  }
}
