/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link SegmentOutput} that forwards every call to a delegate; see {@link ForwardingStorage}.
 * The single-buffer {@link #write(ByteBuffer)} is deliberately not forwarded: it keeps the
 * interface's default, so an override of the gathering write sees every write.
 */
public class ForwardingSegmentOutput implements SegmentOutput {
  private final SegmentOutput delegate;

  public ForwardingSegmentOutput(SegmentOutput delegate) {
    this.delegate = delegate;
  }

  /** The output every call goes to. */
  public final SegmentOutput delegate() {
    return delegate;
  }

  @Override
  public long position() {
    return delegate.position();
  }

  @Override
  public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    delegate.write(srcs, offset, length);
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
  }

  @Override
  public void sync() throws IOException {
    delegate.sync();
  }

  @Override
  public void truncateToPosition() throws IOException {
    delegate.truncateToPosition();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
