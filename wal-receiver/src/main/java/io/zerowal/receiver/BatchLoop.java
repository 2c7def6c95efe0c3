/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine's batch thread does: first re-runs the batches recovery found uncompleted, then
 * every {@code batchInterval} journals the allocation of every unallocated block to a batch, hands
 * the batch to the {@link BatchProcessor}, journals its completion and hands the cleanup (the
 * {@link LogCleaner} deleting what no batch needs any more) to its {@link CleanupThread}. Ends when
 * halted, or after a last batch once a drain is requested, once the cleanups requested have run.
 * Batch times are unique and increasing, across restarts too.
 */
final class BatchLoop {
  private static final Logger log = LoggerFactory.getLogger(BatchLoop.class);

  private final EngineConfig config;
  private final BlockTracker tracker;
  private final CleanupThread cleanup;
  private final Backlog backlog;
  private final DiskQuota quota;
  private final Map<String, WriteAheadLog> dataLogs;
  private TreeMap<Long, List<BlockInfo>> toRerun; // only the batch thread, until it has re-run them

  private final Object wakeup = new Object();
  private volatile boolean drainRequested;
  private volatile boolean haltRequested;

  private final AtomicLong batchesCompleted = new AtomicLong();
  private final AtomicLong recordsProcessed = new AtomicLong();
  private volatile BatchStats lastBatch;
  private final AtomicLong missedIntervals = new AtomicLong();
  /** Batch.visit's read buffer, kept from batch to batch. */
  private final AtomicReference<ByteBuffer> visitBuffer = new AtomicReference<>();
  private volatile Consumer<BatchStats> onBatchCompleted;
  private volatile List<Consumer<BatchStats>> batchListeners = List.of(); // the engine's, shared
  private RateControl rateControl; // set before the batch thread starts; null: off
  private long lastMissedWarningMillis; // only the batch thread

  BatchLoop(EngineConfig config, EngineLogs logs, LogCleaner cleaner, Backlog backlog,
      DiskQuota quota, EngineThreads threads) {
    this.config = config;
    this.backlog = backlog;
    this.quota = quota;
    this.tracker = logs.tracker();
    this.cleanup = new CleanupThread(cleaner, quota, backlog, threads, this::wake);
    this.dataLogs = logs.dataLogs();
    this.toRerun = logs.toRerun();
  }

  /**
   * Runs batches until halted or drained, then waits for the cleanups requested.
   *
   * @throws EngineFailedException if the processor throws; other exceptions if a log fails or a
   *     cleanup failed
   */
  void run() throws InterruptedException {
    try {
      runBatches();
    } finally {
      cleanup.finish();
    }
    checkCleanup();
  }

  /** Throws the cleanup thread's failure, if any: the engine fails with it. */
  private void checkCleanup() {
    Throwable f = cleanup.failure();
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
  }

  private void runBatches() throws InterruptedException {
    for (Map.Entry<Long, List<BlockInfo>> e : toRerun.entrySet()) {
      if (haltRequested) {
        return;
      }
      runBatch(e.getKey(), e.getValue(), true, e.getKey(), 0);
    }
    toRerun = null;
    long interval = config.batchInterval().toMillis();
    long expected = (System.currentTimeMillis() / interval + 1) * interval;
    while (!haltRequested) {
      long due = Math.max(expected, (System.currentTimeMillis() / interval + 1) * interval);
      sleepUntil(due);
      if (haltRequested) {
        return;
      }
      checkCleanup();
      // The processor overran: the intervals between the one this batch should have had and now
      // are missed. The batch takes everything stored meanwhile (up to the batch caps); its
      // delay, counted from the interval it should have had, and the count make the lag visible
      // instead of hiding it behind the next due time.
      long missed = (due - expected) / interval;
      if (missed > 0) {
        missedIntervals.addAndGet(missed);
        long nowMillis = System.currentTimeMillis();
        if (nowMillis - lastMissedWarningMillis >= 60_000) {
          lastMissedWarningMillis = nowMillis;
          log.warn("engine {}: batches run {} ms late: the BatchProcessor takes longer than"
              + " batchInterval {} ({} intervals missed since start); bound what waits with"
              + " maxUnprocessedBytes", config.name(), nowMillis - expected,
              config.batchInterval(), missedIntervals.get());
        }
      }
      long last = tracker.lastBatchTime();
      // Batch times are unique and increasing even if the clock went back across a restart.
      long batchTime = last == TrackerEvent.NO_BATCH ? due : Math.max(due, last + interval);
      if (drainRequested) {
        // Everything stored goes, in as many batches as the caps allow.
        while (tracker.unallocatedCount() > 0 && !haltRequested) {
          runBatch(batchTime, allocate(batchTime), false, expected, missed);
          batchTime += interval;
        }
        return;
      }
      runBatch(batchTime, allocate(batchTime), false, expected, missed);
      expected = due + interval;
    }
  }

