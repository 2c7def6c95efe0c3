/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.LogFailedException;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data log that fails while no store is in flight (its directory deleted: the idle writer finds
 * its lock file gone) fails the engine: before, only a later store would have told it, and a
 * receiver with nothing to store, or one stuck elsewhere, left the engine running on a dead log.
 */
class IdleLogFailureTest {

  @Test
  void aDataLogFailingWhileNoStoreIsInFlightFailsTheEngine(@TempDir Path tmp) throws Exception {
    Function<String, Storage> storages = LocalStorage.under(tmp.resolve("logs"));
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = MicroBatchEngine.builder().dataStorage(storages)
        .metadataStorage(storages.apply("meta")).batchInterval(Duration.ofMillis(20))
        .blockInterval(Duration.ofMillis(20)).receiver("r1", r).processor(b -> { }).build();
    e.start();
    try {
      r.storeBlock("a", "b").get(10, TimeUnit.SECONDS); // durable: nothing is in flight after it
      Path data = tmp.resolve("logs").resolve("r1");
      try (Stream<Path> files = Files.walk(data)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      assertThat(e.awaitTermination(Duration.ofSeconds(10))).as("the engine fails").isTrue();
      assertThat(e.failure()).get().isInstanceOf(LogFailedException.class);
      assertThat(e.failure().get().getMessage()).contains(data.toString(), "lost the write lock");
    } finally {
      e.stopNow();
    }
  }
}
