/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import io.zerowal.core.Durability;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReceiverOptionsTest {
  private final MemoryStorages disks = new MemoryStorages();

  @Test
  void aReceiverOwnBoundsApplyToItAloneAndTheOthersKeepTheEngines() throws Exception {
    ManualReceiver small = new ManualReceiver();
    ManualReceiver big = new ManualReceiver();
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine e = disks.configure(MicroBatchEngine.builder())
        .durability(Durability.NONE).batchInterval(Duration.ofMillis(20))
        .receiver("small", small, ReceiverOptions.defaults().maxBlockBytes(128)
            .maxUnprocessedBytes(100).backPressure(BackPressure.FAIL_FAST))
        .receiver("big", big)
        .processor(b -> {
          if (b.recordCount() > 0) {
            release.await();
          }
        }).build();
    e.start();
    assertThatThrownBy(() -> small.context.store(new byte[200]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBlockBytes 128");
    small.context.store(new byte[80]).get();
    assertThatThrownBy(() -> small.context.store(new byte[80]))
        .isInstanceOf(BackPressureException.class).hasMessageContaining("maxUnprocessedBytes 100");
    big.context.store(new byte[10_000]).get(); // the engine's bounds: none
    release.countDown();
    e.stop();
  }

  @Test
  void optionsAreCheckedAtTheSetterAndAgainstTheEngineNamingTheReceiver() {
    assertThatThrownBy(() -> ReceiverOptions.defaults().maxBlockBytes(10))
        .hasMessage("maxBlockBytes must be between 64 and 134217728 bytes, got 10");
    assertThatThrownBy(() -> ReceiverOptions.defaults().maxRecordsPerSecond(-1))
        .hasMessage("maxRecordsPerSecond must be at least 0, got -1");
    MicroBatchEngine.Builder b = disks.configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(100)).processor(x -> { })
        .receiver("slow", new ManualReceiver(),
            ReceiverOptions.defaults().blockInterval(Duration.ofSeconds(1)));
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blockInterval PT1S (of receiver slow) is longer than batchInterval");
  }

  @Test
  void anEngineWithoutReceiversOrProcessorSaysWhatIsMissing() {
    assertThatThrownBy(() -> disks.configure(MicroBatchEngine.builder()).processor(x -> { })
        .build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no receiver was added");
    assertThatThrownBy(() -> disks.configure(MicroBatchEngine.builder())
        .receiver("r", new ManualReceiver()).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("processor is required");
  }
}
