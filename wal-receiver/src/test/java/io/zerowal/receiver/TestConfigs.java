/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Engine configs for tests of the engine's parts, with MemoryStorage logs and NONE durability; the
 * data logs' writes can be held back ({@link GatedStorage}).
 */
final class TestConfigs {
  final MemoryStorage metadata = new MemoryStorage();
  final Map<String, GatedStorage> data = new HashMap<>();

  /** A config with receivers {@code ids}, 4 KiB segments and the given block bound. */
  EngineConfig config(int maxBlockBytes, String... ids) {
    Map<String, Receiver> receivers = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      receivers.put(id, new ManualReceiver());
    }
    MicroBatchEngine.Builder b = MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new GatedStorage()))
        .metadataStorage(metadata).batchInterval(Duration.ofSeconds(1))
        .blockInterval(Duration.ofMillis(200)).durability(Durability.NONE).processor(batch -> { })
        .maxBlockBytes(maxBlockBytes).maxBufferedBytes(1 << 20).backPressure(BackPressure.BLOCK)
        .dataSegmentSize(4096).metadataSegmentSize(4096);
    receivers.forEach(b::receiver);
    return b.config();
  }
}
