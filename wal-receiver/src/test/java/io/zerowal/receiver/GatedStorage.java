/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.storage.ForwardingSegmentOutput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A MemoryStorage whose segment writes can be held back: while the gate is closed, every write
 * waits (on the log's writer thread), so a store stays in flight until the test opens it.
 */
final class GatedStorage extends ForwardingStorage {
  private boolean closed; // guarded by this

  GatedStorage() {
    this(new MemoryStorage());
  }

  /** Gates writes to {@code storage}, which the test may still fail or crash directly. */
  GatedStorage(MemoryStorage storage) {
    super(storage);
  }

  synchronized void closeGate() {
    closed = true;
  }

  synchronized void openGate() {
    closed = false;
    notifyAll();
  }

  private synchronized void pass() throws IOException {
    while (closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted at the gate", e);
      }
    }
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    return gated(super.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return gated(super.openForWrite(name, position));
  }

  private SegmentOutput gated(SegmentOutput out) {
    return new ForwardingSegmentOutput(out) {
      @Override
      public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        pass();
        super.write(srcs, offset, length);
      }
    };
  }
}
