/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Positional reads of one local file; safe for several threads (positional channel reads). */
final class LocalSegmentInput implements SegmentInput {
  private final FileChannel channel;
  private final Path path;

  LocalSegmentInput(FileChannel channel, Path path) {
    this.channel = channel;
    this.path = path;
  }

  @Override
  public long size() throws IOException {
    try {
      return channel.size();
    } catch (IOException e) {
      throw LocalFiles.failure("size of", path, e);
    }
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    try {
      return channel.read(dst, position);
    } catch (IOException e) {
      throw LocalFiles.failure("read at position " + position + " of", path, e);
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
