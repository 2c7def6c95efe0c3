/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackerStateTest {
  private final List<BlockInfo> a = Blocks.of("a", 6);
  private final List<BlockInfo> b = Blocks.of("b", 6);
  private final TrackerState state = new TrackerState();

  private void add(List<BlockInfo> blocks) {
    for (BlockInfo block : blocks) {
      state.apply(new TrackerEvent.BlockAdded(block), "test");
    }
  }

  @Test
  void addingABlockStaysFastWhileALargeBatchIsUncompleted() {
    // A BlockAdded checks that the block is new, on the data writer's thread under the tracker
    // lock. That check scanned every uncompleted batch: 50,000 tiny blocks took seconds.
    List<BlockInfo> first = Blocks.of("x", 50_000);
    List<BlockInfo> next = Blocks.of("y", 50_000);
    add(first);
    state.apply(new TrackerEvent.BatchAllocated(1, first), "test");
    assertTimeoutPreemptively(Duration.ofSeconds(3), () -> add(next));
    assertThat(state.unallocatedCount()).isEqualTo(50_000);
  }

  @Test
  void aBlockInAnUncompletedBatchCannotBeAddedAgain() {
    add(a.subList(0, 2));
    state.apply(new TrackerEvent.BatchAllocated(10, a.subList(0, 2)), "record 3");
    assertThatThrownBy(() -> state.apply(new TrackerEvent.BlockAdded(a.get(1)), "record 4"))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageStartingWith("record 4 adds " + a.get(1) + " a second time");
  }

  @Test
  void aBlockOfARestoredSnapshotsBatchCannotBeAddedAgain() {
    add(a.subList(0, 2));
    state.apply(new TrackerEvent.BatchAllocated(10, a.subList(0, 1)), "record 3");
    TrackerState restored = new TrackerState();
    restored.apply(state.snapshot(), "snapshot");
    assertThatThrownBy(() -> restored.apply(new TrackerEvent.BlockAdded(a.get(0)), "record 5"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("a second time");
    assertThat(restored.unallocated()).containsExactly(a.get(1));
    assertThat(restored.uncompleted()).containsExactly(Map.entry(10L, List.of(a.get(0))));
  }

  @Test
  void aCompletedBatchReleasesItsBlocks() {
    add(a.subList(0, 3));
    state.apply(new TrackerEvent.BatchAllocated(10, a.subList(0, 2)), "test");
    assertThat(state.oldestNeeded()).containsExactly(Map.entry("a", 0L));
    state.apply(new TrackerEvent.BatchCompleted(10), "test");
    assertThat(state.uncompleted()).isEmpty();
    assertThat(state.oldestNeeded()).containsExactly(Map.entry("a", 2L));
  }

  @Test
  void oldestNeededIsPerReceiverOverUnallocatedAndUncompletedBlocks() {
    add(List.of(a.get(3), b.get(1), a.get(4), b.get(5)));
    state.apply(new TrackerEvent.BatchAllocated(10, List.of(a.get(3), b.get(1))), "test");
    add(List.of(a.get(5)));
    assertThat(state.oldestNeeded()).containsOnly(Map.entry("a", 3L), Map.entry("b", 1L));
    state.apply(new TrackerEvent.BatchCompleted(10), "test");
    assertThat(state.oldestNeeded()).containsOnly(Map.entry("a", 4L), Map.entry("b", 5L));
  }

  @Test
  void aBatchTooLargeForOneEventContinuesUnderTheSameBatchTime() {
    add(a.subList(0, 4));
    state.apply(new TrackerEvent.BatchAllocated(10, a.subList(0, 2)), "test");
    state.apply(new TrackerEvent.BatchAllocated(10, a.subList(2, 4)), "test");
    assertThat(state.uncompleted()).containsExactly(Map.entry(10L, a.subList(0, 4)));
    assertThat(state.lastBatchTime()).isEqualTo(10);
    assertThatThrownBy(() -> state.apply(new TrackerEvent.BatchAllocated(9, List.of()), "r 9"))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("allocates batch 9 after batch 10");
  }
}
