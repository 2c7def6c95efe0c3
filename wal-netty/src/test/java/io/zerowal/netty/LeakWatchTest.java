/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak watch sees a leak: without this, a green run would prove nothing. */
class LeakWatchTest {

  @Test
  void detectorRunsAtParanoid() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }

  @Test
  void aBufferNeverReleasedIsReported() {
    LeakWatch.LEAKS.clear();
    leak();
    for (int round = 0; round < 20 && LeakWatch.LEAKS.isEmpty(); round++) {
      LeakWatch.collect();
    }
    assertThat(LeakWatch.LEAKS).isNotEmpty();
    LeakWatch.LEAKS.clear(); // the leak was made on purpose: do not fail this class for it
  }

  private static void leak() {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
    b.writeLong(42);
    // dropped without release()
  }
}
