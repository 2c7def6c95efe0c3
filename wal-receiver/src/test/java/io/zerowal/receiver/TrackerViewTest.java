/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.Durability;
import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TrackerView} on metadata logs written by a real engine: a batch held running, a block
 * waiting for the next batch, and the same log after a power loss; what it calls pending is what
 * the restarted engine re-runs.
 */
class TrackerViewTest {
  private static final long WAIT = 30;

  private static TrackerView view(MemoryStorage metadata) {
    try (ReadOnlyLog log = WriteAheadLog.builder(metadata).openReadOnly()) {
      return TrackerView.of(log);
    }
  }

  @Test
  void aHeldBatchIsPendingAndALaterBlockUnallocatedAndARestartReRunsExactlyThatBatch()
      throws Exception {
    MemoryStorages disks = new MemoryStorages();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ManualReceiver a = new ManualReceiver();
    ManualReceiver b = new ManualReceiver();
    MicroBatchEngine engine = disks.configure(MicroBatchEngine.builder())
        .receiver("a", a).receiver("b", b).durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(20)).blockInterval(Duration.ofMillis(5))
        .processor(batch -> {
          if (batch.recordCount() > 0) {
            held.countDown();
            release.await(WAIT, TimeUnit.SECONDS);
          }
        }).build();
    TrackerView running;
    BlockInfo later;
    BlockInfo a1;
    BlockInfo b1;
    try {
      engine.start();
      a1 = a.storeBlock("a-1", "a-2").get(WAIT, TimeUnit.SECONDS);
      b1 = b.storeBlock("b-1").get(WAIT, TimeUnit.SECONDS);
      assertThat(held.await(WAIT, TimeUnit.SECONDS)).isTrue();
      later = a.storeBlock("a-3").get(WAIT, TimeUnit.SECONDS);
      List<String> filesBefore = disks.metadata().list();

      running = view(disks.metadata());

      assertThat(disks.metadata().list()).as("the view writes nothing").isEqualTo(filesBefore);
    } finally {
      disks = disks.crashAll(42L); // a power loss with the batch still running
      release.countDown();
      engine.stopNow();
    }

    assertThat(running.pendingBatches()).hasSize(1);
    long pendingTime = running.pendingBatches().firstKey();
    List<BlockInfo> pendingBlocks = running.pendingBatches().get(pendingTime);
    // The batch may hold a1 and b1 or only the first of them if it was cut between the stores.
    assertThat(pendingBlocks).isNotEmpty().isSubsetOf(a1, b1);
    assertThat(running.unallocatedBlocks()).contains(later).doesNotContainAnyElementsOf(
        pendingBlocks);
    assertThat(running.allocatedBatches()).containsKey(pendingTime);
    assertThat(running.completedBatches()).doesNotContain(pendingTime);
    assertThat(running.lastBatchTime()).hasValue(pendingTime);
    TrackerView.ReceiverBlocks ra = running.receivers().get("a");
    assertThat(ra.blocksAdded()).isEqualTo(2);
    assertThat(ra.pendingBlocks()).isEqualTo(2);
    assertThat(ra.pendingRecords()).isEqualTo(3);
    assertThat(ra.pendingBytes()).isEqualTo(9);
    assertThat(ra.oldestNeededSequence()).isEqualTo(a1.blockId());
    assertThat(running.receivers().get("b").oldestNeededSequence()).isEqualTo(b1.blockId());
    assertThat(running.events()).isEqualTo(running.nextSequence() - running.firstSequence());

    TrackerView crashed = view(disks.metadata());
    assertThat(crashed.pendingBatches()).isEqualTo(running.pendingBatches());
    assertThat(crashed.unallocatedBlocks()).isEqualTo(running.unallocatedBlocks());

