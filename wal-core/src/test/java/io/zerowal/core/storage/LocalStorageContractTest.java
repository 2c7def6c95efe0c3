/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs the storage contract on {@link LocalStorage} in a temporary directory. */
class LocalStorageContractTest extends StorageContractTest {
  @TempDir Path dir;

  @Override
  protected Storage newStorage() throws IOException {
    return new LocalStorage(dir.resolve("wal"));
  }

  @Override
  protected Storage sameLocation(Storage first) throws IOException {
    return new LocalStorage(dir.resolve("wal"));
  }
}
