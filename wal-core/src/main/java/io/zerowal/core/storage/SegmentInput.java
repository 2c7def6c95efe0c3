/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Positional reads from one file. Safe for use by several threads at once. */
public interface SegmentInput extends Closeable {

  /**
   * The current size of the file in bytes.
   *
   * @return the size in bytes
   * @throws IOException if the storage fails
   */
  long size() throws IOException;

  /**
   * Reads up to {@code dst.remaining()} bytes starting at {@code position} into {@code dst}.
   *
   * @param dst the buffer to fill, from its position to its limit
   * @param position the offset in the file of the first byte to read
   * @return the number of bytes read, or -1 if {@code position} is at or past the end of the file
   * @throws IOException if the storage fails
   */
  int read(ByteBuffer dst, long position) throws IOException;

  /**
   * Fills {@code dst} completely from {@code position}.
   *
   * @param dst the buffer to fill, from its position to its limit
   * @param position the offset in the file of the first byte to read
   * @throws java.io.EOFException if the file ends first
   */
  default void readFully(ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = read(dst, pos);
      if (n < 0) {
        throw new java.io.EOFException("file ends at " + pos + " before " + dst.remaining()
            + " more bytes could be read");
      }
      pos += n;
    }
  }
}
