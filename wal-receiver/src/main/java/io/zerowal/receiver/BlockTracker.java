/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Journals which blocks exist and which batch each went into, in the metadata log (a
 * {@link WriteAheadLog} of {@link TrackerEvent}s), and keeps the same state in memory.
 *
 * <p>Every change appends its event and applies it to the in-memory state under one lock, so the
 * state is always exactly the replay of the log's prefix up to the last appended event; a snapshot
 * taken under that lock can therefore replace everything before it. Callers wait for an event's
 * durability outside the lock. The metadata log is opened and closed by {@link EngineLogs}, and
 * truncated by {@link LogCleaner}. Thread-safe.
 */
final class BlockTracker {
  private final WriteAheadLog log;
  private final int maxRecordSize;
  private final TrackerState state; // guarded by this

  /** A tracker over {@code log}, whose content {@code recovered} is the replay of. */
  BlockTracker(WriteAheadLog log, TrackerState recovered, int maxRecordSize) {
    this.log = log;
    this.state = recovered;
    this.maxRecordSize = maxRecordSize;
  }

  /**
   * Journals a block, already durable in its data log, with its receiver's metadata (null for
   * none); the future completes when the event is durable.
   */
  synchronized CompletableFuture<RecordHandle> addBlock(BlockInfo block, ByteBuffer metadata) {
    return append(new TrackerEvent.BlockAdded(block, metadata));
  }

  /** The latest metadata journaled for {@code receiverId} (maybe not yet durable); null if none. */
  synchronized ByteBuffer metadata(String receiverId) {
    return state.metadata(receiverId);
  }

  /**
   * Journals the batch of {@code batchTime} as the unallocated blocks, oldest first, up to
   * {@code maxRecords} and {@code maxBytes} (at least one block), and waits until that is durable.
   */
  List<BlockInfo> allocate(long batchTime, long maxRecords, long maxBytes) {
    List<BlockInfo> blocks;
    CompletableFuture<RecordHandle> durable;
    synchronized (this) {
      blocks = state.unallocated();
      long records = 0;
      long bytes = 0;
      for (int i = 0; i < blocks.size(); i++) {
        records += blocks.get(i).recordCount();
        bytes += blocks.get(i).bytes();
        if (i > 0 && (records > maxRecords || bytes > maxBytes)) {
          blocks = new java.util.ArrayList<>(blocks.subList(0, i)); // the rest waits its turn
          break;
        }
      }
      // Events are bounded by the log's record size: a large batch takes several, all appended
      // here under the lock, and the batch runs only after the last one is durable.
      int from = 0;
      do {
        int to = from;
        long size = 64;
        while (to < blocks.size() && (to == from
            || size + TrackerEvent.encodedSize(blocks.get(to)) <= maxRecordSize)) {
          size += TrackerEvent.encodedSize(blocks.get(to));
          to++;
        }
        durable = append(new TrackerEvent.BatchAllocated(batchTime, blocks.subList(from, to)));
        from = to;
      } while (from < blocks.size());
    }
    Futures.await(durable, "journaling the allocation of batch " + batchTime);
    return blocks;
  }

  /**
   * Journals that the batch of {@code batchTime} completed and waits until that is durable. If the
   * metadata log has rolled, also writes a snapshot, so that the {@link LogCleaner} can delete the
   * segments before it and the log stays small on an endless stream.
   *
   * @return the sequence of that snapshot, before which the metadata log is no longer needed, or
   *     -1 if none was written
   */
  long complete(long batchTime) {
    CompletableFuture<RecordHandle> durable;
    boolean snapshotted = false;
    synchronized (this) {
      durable = append(new TrackerEvent.BatchCompleted(batchTime));
      if (log.stats().segments() > 1) {
        TrackerEvent.Snapshot snapshot = state.snapshot();
        ByteBuffer bytes = TrackerEvent.encode(snapshot);
        // A backlog too large for one record is compacted after a later batch takes it.
        if (bytes.remaining() <= maxRecordSize) {
          durable = log.append(bytes);
          state.apply(snapshot, "new snapshot");
          snapshotted = true;
        }
      }
    }
    RecordHandle last = Futures.await(durable, "journaling the completion of batch " + batchTime);
    return snapshotted ? last.sequence() : -1;
  }

  private CompletableFuture<RecordHandle> append(TrackerEvent event) {
    // Append first: if the log refuses, the state stays the replay of the log.
    CompletableFuture<RecordHandle> f = log.append(TrackerEvent.encode(event));
    state.apply(event, "new event");
    return f;
  }

  /** The oldest data-log sequence each receiver's blocks still need, for receivers with blocks. */
  synchronized Map<String, Long> oldestNeeded() {
    return state.oldestNeeded();
  }

  /** Every block not yet in a completed batch. */
  synchronized List<BlockInfo> allBlocks() {
    return state.allBlocks();
  }

  synchronized long lastBatchTime() {
    return state.lastBatchTime();
  }

  synchronized int uncompletedCount() {
    return state.uncompletedCount();
  }

  synchronized int unallocatedCount() {
    return state.unallocatedCount();
  }
}
