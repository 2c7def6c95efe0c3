/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;

/**
 * Exponential backoff with jitter between attempts to reach Kafka (a broker down at start, a
 * metadata request that timed out): the one retry loop of this module, so that no failure turns
 * into a busy loop. Not thread-safe: one per polling thread.
 */
final class Backoff {
  private static final long STEP_MILLIS = 50; // how often a pause looks at the stop flag
  private final long initialMillis;
  private final long maxMillis;
  private long nextMillis;
  private int failures;

  Backoff(Duration initial, Duration max) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.nextMillis = initialMillis;
  }

  /** The failures since the last {@link #reset()}. */
  int failures() {
    return failures;
  }

  /** The pause the next {@link #pause} takes, before jitter. */
  long nextMillis() {
    return nextMillis;
  }

  /**
   * Counts a failure and waits the current delay (plus up to 20% jitter, so that many consumers
   * do not retry in step), then doubles it up to the maximum.
   *
   * @return false if {@code stopped} turned true or the thread was interrupted: give up
   */
  boolean pause(BooleanSupplier stopped) {
    failures++;
    long wait = nextMillis + ThreadLocalRandom.current().nextLong(nextMillis / 5 + 1);
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    long deadline = System.nanoTime() + wait * 1_000_000;
    try {
      // In nanoseconds, rounding each sleep up: whole milliseconds left would end the pause up to
      // 1 ms early (a 100 ms pause measured 99 ms).
      for (long left = wait * 1_000_000; left > 0; left = deadline - System.nanoTime()) {
        if (stopped.getAsBoolean()) {
          return false;
        }
        Thread.sleep(Math.min((left + 999_999) / 1_000_000, STEP_MILLIS));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return !stopped.getAsBoolean();
  }

  /**
   * Runs {@code action} until it returns without a {@link KafkaException}, pausing between
   * attempts; each failure is logged at WARN with the attempt number and the next pause.
   *
   * @return the result, or null if {@code stopped} turned true first
   */
  <T> T retry(Supplier<T> action, BooleanSupplier stopped, Logger log, String what) {
    while (!stopped.getAsBoolean()) {
      try {
        T result = action.get();
        reset();
        return result;
      } catch (KafkaException e) {
        log.warn("{} failed ({}); attempt {}, retrying in about {} ms", what, e.toString(),
            failures + 1, nextMillis);
        if (!pause(stopped)) {
          return null;
        }
      }
    }
    return null;
  }

  /** After a success: the next failure waits the initial delay again. */
  void reset() {
    failures = 0;
    nextMillis = initialMillis;
  }
}
