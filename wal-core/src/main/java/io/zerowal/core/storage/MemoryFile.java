/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * One file of a {@link MemoryStorage}: the bytes the process sees and the bytes the medium holds.
 * The node is shared by every name it has had, so a rename undone by a crash keeps the same data.
 * Not thread-safe: {@link MemoryStorage} guards every instance with its monitor.
 *
 * <p>Invariant: outside the dirty range, {@code current} equals {@code durable} up to the shorter
 * of the two. A writer only extends a file by writing, and every other length change (create
 * preallocation, {@code Storage.truncate}) is synced at once, so the dirty range covers every byte
 * that a power loss may lose.
 */
final class MemoryFile {
  /** The unit in which {@link #survivor} may write back an unsynced range out of order. */
  static final int PAGE = 4096;

  private MemoryBytes current;
  private MemoryBytes durable;
  /** {@code [dirtyFrom, dirtyTo)} bounds every byte written since the last sync; empty if from >= to. */
  private long dirtyFrom = Long.MAX_VALUE;
  private long dirtyTo;

  private MemoryFile(MemoryBytes current, MemoryBytes durable) {
    this.current = current;
    this.durable = durable;
  }

  /** A file of {@code zeros} zero bytes, durable at once (as preallocation with write + fsync). */
  static MemoryFile preallocated(long zeros) {
    return new MemoryFile(new MemoryBytes(zeros), new MemoryBytes(zeros));
  }

  long length() {
    return current.length();
  }

  int read(long position, ByteBuffer dst) {
    return current.read(position, dst);
  }

  void write(long position, ByteBuffer[] srcs, int offset, int length, long count) {
    current.write(position, srcs, offset, length, count);
    if (count > 0) {
      dirtyFrom = Math.min(dirtyFrom, position);
      dirtyTo = Math.max(dirtyTo, position + count);
    }
  }

  /** Cuts what the process sees; the medium keeps the old length until {@link #sync()}. */
  void cutVisible(long size) {
    current.setLength(Math.min(size, current.length()));
    dirtyTo = Math.min(dirtyTo, current.length());
  }

  /** Makes the current content and length durable. Costs the bytes written since the last sync. */
  void sync() {
    if (dirtyFrom < dirtyTo) {
      durable.copyFrom(current, dirtyFrom, dirtyTo);
    }
    durable.setLength(current.length());
    dirtyFrom = Long.MAX_VALUE;
    dirtyTo = 0;
  }

  /** Damage on the medium: both views become {@code bytes}. */
  void replace(byte[] bytes) {
    current = new MemoryBytes(bytes);
    durable = new MemoryBytes(bytes);
    dirtyFrom = Long.MAX_VALUE;
    dirtyTo = 0;
  }

  byte[] contents() {
    return current.toArray();
  }

  /**
   * What a power loss leaves of this file: the durable bytes with part of the dirty range written
   * over them, chosen from {@code random}, so that tests see every case often:
   * <ul>
   *   <li>nothing of the dirty range (a fifth of the cases), or all of it (a fifth);</li>
   *   <li>a prefix cut at a uniformly random byte, possibly mid-frame (two fifths);</li>
   *   <li>pages written back out of order (a fifth): each {@value #PAGE}-byte page (aligned to
   *       the file) that the dirty range touches is kept or lost on its own, so a later page may
   *       survive an earlier one, as disks and kernels do within an unsynced range.</li>
   * </ul>
   */
  MemoryFile survivor(Random random) {
    MemoryBytes after = durable.copy();
    if (dirtyFrom < dirtyTo) {
      long span = dirtyTo - dirtyFrom;
      switch (random.nextInt(5)) {
        case 0 -> { }
        case 1 -> after.copyFrom(current, dirtyFrom, dirtyTo);
        case 2, 3 -> after.copyFrom(current, dirtyFrom, dirtyFrom + random.nextLong(span + 1));
        default -> {
          for (long page = dirtyFrom - dirtyFrom % PAGE; page < dirtyTo; page += PAGE) {
            if (random.nextBoolean()) {
              after.copyFrom(current, Math.max(page, dirtyFrom), Math.min(page + PAGE, dirtyTo));
            }
          }
        }
      }
    }
    return new MemoryFile(after, after.copy());
  }
}
