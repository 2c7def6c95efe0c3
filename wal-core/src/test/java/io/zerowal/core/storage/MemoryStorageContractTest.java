/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

/** Runs the storage contract on {@link MemoryStorage}. */
class MemoryStorageContractTest extends StorageContractTest {

  @Override
  protected Storage newStorage() {
    return new MemoryStorage();
  }

  @Override
  protected Storage sameLocation(Storage first) {
    return first;
  }
}
