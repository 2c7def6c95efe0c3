/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecoveryReaderTest {
  private final WriteAheadLog metadata = WriteAheadLog.builder(new MemoryStorage())
      .durability(Durability.NONE).segmentSize(4096).maxRecordSize(2048).open();
  private final List<BlockInfo> blocks = Blocks.of("r1", 60);

  @AfterEach
  void close() {
    metadata.close();
  }

  private void journal(TrackerEvent e) {
    metadata.append(TrackerEvent.encode(e)).join();
  }

  @Test
  void replayAppliesEveryEventFromTheLastSnapshot() {
    journal(new TrackerEvent.BlockAdded(blocks.get(0)));
    journal(new TrackerEvent.BlockAdded(blocks.get(1)));
    journal(new TrackerEvent.BatchAllocated(10, List.of(blocks.get(0))));
    TrackerState before = RecoveryReader.replay(metadata);
    journal(before.snapshot());
    journal(new TrackerEvent.BlockAdded(blocks.get(2)));

    TrackerState state = RecoveryReader.replay(metadata);

    assertThat(state.uncompleted()).containsExactly(Map.entry(10L, List.of(blocks.get(0))));
    assertThat(state.unallocated()).containsExactly(blocks.get(1), blocks.get(2));
    assertThat(state.lastBatchTime()).isEqualTo(10);
  }

  @Test
  void aLogTruncatedWithoutASnapshotCannotBeReplayed() {
    for (BlockInfo b : blocks) {
      journal(new TrackerEvent.BlockAdded(b));
    }
    assertThat(metadata.truncateBefore(metadata.nextSequence() - 1)).isPositive();
    assertThatThrownBy(() -> RecoveryReader.replay(metadata))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("the metadata log starts at record " + metadata.firstSequence()
            + " but holds no snapshot");
  }

  @Test
  void aBlockOfAReceiverNoLongerConfiguredIsReportedNotDropped() {
    journal(new TrackerEvent.BlockAdded(blocks.get(0)));
    TrackerState state = RecoveryReader.replay(metadata);
    assertThatThrownBy(() -> RecoveryReader.checkData(state, Map.of()))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("no receiver r1 is configured");
  }

  @Test
  void aBlockMissingFromItsDataLogIsReportedNotDropped() {
    journal(new TrackerEvent.BlockAdded(blocks.get(5)));
    TrackerState state = RecoveryReader.replay(metadata);
    try (WriteAheadLog empty = WriteAheadLog.builder(new MemoryStorage()).open()) {
      assertThatThrownBy(() -> RecoveryReader.checkData(state, Map.of("r1", empty)))
          .isInstanceOf(CorruptMetadataException.class)
          .hasMessageContaining("holds " + blocks.get(5) + " but its data log holds records 0 to -1")
          .hasMessageContaining("the acknowledged block is missing");
    }
  }
}
