/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.ForwardingSegmentOutput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** A storage that runs a hook on the writer thread just before each segment write reaches it. */
final class WriteHookStorage extends ForwardingStorage {
  volatile Consumer<ByteBuffer[]> beforeWrite = srcs -> {};

  WriteHookStorage(Storage delegate) {
    super(delegate);
  }

  private SegmentOutput hooked(SegmentOutput out) {
    return new ForwardingSegmentOutput(out) {
      @Override
      public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        beforeWrite.accept(srcs);
        super.write(srcs, offset, length);
      }
    };
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    return hooked(super.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return hooked(super.openForWrite(name, position));
  }
}
