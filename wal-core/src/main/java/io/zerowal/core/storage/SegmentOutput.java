/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An append-only writer of one file. Used by one thread at a time (the log's writer thread), with
 * one exception: {@link #sync()} may be called from another thread (the background syncer of a
 * {@code FLUSH} or {@code NONE} log) while the writer thread writes, and must then make durable at
 * least the bytes whose write returned before it started, without disturbing the writes.
 * {@code FileChannel.force} and HDFS {@code hsync} allow this; an implementation that does not must
 * synchronize the two.
 */
public interface SegmentOutput extends Closeable {

  /**
   * {@return the position the next write goes to: the number of bytes written into the file so far}
   */
  long position();

  /**
   * Writes all remaining bytes of {@code srcs[offset .. offset+length)} at {@link #position()}, in
   * order, as one gathering write where the medium allows it. On return every buffer is consumed.
   * A failure may leave any prefix of the bytes written.
   *
   * @param srcs the buffers to write
   * @param offset the index of the first buffer to write
   * @param length how many buffers to write
   * @throws IOException if the write fails
   */
  void write(ByteBuffer[] srcs, int offset, int length) throws IOException;

  /**
   * Writes all remaining bytes of {@code src}.
   *
   * @param src the bytes to write
   * @throws IOException if the write fails
   */
  default void write(ByteBuffer src) throws IOException {
    write(new ByteBuffer[] {src}, 0, 1);
  }

  /**
   * Hands written bytes to the operating system (or HDFS datanodes): they survive a process crash.
   *
   * @throws IOException if the flush fails: the bytes may not have reached the operating system
   */
  void flush() throws IOException;

  /**
   * Makes written bytes durable on the medium: they survive a power loss.
   *
   * @throws IOException if the sync fails: the log then fails, as the pages may be lost
   */
  void sync() throws IOException;

  /**
   * Cuts the file at the current {@link #position()}, dropping bytes reserved by preallocation. Not
   * durable until the next {@link #sync()}.
   *
   * @throws IOException if the storage fails
   */
  void truncateToPosition() throws IOException;

  /** Closes the file without syncing it. */
  @Override
  void close() throws IOException;
}
