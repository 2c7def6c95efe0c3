/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentOutput;
import java.util.ArrayDeque;

/**
 * The second thread of a {@link Durability#SYNC} log: it syncs groups the writer has already
 * written while the writer drains, frames and writes the next one, then publishes their
 * {@link Tail} and hands them to the {@link Completer}, in sequence order. One sync covers every
 * group handed over before it started (a batch); the next sync starts as soon as the previous one
 * returned and its batch was passed on.
 *
 * <p>The writer hands a group over only when there is something to overlap with: another append
 * already waiting, or a sync of this thread in flight. Otherwise ({@link #handOver} returns false)
 * it syncs inline as before, so a lone appender pays no thread hand-off. While this thread holds
 * groups ({@link #idle()} false) only it publishes tails, records latencies and submits to the
 * completer; while it is idle only the writer does; the monitor of this object orders the two.
 *
 * <p>Rules this class keeps (see docs and {@code SyncBehindTest}):
 * <ul>
 *   <li>A group is passed on only after a sync that started after the group's bytes were written
 *       (the writer hands a group over after its write returned; the batch is taken before the
 *       sync starts).</li>
 *   <li>A failed sync poisons the log ({@link GroupCommitWriter#poisonBehind}) before any later
 *       group can be handed over; the batch and every group still handed over fail with
 *       {@link LogFailedException}, and no sync runs once the log has failed.</li>
 *   <li>Before a seal or a close the writer waits in {@link #awaitSynced()} until nothing is held,
 *       so no sync runs on an output being sealed or closed.</li>
 * </ul>
 */
final class SyncBehind implements Runnable {
  /** One written group waiting for its sync. */
  private record Written(SegmentOutput output, PendingAppend first, int count, long bytes,
      Tail tail, long oldestNanos) {}

  private final GroupCommitWriter writer;
  private final Completer completer;
  private final LatencyHistogram appendLatency;
  private final Thread thread;
  /** Groups handed over and not yet taken. Guarded by this. */
  private ArrayDeque<Written> handed = new ArrayDeque<>();
  /** Groups taken, being synced and passed on. Guarded by this. */
  private ArrayDeque<Written> taken = new ArrayDeque<>();
  /** Whether this thread holds a batch (between taking it and passing it on). Guarded by this. */
  private boolean busy;
  private boolean stopped;
  private volatile long syncs;

  SyncBehind(GroupCommitWriter writer, Completer completer, LatencyHistogram appendLatency,
      String name) {
    this.writer = writer;
    this.completer = completer;
    this.appendLatency = appendLatency;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  Thread thread() {
    return thread;
  }

  /** Syncs this thread ran (successful ones). */
  long syncs() {
    return syncs;
  }

  /**
   * Hands a written group over, unless nothing would overlap with its sync: then returns false and
   * the writer syncs it inline (this thread is idle and stays so until the next hand-over). Writer
   * thread only.
   *
   * @param othersWaiting whether more appends are already queued behind the group
   * @throws LogFailedException if the log failed (a sync of this thread failed): the group is not
   *     taken and the writer fails it
   */
  synchronized boolean handOver(SegmentOutput output, PendingAppend first, int count, long bytes,
      Tail tail, long oldestNanos, boolean othersWaiting) {
    writer.checkNotFailed();
    if (!othersWaiting && idle()) {
      return false;
    }
    handed.add(new Written(output, first, count, bytes, tail, oldestNanos));
    notifyAll();
    return true;
  }

  /** Whether no group is held. Guarded by this. */
  private boolean idle() {
    return !busy && handed.isEmpty();
  }

  /**
   * Waits until every group handed over is synced and passed on (or failed). Writer thread only,
   * before it seals, closes or syncs the segment itself.
   *
   * @throws LogFailedException if the log failed meanwhile
   */
  synchronized void awaitSynced() {
    Uninterruptibly.run(() -> {
      while (!idle()) {
        wait();
      }
    });
    writer.checkNotFailed();
  }

  /** Waits until nothing is held, then ends the thread. Writer thread only, as it exits. */
  void stop() {
    synchronized (this) {
      Uninterruptibly.run(() -> {
        while (!idle()) {
          wait();
        }
      });
      stopped = true;
      notifyAll();
    }
    Uninterruptibly.run(thread::join);
  }

  @Override
  public void run() {
    while (true) {
      synchronized (this) {
        while (handed.isEmpty() && !stopped) {
          try {
            wait();
          } catch (InterruptedException e) {
            // only stop() ends this thread: every handed group must be synced or failed
          }
        }
        if (handed.isEmpty()) {
          return;
        }
        ArrayDeque<Written> batch = handed;
        handed = taken;
        taken = batch;
        busy = true;
      }
      try {
        syncAndPassOn(taken);
      } catch (Throwable t) {
        // Not a sync failure (those are handled inside): an error passing the batch on. The writer
        // must not wait forever for this batch, so the log fails; futures already completed stay so.
        failAll(taken, t);
      }
      synchronized (this) {
        taken.clear();
        busy = false;
        notifyAll();
      }
    }
  }

  /** Syncs the output of the batch and passes its groups on, or fails them all. */
  private void syncAndPassOn(ArrayDeque<Written> batch) {
    Throwable error = null;
    if (writer.failure() != null) {
      error = writer.failure(); // never sync after a failure: fail what was handed over
    } else {
      try {
        // Every group of a batch is in one segment: the writer waits for this thread before it
        // seals, so the segment cannot change under a batch.
        batch.peekLast().output().sync();
        syncs++;
      } catch (Throwable t) {
        error = t;
      }
    }
    if (error != null) {
      failAll(batch, error);
      return;
    }
    long now = System.nanoTime();
    for (Written w : batch) {
      appendLatency.record(now - w.oldestNanos(), w.count());
    }
    writer.publish(batch.peekLast().tail());
    for (Written w : batch) {
      completer.submit(w.first(), w.count(), w.bytes());
    }
  }

  /**
   * Poisons the log, then fails the batch and whatever was handed over meanwhile: no group can be
   * handed over after the poison (handOver checks it under this monitor).
   */
  private void failAll(ArrayDeque<Written> batch, Throwable error) {
    LogFailedException failure = writer.poisonBehind(error);
    ArrayDeque<Written> rest;
    synchronized (this) {
      rest = handed;
      handed = new ArrayDeque<>();
    }
    fail(batch, failure);
    fail(rest, failure);
  }

  /**
   * Fails the futures of {@code groups} (a no-op for those already completed). Their bytes stay
   * counted, as for a group the writer fails: the log is dead and its appenders are woken as it
   * stops. A group the completer already completed has its links cut: the walk ends there.
   */
  private void fail(ArrayDeque<Written> groups, LogFailedException failure) {
    for (Written w : groups) {
      PendingAppend p = w.first();
      for (int i = 0; i < w.count() && p != null; i++) {
        p.completeExceptionally(failure);
        p = p.next;
      }
    }
  }
}
