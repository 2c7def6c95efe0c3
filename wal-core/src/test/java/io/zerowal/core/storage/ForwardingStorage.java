/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.util.List;

/**
 * A {@link Storage} that forwards every call to a delegate, as Okio's {@code ForwardingFileSystem}
 * does: a test storage extends it and overrides only the calls it changes (counting, failing,
 * losing power), so a method added to the SPI is forwarded here once instead of in every wrapper.
 * Outputs and inputs are returned as the delegate made them; to observe them, override
 * {@link #create}, {@link #openForWrite} or {@link #openForRead} and wrap the result in a
 * {@link ForwardingSegmentOutput} or {@link ForwardingSegmentInput}.
 */
public class ForwardingStorage implements Storage {
  private final Storage delegate;

  public ForwardingStorage(Storage delegate) {
    this.delegate = delegate;
  }

  /** The storage every call goes to. */
  public final Storage delegate() {
    return delegate;
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void lockForWriting() throws IOException {
    delegate.lockForWriting();
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
    return delegate.create(name, preallocateBytes);
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return delegate.openForWrite(name, position);
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
  public void checkLock() throws IOException {
    delegate.checkLock();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + delegate + ")";
  }
}
