/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.WriteAheadLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ObjLongConsumer;

/**
 * Rebuilds the block tracker's state from the metadata log alone: the last snapshot, then every
 * event after it. Then checks the state against the data logs: a block whose data is not in its
 * data log is corruption, reported, never dropped. What it returns tells the engine what to re-run
 * (the uncompleted batches, oldest first) and what goes into the next batch (the unallocated
 * blocks).
 */
final class RecoveryReader {
  private RecoveryReader() {}

  /**
   * Replays the metadata log.
   *
   * @throws CorruptMetadataException if an event does not decode, events contradict each other, or
   *     the log was truncated without a snapshot to start from
   */
  static TrackerState replay(WriteAheadLog metadata) {
    return replay(metadata.firstSequence(), metadata::readFrom, (event, sequence) -> {});
  }

  /**
   * Replays a metadata log read through {@code readFrom} (a writable log's or a
   * {@link io.zerowal.core.ReadOnlyLog}'s), from {@code first}, its oldest sequence; hands every
   * event decoded, in log order, to {@code seen} (snapshots and the events they replace included).
   *
   * @throws CorruptMetadataException as {@link #replay(WriteAheadLog)}
   */
  static TrackerState replay(long first, LongFunction<LogReader> readFrom,
      ObjLongConsumer<TrackerEvent> seen) {
    List<TrackerEvent> events = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    int lastSnapshot = -1;
    try (LogReader reader = readFrom.apply(first)) {
      for (LogRecord r : reader) {
        TrackerEvent e = TrackerEvent.decode(r.payload(), "metadata record " + r.sequence());
        seen.accept(e, r.sequence());
        if (e instanceof TrackerEvent.Snapshot) {
          lastSnapshot = events.size();
        }
        events.add(e);
        sequences.add(r.sequence());
      }
    }
    if (first > 0 && lastSnapshot < 0) {
      throw new CorruptMetadataException("the metadata log starts at record " + first
          + " but holds no snapshot: the events before it are lost and the tracker state cannot be"
          + " rebuilt; keep the log for inspection");
    }
    TrackerState state = new TrackerState();
    for (int i = Math.max(0, lastSnapshot); i < events.size(); i++) {
      state.apply(events.get(i), "metadata record " + sequences.get(i));
    }
    return state;
  }

  /**
   * Checks that every block the state refers to is in its data log.
   *
   * @throws CorruptMetadataException naming the first block whose receiver is not configured or
   *     whose data is missing
   */
  static void checkData(TrackerState state, Map<String, WriteAheadLog> dataLogs) {
    for (BlockInfo b : state.allBlocks()) {
      WriteAheadLog data = dataLogs.get(b.receiverId());
      if (data == null) {
        throw new CorruptMetadataException("the metadata log holds unprocessed " + b
            + " but no receiver " + b.receiverId() + " is configured: add that receiver (with its"
            + " data storage) so that its blocks are processed, rather than lost");
      }
      long seq = b.blockId();
      if (seq < data.firstSequence() || seq >= data.nextSequence()) {
        throw new CorruptMetadataException("the metadata log holds " + b + " but its data log "
            + "holds records " + data.firstSequence() + " to " + (data.nextSequence() - 1)
            + " only: the acknowledged block is missing. Was the data storage replaced, truncated"
            + " by hand, or written with Durability.NONE? Keep both logs for inspection");
      }
    }
  }
}
