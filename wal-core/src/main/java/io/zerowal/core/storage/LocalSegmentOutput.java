/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Writes one local file at a tracked position. The channel's own position is kept equal to it, so
 * a gathering write lands where {@link #position()} says. Used by one thread at a time, except
 * {@link #sync()}, which may run on another thread during a write ({@code FileChannel.force} needs
 * no lock against writes).
 */
final class LocalSegmentOutput implements SegmentOutput {
  private final FileChannel channel;
  private final Path path;
  private long position;

  LocalSegmentOutput(FileChannel channel, Path path, long position) throws IOException {
    this.channel = channel;
    this.path = path;
    this.position = position;
    channel.position(position);
  }

  @Override
  public long position() {
    return position;
  }

  /** Loops until every buffer is consumed: one gathering write may write only part of them. */
  @Override
  public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    int first = offset;
    int end = offset + length;
    try {
      while (true) {
        while (first < end && !srcs[first].hasRemaining()) {
          first++;
        }
        if (first == end) {
          return;
        }
        position += channel.write(srcs, first, end - first);
      }
    } catch (IOException e) {
      throw LocalFiles.failure("write at position " + position + " of", path, e);
    }
  }

  /** Nothing to do: channel writes are already in the operating system. */
  @Override
  public void flush() {}

  /** {@code force(false)}: data, and the size if it changed, reach the medium. */
  @Override
  public void sync() throws IOException {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw LocalFiles.failure("sync", path, e);
    }
  }

  @Override
  public void truncateToPosition() throws IOException {
    try {
      channel.truncate(position);
    } catch (IOException e) {
      throw LocalFiles.failure("truncate at position " + position + " of", path, e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } catch (IOException e) {
      throw LocalFiles.failure("close", path, e);
    }
  }
}
