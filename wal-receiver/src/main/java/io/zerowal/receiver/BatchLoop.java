package io.zerowal.receiver;

import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine's batch thread does: first re-runs the batches recovery found uncompleted, then
 * every {@code batchInterval} journals the allocation of every unallocated block to a batch, hands
 * the batch to the {@link BatchProcessor}, journals its completion and has the {@link LogCleaner}
 * delete what no batch needs any more. Ends when halted, or after a last batch once a drain is
 * requested. Batch times are unique and increasing, across restarts too.
 */
final class BatchLoop {
  private static final Logger log = LoggerFactory.getLogger(BatchLoop.class);

  private final EngineConfig config;
  private final BlockTracker tracker;
  private final LogCleaner cleaner;
  private final Map<String, WriteAheadLog> dataLogs;
  private TreeMap<Long, List<BlockInfo>> toRerun; // only the batch thread, until it has re-run them

  private final Object wakeup = new Object();
  private volatile boolean drainRequested;
  private volatile boolean haltRequested;

  private final AtomicLong batchesCompleted = new AtomicLong();
  private final AtomicLong recordsProcessed = new AtomicLong();
  private volatile BatchStats lastBatch;

  BatchLoop(EngineConfig config, EngineLogs logs, LogCleaner cleaner) {
    this.config = config;
    this.tracker = logs.tracker();
    this.cleaner = cleaner;
    this.dataLogs = logs.dataLogs();
    this.toRerun = logs.toRerun();
  }

  /**
   * Runs batches until halted or drained.
   *
   * @throws EngineFailedException if the processor throws; other exceptions if a log fails
   */
  void run() throws InterruptedException {
    for (Map.Entry<Long, List<BlockInfo>> e : toRerun.entrySet()) {
      if (haltRequested) {
        return;
      }
      runBatch(e.getKey(), e.getValue(), true);
    }
    toRerun = null;
    long interval = config.batchInterval().toMillis();
    while (!haltRequested) {
      long due = (System.currentTimeMillis() / interval + 1) * interval;
      sleepUntil(due);
      if (haltRequested) {
        return;
      }
      long last = tracker.lastBatchTime();
      // Batch times are unique and increasing even if the clock went back across a restart.
      long batchTime = last == TrackerEvent.NO_BATCH ? due : Math.max(due, last + interval);
      if (drainRequested) {
        if (tracker.unallocatedCount() > 0) {
          runBatch(batchTime, tracker.allocate(batchTime), false);
        }
        return;
      }
      runBatch(batchTime, tracker.allocate(batchTime), false);
    }
  }

  /** Runs one last batch of everything stored, then ends; for a graceful stop. */
  void requestDrain() {
    drainRequested = true;
    wake();
  }

  /** Ends after the running batch, if any; for a stop without draining or a failure. */
  void requestHalt() {
    haltRequested = true;
    wake();
  }

  private void wake() {
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
  }

  private void sleepUntil(long epochMillis) throws InterruptedException {
    synchronized (wakeup) {
      long wait;
      while (!haltRequested && !drainRequested
          && (wait = epochMillis - System.currentTimeMillis()) > 0) {
        wakeup.wait(wait);
      }
    }
  }

  private void runBatch(long batchTime, List<BlockInfo> blocks, boolean recovered) {
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Batch batch = new Batch(batchTime, blocks, recovered, this::readBlock);
    try {
      config.processor().process(batch);
    } catch (Exception | Error e) {
      throw new EngineFailedException("batch " + batchTime + " failed in the BatchProcessor: " + e
          + "; it stays uncompleted and re-runs with the same blocks when the engine starts again",
          e);
    }
    long metadataFrom = tracker.complete(batchTime);
    BatchStats stats = new BatchStats(batchTime, blocks.size(), batch.recordCount(), batch.bytes(),
        recovered, Duration.ofMillis(startMillis - batchTime),
        Duration.ofNanos(System.nanoTime() - startNanos));
    lastBatch = stats;
    batchesCompleted.incrementAndGet();
    recordsProcessed.addAndGet(stats.records());
    LogCleaner.Deleted deleted = cleaner.clean(metadataFrom);
    log.debug("{}; deleted {} data and {} metadata segments", stats, deleted.dataSegments(),
        deleted.metadataSegments());
    if (config.onBatchCompleted() != null) {
      config.onBatchCompleted().accept(stats);
    }
  }

  private ByteBuffer readBlock(BlockInfo b) {
    return dataLogs.get(b.receiverId()).read(b.handle());
  }

  long batchesCompleted() {
    return batchesCompleted.get();
  }

  long recordsProcessed() {
    return recordsProcessed.get();
  }

  BatchStats lastBatch() {
    return lastBatch;
  }
}
