/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte sequence whose bytes past the backing array read as zeros, so that preallocated
 * space costs no memory. Writes grow the array geometrically: a write costs the bytes written.
 * Not thread-safe: {@link MemoryStorage} guards every instance with its monitor.
 */
final class MemoryBytes {
  /** The largest array the JVM reliably allocates; written data must end below it. */
  static final long MAX_WRITTEN_END = Integer.MAX_VALUE - 16;
  private static final byte[] ZEROS = new byte[8192];

  /** Invariant: every backing byte at or past {@link #length} is zero. */
  private byte[] data = new byte[0];
  private long length;

  MemoryBytes(long zeros) {
    this.length = zeros;
  }

  MemoryBytes(byte[] bytes) {
    this.data = bytes.clone();
    this.length = bytes.length;
  }

  long length() {
    return length;
  }

  MemoryBytes copy() {
    MemoryBytes copy = new MemoryBytes(length);
    copy.data = Arrays.copyOf(data, (int) Math.min(data.length, length));
    return copy;
  }

  /** Consumes {@code count} bytes from {@code srcs} in order into {@code [position, position+count)}. */
  void write(long position, ByteBuffer[] srcs, int offset, int length, long count) {
    ensureBacked(position + count);
    int at = (int) position;
    long left = count;
    for (int i = offset; i < offset + length && left > 0; i++) {
      int n = (int) Math.min(srcs[i].remaining(), left);
      srcs[i].get(data, at, n);
      at += n;
      left -= n;
    }
    this.length = Math.max(this.length, position + count);
  }

  /** Copies {@code src[from, to)} to the same positions here, growing this sequence if needed. */
  void copyFrom(MemoryBytes src, long from, long to) {
    if (to <= from) {
      return;
    }
    ensureBacked(to);
    src.read(from, ByteBuffer.wrap(data, (int) from, (int) (to - from)));
    length = Math.max(length, to);
  }

  /** Reads into {@code dst} from {@code position}; -1 at or past the end. */
  int read(long position, ByteBuffer dst) {
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), length - position);
    int backed = (int) Math.max(0, Math.min(n, data.length - position));
    if (backed > 0) {
      dst.put(data, (int) position, backed);
    }
    for (int zeros = n - backed; zeros > 0; zeros -= Math.min(zeros, ZEROS.length)) {
      dst.put(ZEROS, 0, Math.min(zeros, ZEROS.length));
    }
    return n;
  }

  /** Cuts or zero-extends to {@code newLength}. */
  void setLength(long newLength) {
    if (newLength < length && newLength < data.length) {
      Arrays.fill(data, (int) newLength, (int) Math.min(data.length, length), (byte) 0);
    }
    length = newLength;
  }

  byte[] toArray() {
    return Arrays.copyOf(data, Math.toIntExact(length));
  }

  private void ensureBacked(long end) {
    if (end > data.length) {
      long grown = Math.max(end, Math.min(MAX_WRITTEN_END, Math.max(64, 2L * data.length)));
      data = Arrays.copyOf(data, (int) grown);
    }
  }
}
