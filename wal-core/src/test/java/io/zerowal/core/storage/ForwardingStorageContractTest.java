/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;

/**
 * Runs the storage contract on a {@link MemoryStorage} seen through {@link ForwardingStorage} and
 * forwarding outputs and inputs: a wrapper that overrides nothing behaves as what it wraps.
 */
class ForwardingStorageContractTest extends StorageContractTest {

  @Override
  protected Storage newStorage() {
    return new ForwardingStorage(new MemoryStorage()) {
      @Override
      public SegmentOutput create(String name, long preallocateBytes) throws IOException {
        return new ForwardingSegmentOutput(super.create(name, preallocateBytes));
      }

      @Override
      public SegmentOutput openForWrite(String name, long position) throws IOException {
        return new ForwardingSegmentOutput(super.openForWrite(name, position));
      }

      @Override
      public SegmentInput openForRead(String name) throws IOException {
        return new ForwardingSegmentInput(super.openForRead(name));
      }
    };
  }

  @Override
  protected Storage sameLocation(Storage first) {
    return first;
  }
}
