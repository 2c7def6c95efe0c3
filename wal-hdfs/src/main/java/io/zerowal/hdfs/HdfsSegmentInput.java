/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import io.zerowal.core.storage.SegmentInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;

/**
 * Positional reads of an HDFS file, which may still be open for write.
 *
 * <p>An HDFS input stream's length is fixed when it opens: for a file being written it is the
 * length visible then (what was hflushed), not the NameNode's length, which lags until a block
 * completes. So that the log can read records written after this input was opened, a read that
 * reaches past the known end of a file still open for write reopens the stream first. Reads run in
 * parallel (pread); a reopen waits for them and they for it.
 */
final class HdfsSegmentInput implements SegmentInput {
  private final FileSystem fs;
  private final Path path;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private FSDataInputStream in; // guarded by lock
  private long length; // guarded by lock
  private boolean mayGrow; // guarded by lock
  /** Whether {@link #in} reads into a ByteBuffer itself (HDFS does); guarded by lock. */
  private boolean preadsByteBuffers;
  private boolean closed; // guarded by lock

  HdfsSegmentInput(FileSystem fs, Path path) throws IOException {
    this.fs = fs;
    this.path = path;
    open();
  }

  /** The length of {@code path} as a reader sees it: what was hflushed, if it is still being written. */
  static long visibleLength(FileSystem fs, Path path) throws IOException {
    if (fs instanceof DistributedFileSystem && !((DistributedFileSystem) fs).isFileClosed(path)) {
      try (FSDataInputStream in = fs.open(path)) {
        return visibleLength(in, fs, path);
      }
    }
    return fs.getFileStatus(path).getLen();
  }

  private static long visibleLength(FSDataInputStream in, FileSystem fs, Path path)
      throws IOException {
    return in instanceof HdfsDataInputStream ? ((HdfsDataInputStream) in).getVisibleLength()
        : fs.getFileStatus(path).getLen();
  }

  private void open() throws IOException {
    // Closed-ness first: a file that was closed before the stream opened cannot grow after it.
    boolean growing = fs instanceof DistributedFileSystem
        && !((DistributedFileSystem) fs).isFileClosed(path);
    FSDataInputStream opened = fs.open(path);
    try {
      length = visibleLength(opened, fs, path);
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
    in = opened;
    mayGrow = growing;
    preadsByteBuffers = opened.hasCapability(StreamCapabilities.PREADBYTEBUFFER);
  }

  @Override
  public long size() throws IOException {
    lock.writeLock().lock();
    try {
      ensureOpen();
      if (mayGrow) {
        reopen();
      }
      return length;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position + " in " + path);
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    lock.readLock().lock();
    try {
      ensureOpen();
      if (!mayGrow || position + dst.remaining() <= length) {
        return readKnown(dst, position);
      }
    } finally {
      lock.readLock().unlock();
    }
    lock.writeLock().lock();
    try {
      ensureOpen();
      if (mayGrow && position + dst.remaining() > length) {
        reopen();
      }
      return readKnown(dst, position);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Reads within the known length; the caller holds the lock. */
  private int readKnown(ByteBuffer dst, long position) throws IOException {
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), length - position);
    try {
      if (dst.hasArray()) {
        in.readFully(position, dst.array(), dst.arrayOffset() + dst.position(), n);
        dst.position(dst.position() + n);
      } else if (preadsByteBuffers && !dst.isReadOnly()) {
        // Straight into a direct buffer (Batch.visit's): no array per read, no second copy.
        in.readFully(position, dst.duplicate().limit(dst.position() + n));
        dst.position(dst.position() + n);
      } else {
        byte[] bytes = new byte[n];
        in.readFully(position, bytes, 0, n);
        dst.put(bytes);
      }
    } catch (IOException e) {
      throw HdfsFailures.translate("read " + n + " bytes at position " + position + " of", path, e);
    }
    return n;
  }

  private void reopen() throws IOException {
    FSDataInputStream old = in;
    try {
      open();
    } catch (IOException e) {
      throw HdfsFailures.translate("reopen (to see bytes written since it was opened)", path, e);
    }
    old.close();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("input of HDFS segment " + path + " is closed");
    }
  }

  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        in.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
