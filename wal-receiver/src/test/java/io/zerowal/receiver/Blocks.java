/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Real handles for BlockInfos in tests: appended to a throw-away log, as the engine gets them. */
final class Blocks {
  private Blocks() {}

  /** {@code count} blocks of {@code receiver} whose ids are 0 to count - 1. */
  static List<BlockInfo> of(String receiver, int count) {
    List<CompletableFuture<RecordHandle>> handles = new ArrayList<>(count);
    try (WriteAheadLog log = WriteAheadLog.builder(new MemoryStorage())
        .durability(Durability.NONE).open()) {
      for (int i = 0; i < count; i++) {
        handles.add(log.append(new byte[1]));
      }
      List<BlockInfo> blocks = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        blocks.add(new BlockInfo(receiver, 1, 1, handles.get(i).join()));
      }
      return blocks;
    }
  }
}
