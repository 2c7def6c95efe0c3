/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static long millis(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void recordsAreSpacedToTheRate() {
    RateLimiter limiter = new RateLimiter(1000);
    // 200 records at 1,000/s: the last may go 199 ms after the first.
    long elapsed = millis(() -> {
      for (int i = 0; i < 200; i++) {
        limiter.acquire(1);
      }
    });
    assertThat(elapsed).isBetween(180L, 2000L);
  }

  @Test
  void aBatchOfRecordsPaysForAllOfThemBeforeTheNextCaller() {
    RateLimiter limiter = new RateLimiter(1000);
    limiter.acquire(300); // goes now, and takes the next 300 ms
    assertThat(millis(() -> limiter.acquire(1))).isBetween(250L, 2000L);
  }

  @Test
  void idleTimeIsSavedUpForAtMostOneSecond() throws InterruptedException {
    RateLimiter limiter = new RateLimiter(100);
    Thread.sleep(1500);
    // A second's worth (100 records) goes at once; the 1.5 s idle do not buy 150.
    assertThat(millis(() -> limiter.acquire(100))).isLessThan(100L);
    assertThat(millis(() -> limiter.acquire(50))).isLessThan(100L); // goes now, pays 500 ms
    assertThat(millis(() -> limiter.acquire(1))).isBetween(300L, 2000L);
  }
}
