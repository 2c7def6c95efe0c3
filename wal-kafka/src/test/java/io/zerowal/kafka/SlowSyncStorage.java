/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A storage whose syncs wait while it is {@link #hold() held}: the blocks written meanwhile stay
 * in flight (written, not durable) until {@link #release()}, as on a slow disk.
 */
final class SlowSyncStorage implements Storage {
  private final Storage delegate;
  private boolean held; // guarded by this

  SlowSyncStorage(Storage delegate) {
    this.delegate = delegate;
  }

  synchronized void hold() {
    held = true;
  }

  synchronized void release() {
    held = false;
    notifyAll();
  }

  private synchronized void awaitReleased() throws IOException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (held) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("test: sync held for 30 s");
      }
      try {
        wait(left / 1_000_000 + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("test: interrupted while a sync was held");
      }
    }
  }

  private SegmentOutput slow(SegmentOutput out) {
    return new SegmentOutput() {
      @Override
      public long position() {
        return out.position();
      }

      @Override
      public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        out.write(srcs, offset, length);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void sync() throws IOException {
        awaitReleased();
        out.sync();
      }

      @Override
      public void truncateToPosition() throws IOException {
        out.truncateToPosition();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  @Override
  public String describe() {
    return "slow-sync " + delegate.describe();
  }

  @Override
  public void lockForWriting() throws IOException {
    delegate.lockForWriting();
  }

  @Override
  public void checkLock() throws IOException {
    delegate.checkLock();
  }

  @Override
  public List<String> list() throws IOException {
    return delegate.list();
  }

  @Override
  public boolean exists(String name) throws IOException {
    return delegate.exists(name);
  }

  @Override
  public long size(String name) throws IOException {
    return delegate.size(name);
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    return slow(delegate.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return slow(delegate.openForWrite(name, position));
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    return delegate.openForRead(name);
  }

  @Override
  public void truncate(String name, long size) throws IOException {
    delegate.truncate(name, size);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    delegate.rename(from, to);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public void syncDirectory() throws IOException {
    delegate.syncDirectory();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