  private List<BlockInfo> allocate(long batchTime) {
    List<BlockInfo> blocks = tracker.allocate(batchTime, config.maxBatchRecords(),
        config.maxBatchBytes());
    quota.allocated(blocks);
    return blocks;
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
      while (!haltRequested && !drainRequested && cleanup.failure() == null
          && (wait = epochMillis - System.currentTimeMillis()) > 0) {
        wakeup.wait(wait);
      }
    }
  }

  /**
   * Runs one batch; {@code dueMillis} is when it should have started (the first interval after
   * the previous batch's), so that its scheduling delay shows how far processing is behind.
   */
  private void runBatch(long batchTime, List<BlockInfo> blocks, boolean recovered,
      long dueMillis, long missed) {
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Batch batch = new Batch(batchTime, blocks, recovered, this::readBlock, visitBuffer);
    try {
      config.processor().process(batch);
    } catch (Exception | Error e) {
      throw new EngineFailedException("batch " + batchTime + " failed in the BatchProcessor: " + e
          + "; it stays uncompleted and re-runs with the same blocks when the engine starts again",
          e);
    }
    long metadataFrom = tracker.complete(batchTime);
    long doneMillis = System.currentTimeMillis();
    long oldest = backlog.oldestRecordMillis(blocks, Math.min(batchTime, startMillis));
    BatchStats stats = new BatchStats(batchTime, blocks.size(), batch.recordCount(), batch.bytes(),
        recovered, Duration.ofMillis(startMillis - Math.min(dueMillis, batchTime)),
        Duration.ofNanos(System.nanoTime() - startNanos),
        Duration.ofMillis(Math.max(0, doneMillis - oldest)), missed);
    lastBatch = stats;
    if (rateControl != null) {
      rateControl.batchCompleted(stats, blocks);
    }
    batchesCompleted.incrementAndGet();
    recordsProcessed.addAndGet(stats.records());
    // Deleting segments waits for the file system's journal: on its own thread, so that the
    // next batch starts on time; the blocks leave the backlog once their segments are gone.
    cleanup.request(metadataFrom, blocks);
    log.debug("{}", stats);
    Consumer<BatchStats> listener = onBatchCompleted;
    if (listener != null) {
      listener.accept(stats);
    }
    for (Consumer<BatchStats> l : batchListeners) {
      l.accept(stats);
    }
  }

  private ByteBuffer readBlock(BlockInfo b, ByteBuffer into) {
    WriteAheadLog log = dataLogs.get(b.receiverId());
    return into == null ? log.read(b.handle()) : log.read(b.handle(), into);
  }

  long batchesCompleted() {
    return batchesCompleted.get();
  }

  long recordsProcessed() {
    return recordsProcessed.get();
  }

  /** Turns rate control on; before the batch thread starts. */
  void rateControl(RateControl control) {
    this.rateControl = control;
  }

  void onBatchCompleted(Consumer<BatchStats> listener) {
    this.onBatchCompleted = listener;
  }

  /** Listeners called after {@code onBatchCompleted}, such as metrics; the list is the engine's. */
  void batchListeners(List<Consumer<BatchStats>> listeners) {
    this.batchListeners = listeners;
  }

  /** Batch intervals that passed without a batch starting, since start: processing overran. */
  long missedIntervals() {
    return missedIntervals.get();
  }

  BatchStats lastBatch() {
    return lastBatch;
  }
}
