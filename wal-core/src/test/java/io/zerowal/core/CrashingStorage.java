/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.CrashPointStorage;
import io.zerowal.core.storage.MemoryStorage;

/**
 * A {@link MemoryStorage} that loses power on request: now ({@link #crashNow()}, from any thread) or
 * just before its N-th namespace or file operation ({@link #crashBeforeOperation(int)}), so that a
 * crash inside {@code truncateBefore} or inside recovery is replayable from a number. Every call
 * counts, reads included, and so do the writes and syncs of the outputs it hands out, so a crash can
 * be placed between a group's write and its sync; only closing an output does not.
 */
final class CrashingStorage extends CrashPointStorage {

  CrashingStorage(MemoryStorage memory, long crashSeed) {
    super(memory, crashSeed, operation -> operation != Operation.CLOSE, false);
  }

  /** Crashes just before the operation after the next {@code operations} ones (0: the next one). */
  synchronized void crashBeforeOperation(int operations) {
    crashAt(operations() + operations + 1);
  }

  /**
   * A thread (not started) that waits for {@code reached} (at most 30 s), then crashes this storage
   * now if {@code atOperation} is negative, else just before the operation after the next
   * {@code atOperation} ones.
   */
  Thread crasher(java.util.concurrent.CountDownLatch reached, int atOperation) {
    return new Thread(() -> {
      try {
        reached.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (atOperation < 0) {
        crashNow();
      } else {
        crashBeforeOperation(atOperation);
      }
    }, "crasher");
  }
}
