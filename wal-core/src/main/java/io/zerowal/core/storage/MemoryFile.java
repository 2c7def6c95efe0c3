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
   * What a power loss leaves of this file: the durable bytes with a prefix of the dirty range
   * written over them. The prefix is empty in a quarter of the cases, complete in a quarter, and
   * cut at a uniformly random byte otherwise, so tests see both extremes often.
   */
  MemoryFile survivor(Random random) {
    MemoryBytes after = durable.copy();
    if (dirtyFrom < dirtyTo) {
      long span = dirtyTo - dirtyFrom;
      long kept = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> span;
        default -> random.nextLong(span + 1);
      };
      after.copyFrom(current, dirtyFrom, dirtyFrom + kept);
    }
    return new MemoryFile(after, after.copy());
  }
}
