/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the block tracker knows: blocks not yet in a batch, batches allocated but not completed, and
 * the last batch time handed out. Changed only by {@link #apply}, for the live path and for replay
 * alike, so that the metadata log and this state cannot disagree. Not thread-safe.
 */
final class TrackerState {
  private final LinkedHashSet<BlockInfo> unallocated = new LinkedHashSet<>();
  private final TreeMap<Long, List<BlockInfo>> uncompleted = new TreeMap<>();
  /** The blocks of {@link #uncompleted}: a BlockAdded checks it for every block stored. */
  private final HashSet<BlockInfo> allocated = new HashSet<>();
  private long lastBatchTime = TrackerEvent.NO_BATCH;
  /** Each receiver's latest metadata, stored with its latest block that had some. */
  private final Map<String, ByteBuffer> metadata = new TreeMap<>();

  /**
   * Applies one event.
   *
   * @throws CorruptMetadataException if the event contradicts the state (a block added twice, a
   *     batch allocating a block that was never added, completing a batch never allocated, ...)
   */
  void apply(TrackerEvent event, String where) {
    if (event instanceof TrackerEvent.BlockAdded e) {
      BlockInfo b = e.block();
      if (unallocated.contains(b) || allocated.contains(b)) {
        throw contradiction(where, "adds " + b + " a second time");
      }
      unallocated.add(b);
      if (e.metadata() != null) {
        metadata.put(b.receiverId(), e.metadata());
      }
    } else if (event instanceof TrackerEvent.BatchAllocated e) {
      // A batch too large for one record is allocated by several events of the same batch time,
      // each continuing the last batch; the batch runs only once the last of them is durable.
      boolean continued = e.batchTime() == lastBatchTime && uncompleted.containsKey(lastBatchTime);
      if (e.batchTime() <= lastBatchTime && !continued) {
        throw contradiction(where, "allocates batch " + e.batchTime() + " after batch "
            + lastBatchTime);
      }
      for (BlockInfo b : e.blocks()) {
        if (!unallocated.remove(b)) {
          throw contradiction(where, "allocates " + b + " to batch " + e.batchTime()
              + " but it is not an unallocated block");
        }
        allocated.add(b);
      }
      if (continued) {
        List<BlockInfo> all = new ArrayList<>(uncompleted.get(lastBatchTime));
        all.addAll(e.blocks());
        uncompleted.put(lastBatchTime, List.copyOf(all));
      } else {
        uncompleted.put(e.batchTime(), e.blocks());
      }
      lastBatchTime = e.batchTime();
    } else if (event instanceof TrackerEvent.BatchCompleted e) {
      List<BlockInfo> done = uncompleted.remove(e.batchTime());
      if (done == null) {
        throw contradiction(where, "completes batch " + e.batchTime()
            + ", which is not an allocated, uncompleted batch");
      }
      done.forEach(allocated::remove);
    } else if (event instanceof TrackerEvent.Snapshot e) {
      unallocated.clear();
      unallocated.addAll(e.unallocated());
      uncompleted.clear();
      uncompleted.putAll(e.uncompleted());
      allocated.clear();
      uncompleted.values().forEach(allocated::addAll);
      lastBatchTime = e.lastBatchTime();
      metadata.clear();
      metadata.putAll(e.metadata());
    }
  }

  TrackerEvent.Snapshot snapshot() {
    return new TrackerEvent.Snapshot(lastBatchTime, new ArrayList<>(unallocated), uncompleted,
        metadata);
  }

  /** The latest metadata {@code receiverId} stored, read-only; null if none. */
  ByteBuffer metadata(String receiverId) {
    ByteBuffer m = metadata.get(receiverId);
    return m == null ? null : m.duplicate();
  }

  List<BlockInfo> unallocated() {
    return new ArrayList<>(unallocated);
  }

  int uncompletedCount() {
    return uncompleted.size();
  }

  int unallocatedCount() {
    return unallocated.size();
  }

  /** Batches allocated and not completed, by batch time, oldest first. */
  TreeMap<Long, List<BlockInfo>> uncompleted() {
    return new TreeMap<>(uncompleted);
  }

  long lastBatchTime() {
    return lastBatchTime;
  }

  /** The oldest data-log sequence each receiver's blocks still need, for receivers with blocks. */
  Map<String, Long> oldestNeeded() {
    Map<String, Long> oldest = new HashMap<>();
    for (BlockInfo b : allBlocks()) {
      oldest.merge(b.receiverId(), b.blockId(), Math::min);
    }
    return oldest;
  }

  /** Every block the state refers to. */
  List<BlockInfo> allBlocks() {
    List<BlockInfo> all = new ArrayList<>();
    for (Map.Entry<Long, List<BlockInfo>> e : uncompleted.entrySet()) {
      all.addAll(e.getValue());
    }
    all.addAll(unallocated);
    return all;
  }

  private static CorruptMetadataException contradiction(String where, String problem) {
    return new CorruptMetadataException(where + " " + problem + ": the metadata log contradicts"
        + " itself; keep it for inspection");
  }
}
