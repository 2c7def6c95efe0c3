/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleanup after each batch, on a thread of its own: the {@link LogCleaner} deletes what no
 * batch needs, the {@link DiskQuota} measures the logs again, and the batch's blocks leave the
 * {@link Backlog} (in that order: new stores fill the room only once the processed segments are
 * gone, so disk use stays near {@code maxUnprocessedBytes}).
 *
 * <p>Why not on the batch thread: each deleted segment is an unlink and a directory sync, and on a
 * file system whose journal is busy with the logs' own syncs (a FLUSH log syncs every 4 MiB in the
 * background, a SYNC log every group) each waits for a journal commit, 25–400 ms. At 800k records
 * of 1 KiB a second a batch deletes about a dozen 64 MiB segments, and the cleanup measured 300–800
 * ms a batch against 200–300 ms of processing: on the batch thread it made batches miss their
 * interval. Here the next batch starts on time while the previous one's segments are deleted.
 *
 * <p>Requests that arrive while a cleanup runs are merged into the next one (the newest metadata
 * floor, all the blocks). A cleanup that fails is kept for the batch thread, which fails the
 * engine with it at its next step; the batch thread calls {@link #finish} before the logs close,
 * so that every requested cleanup has run (or failed) by then.
 */
final class CleanupThread {
  private static final Logger log = LoggerFactory.getLogger(CleanupThread.class);

  private final LogCleaner cleaner;
  private final DiskQuota quota;
  private final Backlog backlog;
  private final EngineThreads threads;
  private final Runnable onFailure;
  private final Object lock = new Object();
  // guarded by lock
  private Thread thread;
  private long metadataFrom = -1;
  private List<List<BlockInfo>> processed = new ArrayList<>();
  private boolean requested;
  private boolean finished;
  private volatile Throwable failure;

  /**
   * The thread starts through {@code threads} at the first request; {@code onFailure} runs on it
   * after a failure is kept, to wake the batch thread.
   */
  CleanupThread(LogCleaner cleaner, DiskQuota quota, Backlog backlog, EngineThreads threads,
      Runnable onFailure) {
    this.cleaner = cleaner;
    this.quota = quota;
    this.backlog = backlog;
    this.threads = threads;
    this.onFailure = onFailure;
  }

  /**
   * Asks for a cleanup after a batch of {@code blocks} completed; {@code metadataFrom} is the
   * sequence of the snapshot it wrote (negative for none). Batch thread only; the first call starts
   * the thread.
   */
  void request(long metadataFrom, List<BlockInfo> blocks) {
    synchronized (lock) {
      if (finished) {
        throw new IllegalStateException("cleanup requested after finish()");
      }
      this.metadataFrom = Math.max(this.metadataFrom, metadataFrom);
      processed.add(blocks);
      requested = true;
      if (thread == null) {
        thread = threads.start("cleanup", false, this::run);
      }
      lock.notifyAll();
    }
  }

  /** The first cleanup failure, or null. */
  Throwable failure() {
    return failure;
  }

  /**
   * Waits for the requested cleanups to run and ends the thread; no request may follow. Waits
   * even if interrupted (the logs close next), and keeps the interrupt.
   */
  void finish() {
    Thread t;
    synchronized (lock) {
      finished = true;
      lock.notifyAll();
      t = thread;
    }
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      long from;
      List<List<BlockInfo>> blocks;
      synchronized (lock) {
        while (!requested && !finished) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            // only finish() ends this thread, after the work requested before it
          }
        }
        if (!requested) {
          return;
        }
        from = metadataFrom;
        blocks = processed;
        metadataFrom = -1;
        processed = new ArrayList<>();
        requested = false;
      }
      if (failure != null) {
        continue; // the engine is failing: delete nothing more, keep nothing waiting
      }
      try {
        LogCleaner.Deleted deleted = cleaner.clean(from);
        quota.measure(); // the deleted segments' room is free
        for (List<BlockInfo> b : blocks) {
          backlog.processed(b);
        }
        log.debug("cleanup after {} batches: deleted {} data and {} metadata segments",
            blocks.size(), deleted.dataSegments(), deleted.metadataSegments());
      } catch (RuntimeException | Error e) {
        failure = e;
        onFailure.run();
      }
    }
  }
}
