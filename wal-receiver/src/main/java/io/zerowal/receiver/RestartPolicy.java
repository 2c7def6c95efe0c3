/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.time.Duration;
import java.util.Objects;

/**
 * How often, and after how long, the engine restarts a receiver that asked for a restart
 * ({@link ReceiverContext#restart}) or whose thread threw ({@link ReceiverContext#startThread}).
 * The n-th consecutive restart waits {@code backoff * 2^(n-1)}, at most {@code maxBackoff}; the
 * count starts again once a store of the restarted receiver is durable. Past {@code maxAttempts}
 * the receiver is stopped (and the engine with it if
 * {@link MicroBatchEngine.Builder#stopEngineOnReceiverFailure} is set). Immutable, thread-safe.
 */
public final class RestartPolicy {
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration maxBackoff;

  private RestartPolicy(int maxAttempts, Duration backoff, Duration maxBackoff) {
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * At most {@code maxAttempts} consecutive restarts, waiting {@code backoff}, doubling up to
   * {@code maxBackoff}.
   *
   * @param maxAttempts the most consecutive restarts, 0 for none
   * @param backoff the wait before the first restart
   * @param maxBackoff the longest wait
   * @return the policy
   * @throws IllegalArgumentException if {@code maxAttempts} is negative, a duration is negative,
   *     or {@code maxBackoff} is below {@code backoff}
   */
  public static RestartPolicy attempts(int maxAttempts, Duration backoff, Duration maxBackoff) {
    EngineConfig.inRange(maxAttempts, 0, Integer.MAX_VALUE, "restartPolicy maxAttempts");
    Objects.requireNonNull(backoff, "restartPolicy backoff");
    Objects.requireNonNull(maxBackoff, "restartPolicy maxBackoff");
    if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
      throw new IllegalArgumentException("restartPolicy needs 0 <= backoff <= maxBackoff, got "
          + backoff + " and " + maxBackoff);
    }
    return new RestartPolicy(maxAttempts, backoff, maxBackoff);
  }

  /** {@return never restarts: a receiver asking for a restart is stopped} */
  public static RestartPolicy never() {
    return new RestartPolicy(0, Duration.ZERO, Duration.ZERO);
  }

  /** {@return the default: 10 consecutive restarts, waiting 100 ms doubling up to 30 s} */
  public static RestartPolicy defaults() {
    return attempts(10, Duration.ofMillis(100), Duration.ofSeconds(30));
  }

  /** {@return the most consecutive restarts before the receiver is stopped for good} */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The wait before the {@code attempt}-th consecutive restart (1 for the first).
   *
   * @param attempt the restart's number, 1 for the first
   * @return the wait before that restart
   */
  public Duration backoff(int attempt) {
    Duration d = backoff;
    for (int i = 1; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  @Override
  public String toString() {
    return "RestartPolicy{maxAttempts=" + maxAttempts + ", backoff=" + backoff + ", maxBackoff="
        + maxBackoff + "}";
  }
}
