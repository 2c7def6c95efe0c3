/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
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

  @Test
  void aWaiterGoesAsSoonAsARaisedRatePaysForTheRecordsAheadOfIt() throws Exception {
    // Rate control starts a receiver at 100 records/s; a store of 1,000 records goes at once and
    // would make the next wait 10 s at that rate. The rate is raised to 100,000/s 200 ms later.
    RateLimiter limiter = new RateLimiter(100);
    limiter.acquire(1000);
    long start = System.nanoTime();
    CompletableFuture<Void> next = CompletableFuture.runAsync(() -> limiter.acquire(1));
    Thread.sleep(200);
    assertThat(next).isNotDone();
    limiter.rate(100_000);
    next.get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(190L, 2000L);
    assertThat(limiter.rate()).isEqualTo(100_000);
  }

  @Test
  void aLoweredRateSlowsTheRecordsAlreadyWaiting() throws Exception {
    RateLimiter limiter = new RateLimiter(10_000);
    limiter.acquire(1000); // 100 ms at 10,000/s
    limiter.rate(2_000); // now 500 ms
    assertThat(millis(() -> limiter.acquire(1))).isBetween(400L, 3000L);
  }

  @Test
  void releaseEndsEveryWaitAndLaterOnes() throws Exception {
    RateLimiter limiter = new RateLimiter(1);
    limiter.acquire(1000); // the next would wait 1,000 s
    CompletableFuture<Long> waiting =
        CompletableFuture.supplyAsync(() -> millis(() -> limiter.acquire(1)));
    Thread.sleep(50);
    limiter.release();
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isLessThan(2000L);
    assertThat(millis(() -> limiter.acquire(1000))).isLessThan(100L);
  }

  @Test
  void aRateMustBePositiveAndFinite() {
    RateLimiter limiter = new RateLimiter(0); // no limit until a rate is set
    assertThat(millis(() -> limiter.acquire(1_000_000))).isLessThan(100L);
    assertThatThrownBy(() -> limiter.rate(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recordsPerSecond must be positive and finite, got 0.0");
    assertThatThrownBy(() -> limiter.rate(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.rate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
