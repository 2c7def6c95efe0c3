package io.zerowal.receiver;

import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Journals which blocks exist and which batch each went into, in the metadata log (a
 * {@link WriteAheadLog} of {@link TrackerEvent}s), and keeps the same state in memory.
 *
 * <p>Every change appends its event and applies it to the in-memory state under one lock, so the
 * state is always exactly the replay of the log's prefix up to the last appended event; a snapshot
 * taken under that lock can therefore replace everything before it. Callers wait for an event's
 * durability outside the lock. Thread-safe.
 */
final class BlockTracker implements AutoCloseable {
  private final WriteAheadLog log;
  private final int maxRecordSize;
  private final TrackerState state; // guarded by this

  /** A tracker over {@code log}, whose content {@code recovered} is the replay of. */
  BlockTracker(WriteAheadLog log, TrackerState recovered, int maxRecordSize) {
    this.log = log;
    this.state = recovered;
    this.maxRecordSize = maxRecordSize;
  }

  /** Journals a block, already durable in its data log; the future completes when the event is durable. */
  synchronized CompletableFuture<RecordHandle> addBlock(BlockInfo block) {
    return append(new TrackerEvent.BlockAdded(block));
  }

  /**
   * Journals the batch of {@code batchTime} as every unallocated block, and waits until that is
   * durable.
   */
  List<BlockInfo> allocate(long batchTime) {
    List<BlockInfo> blocks;
    CompletableFuture<RecordHandle> durable;
    synchronized (this) {
      blocks = state.unallocated();
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
   * metadata log has rolled, also writes a snapshot and deletes the segments before it, so the log
   * stays small on an endless stream.
   *
   * @return the number of metadata segments deleted
   */
  int complete(long batchTime) {
    CompletableFuture<RecordHandle> durable;
    boolean compact = false;
    synchronized (this) {
      durable = append(new TrackerEvent.BatchCompleted(batchTime));
      if (log.stats().segments() > 1) {
        TrackerEvent.Snapshot snapshot = state.snapshot();
        ByteBuffer bytes = TrackerEvent.encode(snapshot);
        // A backlog too large for one record is compacted after a later batch takes it.
        if (bytes.remaining() <= maxRecordSize) {
          durable = log.append(bytes);
          state.apply(snapshot, "new snapshot");
          compact = true;
        }
      }
    }
    RecordHandle last = Futures.await(durable, "journaling the completion of batch " + batchTime);
    return compact ? log.truncateBefore(last.sequence()) : 0;
  }

  private CompletableFuture<RecordHandle> append(TrackerEvent event) {
    // Append first: if the log refuses, the state stays the replay of the log.
    CompletableFuture<RecordHandle> f = log.append(TrackerEvent.encode(event));
    state.apply(event, "new event");
    return f;
  }

  /** The oldest data-log sequence of {@code receiverId} still referred to, or MAX_VALUE. */
  synchronized long oldestNeeded(String receiverId) {
    return state.oldestNeeded(receiverId);
  }

  synchronized long lastBatchTime() {
    return state.lastBatchTime();
  }

  synchronized TreeMap<Long, List<BlockInfo>> uncompleted() {
    return state.uncompleted();
  }

  synchronized int unallocatedCount() {
    return state.unallocated().size();
  }

  WriteAheadLog log() {
    return log;
  }

  @Override
  public void close() {
    log.close();
  }
}
