package io.zerowal.receiver;

import java.util.ArrayList;
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
  private long lastBatchTime = TrackerEvent.NO_BATCH;

  /**
   * Applies one event.
   *
   * @throws CorruptMetadataException if the event contradicts the state (a block added twice, a
   *     batch allocating a block that was never added, completing a batch never allocated, ...)
   */
  void apply(TrackerEvent event, String where) {
    if (event instanceof TrackerEvent.BlockAdded e) {
      BlockInfo b = e.block();
      if (unallocated.contains(b) || isAllocated(b)) {
        throw contradiction(where, "adds " + b + " a second time");
      }
      unallocated.add(b);
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
      if (uncompleted.remove(e.batchTime()) == null) {
        throw contradiction(where, "completes batch " + e.batchTime()
            + ", which is not an allocated, uncompleted batch");
      }
    } else if (event instanceof TrackerEvent.Snapshot e) {
      unallocated.clear();
      unallocated.addAll(e.unallocated());
      uncompleted.clear();
      uncompleted.putAll(e.uncompleted());
      lastBatchTime = e.lastBatchTime();
    }
  }

  private boolean isAllocated(BlockInfo b) {
    for (List<BlockInfo> blocks : uncompleted.values()) {
      if (blocks.contains(b)) {
        return true;
      }
    }
    return false;
  }

  TrackerEvent.Snapshot snapshot() {
    return new TrackerEvent.Snapshot(lastBatchTime, new ArrayList<>(unallocated), uncompleted);
  }

  List<BlockInfo> unallocated() {
    return new ArrayList<>(unallocated);
  }

  /** Batches allocated and not completed, by batch time, oldest first. */
  TreeMap<Long, List<BlockInfo>> uncompleted() {
    return new TreeMap<>(uncompleted);
  }

  long lastBatchTime() {
    return lastBatchTime;
  }

  /** The oldest data-log sequence of {@code receiverId} still needed, or MAX_VALUE if none. */
  long oldestNeeded(String receiverId) {
    long oldest = Long.MAX_VALUE;
    for (BlockInfo b : unallocated) {
      if (b.receiverId().equals(receiverId)) {
        oldest = Math.min(oldest, b.blockId());
      }
    }
    for (List<BlockInfo> blocks : uncompleted.values()) {
      for (BlockInfo b : blocks) {
        if (b.receiverId().equals(receiverId)) {
          oldest = Math.min(oldest, b.blockId());
        }
      }
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