    List<Batch> rerun = new CopyOnWriteArrayList<>();
    CountDownLatch twoBatches = new CountDownLatch(2);
    MicroBatchEngine restarted = disks.configure(MicroBatchEngine.builder())
        .receiver("a", new ManualReceiver()).receiver("b", new ManualReceiver())
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(20))
        .processor(batch -> {
          if (batch.recordCount() > 0) {
            rerun.add(batch);
            twoBatches.countDown();
          }
        }).build();
    try {
      restarted.start();
      assertThat(twoBatches.await(WAIT, TimeUnit.SECONDS)).isTrue();
    } finally {
      restarted.stop();
    }
    assertThat(rerun.get(0).isRecovered()).isTrue();
    assertThat(rerun.get(0).batchTime()).isEqualTo(pendingTime);
    assertThat(rerun.get(0).blocks()).isEqualTo(pendingBlocks);
    assertThat(rerun.get(1).blocks()).isEqualTo(crashed.unallocatedBlocks());

    TrackerView after = view(disks.metadata());
    assertThat(after.pendingBatches()).isEmpty();
    assertThat(after.unallocatedBlocks()).isEmpty();
    assertThat(after.completedBatches()).contains(pendingTime, rerun.get(1).batchTime());
    assertThat(after.receivers().values())
        .allSatisfy(r -> assertThat(r.oldestNeededSequence()).isEqualTo(-1));
  }

  @Test
  void anEmptyMetadataLogHasNoBatchAndNoReceiver() {
    MemoryStorage empty = new MemoryStorage();
    WriteAheadLog.builder(empty).open().close();

    TrackerView v = view(empty);

    assertThat(v.events()).isZero();
    assertThat(v.lastBatchTime()).isEmpty();
    assertThat(v.lastSnapshotSequence()).isEmpty();
    assertThat(v.receivers()).isEmpty();
    assertThat(v.pendingBatches()).isEmpty();
  }

  @Test
  void aLogThatIsNotAMetadataLogIsCorruptMetadataNamingTheRecord() {
    MemoryStorage other = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(other).open()) {
      log.append(new byte[] {9, 9, 9}).join();
    }

    assertThatThrownBy(() -> view(other)).isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("metadata record 0").hasMessageContaining("version 9");
  }

  @Test
  void eventsThatContradictEachOtherAreRefusedAsTheEngineWould() {
    MemoryStorage meta = new MemoryStorage();
    BlockInfo block = Blocks.of("a", 1).get(0);
    try (WriteAheadLog log = WriteAheadLog.builder(meta).open()) {
      log.append(TrackerEvent.encode(new TrackerEvent.BlockAdded(block))).join();
      log.append(TrackerEvent.encode(new TrackerEvent.BatchCompleted(5))).join();
    }

    assertThatThrownBy(() -> view(meta)).isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("metadata record 1 completes batch 5");
  }

  @Test
  void theStateStartsFromTheLastSnapshotAndTheCountsCoverTheWholeLog() {
    MemoryStorage meta = new MemoryStorage();
    List<BlockInfo> a = Blocks.of("a", 3);
    try (WriteAheadLog log = WriteAheadLog.builder(meta).open()) {
      for (TrackerEvent e : List.of(new TrackerEvent.BlockAdded(a.get(0)),
          new TrackerEvent.BlockAdded(a.get(1)),
          new TrackerEvent.BatchAllocated(100, List.of(a.get(0))),
          new TrackerEvent.BatchCompleted(100),
          new TrackerEvent.BatchAllocated(200, List.of(a.get(1))),
          new TrackerEvent.Snapshot(200, List.of(), new java.util.TreeMap<>(Map.of(200L,
              List.of(a.get(1))))),
          new TrackerEvent.BlockAdded(a.get(2)))) {
        log.append(TrackerEvent.encode(e)).join();
      }
    }

    TrackerView v = view(meta);

    assertThat(v.events()).isEqualTo(7);
    assertThat(v.snapshots()).isEqualTo(1);
    assertThat(v.lastSnapshotSequence()).hasValue(5);
    assertThat(v.allocatedBatches()).containsOnlyKeys(100L, 200L);
    assertThat(v.completedBatches()).containsExactly(100L);
    assertThat(v.pendingBatches()).containsOnlyKeys(200L);
    assertThat(v.pendingBatches().get(200L)).containsExactly(a.get(1));
    assertThat(v.unallocatedBlocks()).containsExactly(a.get(2));
    assertThat(v.lastBatchTime()).hasValue(200);
    TrackerView.ReceiverBlocks r = v.receivers().get("a");
    assertThat(r.blocksAdded()).isEqualTo(3);
    assertThat(r.pendingBlocks()).isEqualTo(2);
    assertThat(r.oldestNeededSequence()).isEqualTo(a.get(1).blockId());
  }

  @Test
  void nullLogIsRefused() {
    assertThatThrownBy(() -> TrackerView.of(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("metadataLog");
  }

  @Test
  void receiversMapIsSortedById() {
    MemoryStorage meta = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(meta).open()) {
      for (String id : List.of("zeta", "alpha")) {
        log.append(TrackerEvent.encode(new TrackerEvent.BlockAdded(Blocks.of(id, 1).get(0))))
            .join();
      }
    }
    Map<String, TrackerView.ReceiverBlocks> r = view(meta).receivers();
    assertThat(r.keySet()).containsExactly("alpha", "zeta");
    assertThat(r.get("alpha").pendingBlocks()).isEqualTo(1);
  }
}
