/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.client.HdfsDataOutputStream;

/**
 * A segment being written through an HDFS output stream: {@link #flush()} is {@code hflush} (the
 * bytes are on every datanode of the pipeline: they survive this process), {@link #sync()} is
 * {@code hsync} (each datanode fsynced them: they survive a power loss), with the NameNode's length
 * updated too only if the storage was built with {@code updateLengthOnSync}. {@code DFSOutputStream}
 * lets {@code hsync} run on the log's background syncer while the writer thread writes, as HBase's
 * WAL does.
 *
 * <p>The storage proves it still holds the log's lock before it hands out an output (see
 * {@link LockFile}); a writer fenced later fails at its next {@code hflush}/{@code hsync}, because
 * the new owner's lease recovery changed the generation stamp of the segment's last block.
 */
final class HdfsSegmentOutput implements SegmentOutput {
  private static final int COPY_CHUNK = 64 * 1024;

  private final FSDataOutputStream out;
  private final Path path;
  private final boolean updateLength;
  private volatile long position;
  private byte[] scratch; // for direct buffers; writer thread only

  HdfsSegmentOutput(FSDataOutputStream out, Path path, long position, boolean updateLength) {
    this.out = out;
    this.path = path;
    this.position = position;
    this.updateLength = updateLength;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long written = 0;
    try {
      for (int i = offset; i < offset + length; i++) {
        ByteBuffer src = srcs[i];
        int n = src.remaining();
        if (src.hasArray()) {
          out.write(src.array(), src.arrayOffset() + src.position(), n);
          src.position(src.limit());
        } else {
          if (scratch == null) {
            scratch = new byte[COPY_CHUNK];
          }
          while (src.hasRemaining()) {
            int chunk = Math.min(scratch.length, src.remaining());
            src.get(scratch, 0, chunk);
            out.write(scratch, 0, chunk);
          }
        }
        written += n;
      }
    } catch (IOException e) {
      throw failure("write to", e);
    } finally {
      position += written;
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.hflush();
    } catch (IOException e) {
      throw failure("hflush", e);
    }
  }

  @Override
  public void sync() throws IOException {
    try {
      if (updateLength && out instanceof HdfsDataOutputStream) {
        ((HdfsDataOutputStream) out).hsync(EnumSet.of(HdfsDataOutputStream.SyncFlag.UPDATE_LENGTH));
      } else {
        out.hsync();
      }
    } catch (IOException e) {
      throw failure("hsync", e);
    }
  }

  /** Nothing to cut: HdfsStorage ignores preallocation, so the file ends at the position. */
  @Override
  public void truncateToPosition() {}

  /** Closes the file: HDFS completes its last block (the bytes were hflushed, not fsynced). */
  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (IOException e) {
      throw failure("close", e);
    }
  }

  private IOException failure(String what, IOException e) {
    return new IOException(what + " HDFS segment " + path + " at position " + position + " failed: "
        + e + " (if another writer opened this log, this one was fenced by its lease recovery)", e);
  }
}
