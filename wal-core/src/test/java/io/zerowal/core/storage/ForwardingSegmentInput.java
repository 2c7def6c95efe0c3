/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link SegmentInput} that forwards every call to a delegate; see {@link ForwardingStorage}.
 * {@link #readFully} keeps the interface's default, so an override of {@link #read} sees every read.
 */
public class ForwardingSegmentInput implements SegmentInput {
  private final SegmentInput delegate;

  public ForwardingSegmentInput(SegmentInput delegate) {
    this.delegate = delegate;
  }

  /** The input every call goes to. */
  public final SegmentInput delegate() {
    return delegate;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
