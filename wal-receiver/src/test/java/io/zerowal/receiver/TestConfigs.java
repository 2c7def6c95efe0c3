package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Engine configs for tests of the engine's parts, with MemoryStorage logs and NONE durability. */
final class TestConfigs {
  final MemoryStorage metadata = new MemoryStorage();
  final Map<String, MemoryStorage> data = new HashMap<>();

  /** A config with receivers {@code ids}, 4 KiB segments and the given block bound. */
  EngineConfig config(int maxBlockBytes, String... ids) {
    Map<String, Receiver> receivers = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      receivers.put(id, new ManualReceiver());
    }
    return new EngineConfig(id -> data.computeIfAbsent(id, k -> new MemoryStorage()), metadata,
        Duration.ofSeconds(1), Duration.ofMillis(200), Durability.NONE, receivers, b -> { },
        maxBlockBytes, 1 << 20, BackPressure.BLOCK, 0, 4096, 4096, null);
  }
}
