/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.ReadOnlyLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a receiver engine's metadata log says, read without writing: the batches allocated,
 * completed and pending (with their times and blocks), the blocks of each receiver, the blocks not
 * yet in a batch, and the oldest sequence of each data log that a restart would still need. For
 * tools ({@code walctl tracker}) and for looking at an engine's state from another process.
 *
 * <pre>{@code
 * try (ReadOnlyLog log = WriteAheadLog.builder(metadataStorage).openReadOnly()) {
 *   TrackerView tracker = TrackerView.of(log);
 *   tracker.pendingBatches().forEach((time, blocks) -> ...);   // what a restart re-runs
 * }
 * }</pre>
 *
 * <p>Built on a {@link ReadOnlyLog}, so it takes no lock, repairs nothing and creates no file; next
 * to a running engine it shows the log as the view saw it (see there). The log is decoded and
 * replayed by the same code the engine recovers with, so what this view calls pending is exactly
 * what {@code MicroBatchEngine.start()} would re-run, and what it calls unallocated is what the
 * next batch would take. The events before the oldest segment still in the log are gone (the
 * engine deletes what no batch needs after a snapshot): the counts of events, of blocks added and
 * of batches allocated and completed cover the log as it is, not the engine's whole history.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrackerView {
  private final long firstSequence;
  private final long nextSequence;
  private final long events;
  private final int snapshots;
  private final long lastSnapshotSequence;
  private final Map<Long, List<BlockInfo>> allocated;
  private final List<Long> completed;
  private final SortedMap<Long, List<BlockInfo>> pending;
  private final List<BlockInfo> unallocated;
  private final long lastBatchTime;
  private final Map<String, ReceiverBlocks> receivers;

  /**
   * The blocks of one receiver in the metadata log.
   *
   * @param receiverId the receiver
   * @param blocksAdded BlockAdded events of this receiver in the log as it is (not counting blocks
   *     a snapshot carries)
   * @param pendingBlocks blocks not yet processed: in a pending batch or in no batch yet
   * @param pendingRecords the records of those blocks
   * @param pendingBytes the payload bytes of those blocks
   * @param oldestNeededSequence the oldest sequence of the receiver's data log that a pending block
   *     needs (the engine deletes no segment from it on); -1 if no block is pending
   */
  public record ReceiverBlocks(String receiverId, long blocksAdded, int pendingBlocks,
      long pendingRecords, long pendingBytes, long oldestNeededSequence) {}

  private TrackerView(ReadOnlyLog log) {
    this.firstSequence = log.firstSequence();
    this.nextSequence = log.nextSequence();
    long[] counts = new long[3]; // events, snapshots, last snapshot sequence
    counts[2] = -1;
    Map<Long, List<BlockInfo>> allocated = new LinkedHashMap<>();
    List<Long> completed = new ArrayList<>();
    Map<String, Long> added = new TreeMap<>();
    TrackerState state = RecoveryReader.replay(firstSequence, log::readFrom, (event, sequence) -> {
      counts[0]++;
      if (event instanceof TrackerEvent.BlockAdded e) {
        added.merge(e.block().receiverId(), 1L, Long::sum);
      } else if (event instanceof TrackerEvent.BatchAllocated e) {
        // A batch too large for one event continues in the next events of the same time.
        allocated.computeIfAbsent(e.batchTime(), t -> new ArrayList<>()).addAll(e.blocks());
      } else if (event instanceof TrackerEvent.BatchCompleted e) {
        completed.add(e.batchTime());
      } else if (event instanceof TrackerEvent.Snapshot) {
        counts[1]++;
        counts[2] = sequence;
      }
    });
    this.events = counts[0];
    this.snapshots = (int) counts[1];
    this.lastSnapshotSequence = counts[2];
    Map<Long, List<BlockInfo>> allocatedCopy = new LinkedHashMap<>();
    allocated.forEach((t, b) -> allocatedCopy.put(t, List.copyOf(b)));
    this.allocated = Collections.unmodifiableMap(allocatedCopy);
    this.completed = List.copyOf(completed);
    this.pending = Collections.unmodifiableSortedMap(state.uncompleted());
    this.unallocated = List.copyOf(state.unallocated());
    this.lastBatchTime = state.lastBatchTime();

    Map<String, long[]> perReceiver = new TreeMap<>(); // blocks, records, bytes
    for (BlockInfo b : state.allBlocks()) {
      long[] c = perReceiver.computeIfAbsent(b.receiverId(), id -> new long[3]);
      c[0]++;
      c[1] += b.recordCount();
      c[2] += b.bytes();
    }
    Map<String, Long> oldest = state.oldestNeeded();
    TreeMap<String, ReceiverBlocks> receivers = new TreeMap<>();
    for (String id : concat(added.keySet(), perReceiver.keySet())) {
      long[] c = perReceiver.getOrDefault(id, new long[3]);
      receivers.put(id, new ReceiverBlocks(id, added.getOrDefault(id, 0L), (int) c[0], c[1], c[2],
          oldest.getOrDefault(id, -1L)));
    }
    this.receivers = Collections.unmodifiableSortedMap(receivers);
  }

  private static List<String> concat(Iterable<String> a, Iterable<String> b) {
    List<String> all = new ArrayList<>();
    a.forEach(all::add);
    b.forEach(all::add);
    return all;
  }

  /**
   * Reads the metadata log of a receiver engine (its {@code metadataStorage}). Reads every record
   * of {@code metadataLog}; does not close it.
   *
   * @param metadataLog the metadata log, opened read-only
   * @return what the log says
   * @throws NullPointerException if {@code metadataLog} is null
   * @throws CorruptMetadataException if a record is not a tracker event (not an engine's metadata
   *     log, or a newer format), events contradict each other, or the log starts after deleted
   *     events with no snapshot to start from: the engine would refuse to start on it too
   * @throws io.zerowal.core.WalException if a record cannot be read (a corrupt log under
   *     {@link io.zerowal.core.RecoveryPolicy#STRICT})
   */
  public static TrackerView of(ReadOnlyLog metadataLog) {
    return new TrackerView(Objects.requireNonNull(metadataLog, "metadataLog must not be null"));
  }

  /**
   * The oldest sequence of the metadata log read.
   *
   * @return the metadata log's first sequence
   */
  public long firstSequence() {
    return firstSequence;
  }

  /**
   * One past the last sequence of the metadata log read.
   *
   * @return the metadata log's next sequence
   */
  public long nextSequence() {
    return nextSequence;
  }

  /**
   * Events in the log as it is: one per record.
   *
   * @return the number of events read
   */
  public long events() {
    return events;
  }

  /**
   * Snapshots in the log; the state starts from the last one.
   *
   * @return the number of snapshot events
   */
  public int snapshots() {
    return snapshots;
  }

  /**
   * The sequence of the last snapshot, from which the state is replayed.
   *
   * @return the sequence, empty if the log holds no snapshot (it is replayed from its start)
   */
  public OptionalLong lastSnapshotSequence() {
    return lastSnapshotSequence < 0 ? OptionalLong.empty() : OptionalLong.of(lastSnapshotSequence);
  }

  /**
   * The batches with a BatchAllocated event in the log as it is, in log order, with their blocks
   * in batch order; completed ones included.
   *
   * @return batch time to blocks, unmodifiable
   */
  public Map<Long, List<BlockInfo>> allocatedBatches() {
    return allocated;
  }

  /**
   * The batch times with a BatchCompleted event in the log as it is, in log order.
   *
   * @return the completed batch times, unmodifiable
   */
  public List<Long> completedBatches() {
    return completed;
  }

  /**
   * Batches allocated and not completed, oldest first, with their blocks: what a restart of the
   * engine re-runs, with the same times and blocks, before any new batch. Normally the one batch
   * running, or none.
   *
   * @return batch time to blocks, unmodifiable
   */
  public SortedMap<Long, List<BlockInfo>> pendingBatches() {
    return pending;
  }

  /**
   * Blocks stored durably and in no batch yet, in the order they were added: what the next batch
   * takes.
   *
   * @return the unallocated blocks, unmodifiable
   */
  public List<BlockInfo> unallocatedBlocks() {
    return unallocated;
  }

  /**
   * The time of the last batch allocated; a new batch gets a later one.
   *
   * @return the last batch time, empty if no batch was ever allocated
   */
  public OptionalLong lastBatchTime() {
    return lastBatchTime == TrackerEvent.NO_BATCH ? OptionalLong.empty()
        : OptionalLong.of(lastBatchTime);
  }

  /**
   * Each receiver that added a block in the log as it is or has a pending block, by id.
   *
   * @return receiver id to its blocks, sorted by id, unmodifiable
   */
  public Map<String, ReceiverBlocks> receivers() {
    return receivers;
  }

  @Override
  public String toString() {
    return "TrackerView{events=" + events + ", snapshots=" + snapshots + ", allocated="
        + allocated.size() + ", completed=" + completed.size() + ", pending=" + pending.keySet()
        + ", unallocated=" + unallocated.size() + ", receivers=" + receivers.values() + "}";
  }
}
