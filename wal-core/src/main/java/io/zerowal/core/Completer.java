/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes the futures of committed groups on a thread of its own, in commit order, while the
 * writer already frames, writes and syncs the next group. Completing a future runs the caller's
 * callbacks; doing that on the writer thread between syncs left the disk idle for most of each
 * group (see docs/BENCHMARKS.md, "Inline completion").
 *
 * <p>A group's bytes count against {@code maxPendingBytes} until its futures are completed, so a
 * slow callback still pushes back on appenders.
 */
final class Completer implements Runnable {
  private static final Object END = new Object();

  /** One committed group: {@code count} appends linked from {@code first}. */
  private record Group(PendingAppend first, int count, long bytes) {}

  private final BlockingQueue<Object> groups = new ArrayBlockingQueue<>(1024);
  /** Groups handed over and not yet completed. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final GroupCommitWriter writer;
  private final LogId logId;
  private final Thread thread;

  Completer(GroupCommitWriter writer, LogId logId, String name) {
    this.writer = writer;
    this.logId = logId;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  Thread thread() {
    return thread;
  }

  /**
   * Completes a durable group: on this thread, or right here on the writer thread when nothing
   * handed over is still completing (so sequence order holds) and the group is either small or
   * made of small records.
   *
   * <p>Completing on this thread pays off by overlapping the completions with the writer's next
   * write and sync, whose time grows with the group's bytes; the hand-off itself (a thread
   * wake-up per group) costs the same whatever the bytes. The thresholds below come from the
   * measurements in docs/BENCHMARKS.md ("Inline completion"). One thread at a time: the writer,
   * or {@link SyncBehind} while it holds synced groups (its monitor orders the two); waits if
   * 1,024 groups are still completing.
   */
  void submit(PendingAppend first, int count, long bytes) {
    if ((count <= INLINE_GROUP || bytes < (long) count * INLINE_AVERAGE_FRAME)
        && inFlight.get() == 0) {
      complete(first, count);
      writer.release(bytes);
      return;
    }
    inFlight.incrementAndGet();
    put(new Group(first, count, bytes));
  }

  /** Groups up to this size are completed inline when the completer is idle. */
  static final int INLINE_GROUP = 4;

  /**
   * Groups whose frames average fewer bytes than this are completed inline when the completer is
   * idle: their write and sync are too short for the overlap to pay for the hand-off.
   */
  static final int INLINE_AVERAGE_FRAME = 512;

  /** Completes what was handed over, then stops; returns once it has. Writer thread only. */
  void finish() {
    if (!thread.isAlive()) {
      return;
    }
    put(END);
    Uninterruptibly.run(thread::join);
  }

  private void put(Object item) {
    // offer first: the waiting put (and the lambda it needs) only when 1,024 groups are queued,
    // not once per group on the writer's hot path.
    if (!groups.offer(item)) {
      Uninterruptibly.run(() -> groups.put(item));
    }
  }

  @Override
  public void run() {
    while (true) {
      Object item;
      try {
        item = groups.take();
      } catch (InterruptedException e) {
        continue; // only finish() ends this thread: every durable group must be completed
      }
      if (item == END) {
        return;
      }
      Group g = (Group) item;
      complete(g.first(), g.count());
      writer.release(g.bytes());
      inFlight.decrementAndGet();
    }
  }

  private void complete(PendingAppend first, int count) {
    PendingAppend p = first;
    for (int i = 0; i < count; i++) {
      PendingAppend next = p.next;
      if (i < count - 1) {
        p.next = null; // a caller holding an old future must not keep every later one alive
      }
      if (p.claimedByWriter()) {
        // A callback that throws does not escape: CompletableFuture hands it to its dependent.
        p.complete(new RecordHandle(p.segment, p.offset, p.length, p.sequence, logId));
      }
      p = next;
    }
  }
}
