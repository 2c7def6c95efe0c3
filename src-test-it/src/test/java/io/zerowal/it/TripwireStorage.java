/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.storage.CrashPointStorage;
import io.zerowal.core.storage.MemoryStorage;

/**
 * A {@link MemoryStorage} that loses power at its {@code tripAt}-th mutating operation (create,
 * openForWrite, truncate, rename, delete, syncDirectory, and each output's write, flush, sync,
 * truncateToPosition and close), just before or just after the operation, on the thread doing it.
 * This places crashes exactly inside a segment roll, a {@code truncateBefore} or a recovery, which a
 * timer hits only by luck. {@link #survivor()} is what the crash left.
 */
final class TripwireStorage extends CrashPointStorage {

  /** {@code tripAt <= 0} disarms the tripwire. */
  TripwireStorage(MemoryStorage mem, long seed, long tripAt, boolean afterOperation) {
    super(mem, seed, Operation::mutating, afterOperation);
    crashAt(tripAt);
  }
}
