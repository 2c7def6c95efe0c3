/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The README's "Testing an engine" section, as a test a user would write. */
class EngineCrashExampleTest {

  /** A source of numbered records; a record counts as acknowledged once its store completed. */
  static final class Numbers implements Receiver {
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    @Override
    public void onStart(ReceiverContext ctx) {
      thread = ctx.startThread("numbers", () -> {
        for (int n = 0; !ctx.isStopped(); n++) {
          String record = "n" + n;
          ctx.store(record.getBytes(StandardCharsets.UTF_8)).thenRun(() -> acked.add(record));
        }
      });
    }

    @Override
    public void onStop() {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void everyAcknowledgedRecordIsProcessedAfterAPowerLoss() throws Exception {
    Set<String> processed = ConcurrentHashMap.newKeySet();
    MemoryStorages disks = new MemoryStorages();
    Numbers source = new Numbers();
    MicroBatchEngine engine = disks.configure(MicroBatchEngine.builder())
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(20))
        .receiver("numbers", source)
        .processor(batch -> batch.records()
            .forEach(r -> processed.add(StandardCharsets.UTF_8.decode(r).toString())))
        .build();
    engine.start();
    while (source.acked.size() < 1_000) {
      Thread.sleep(5);
    }

    Set<String> acknowledged = Set.copyOf(source.acked); // all durable before the plug is pulled
    MemoryStorages afterPowerLoss = disks.crashAll(42L);
    engine.stopNow(); // its disks are gone: it fails; stop it

    MicroBatchEngine restarted = afterPowerLoss.configure(MicroBatchEngine.builder())
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(20))
        .receiver("numbers", new Receiver() { // the source has nothing new
          @Override public void onStart(ReceiverContext ctx) {}

          @Override public void onStop() {}
        })
        .processor(batch -> batch.records()
            .forEach(r -> processed.add(StandardCharsets.UTF_8.decode(r).toString())))
        .build();
    restarted.start(); // re-runs the batches the crash cut short, queues the stored blocks
    restarted.stop();  // graceful: processes them

    assertThat(processed).containsAll(acknowledged);
  }
}
