/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The rate estimator: Spark's PI gains (1.0, 0.2), aiming at 90% of the processing rate, over a
 * window of batches, raised at most to twice the rate used.
 */
class RateEstimatorTest {
  private static final long SECOND = 1_000_000_000L;
  private final RateEstimator estimator = new RateEstimator(1000, 0); // 1 s batch interval

  @Test
  void theFirstBatchSetsTheRateToNinetyPercentOfItsProcessingRate() {
    assertThat(estimator.compute(1000, 1000, 1000, SECOND, 0)).isCloseTo(900, within(1e-6));
  }

  @Test
  void theProcessingRateIsTakenOverTheRecentBatchesTogether() {
    estimator.compute(1000, 1000, 1000, SECOND, 0);
    // 1,500 records in 2 s over both batches: 750 records/s (where this batch alone says 500),
    // 90% of it.
    assertThat(estimator.compute(2000, 1000, 500, SECOND, 0)).isCloseTo(675, within(1e-6));
  }

  @Test
  void aSteadyProcessorKeepsTheRateAtNinetyPercentOfItsSpeed() {
    // The 10% headroom lets a batch end before the next interval, so that batches do not skip
    // intervals as they would at 100% (Spark's target), which costs rate and latency.
    estimator.compute(1000, 1000, 800, SECOND, 0);
    assertThat(estimator.compute(2000, 1000, 800, SECOND, 0)).isCloseTo(720, within(1e-6));
    assertThat(estimator.compute(3000, 1000, 800, SECOND, 0)).isCloseTo(720, within(1e-6));
  }

  @Test
  void schedulingDelayTakesTheRateBelowTheProcessingRateToWorkOffTheBacklog() {
    estimator.compute(1000, 1000, 500, SECOND, 0);
    // No error, but 2 s of delay at 500 records/s is 1,000 records of backlog per interval:
    // 450 - 0.2 * 1000 = 250.
    assertThat(estimator.compute(2000, 1000, 500, SECOND, 2000)).isCloseTo(250, within(1e-6));
  }

  @Test
  void theRateNeverFallsBelowOneHundredRecordsPerSecond() {
    estimator.compute(1000, 1000, 500, SECOND, 0);
    assertThat(estimator.compute(2000, 1000, 1, SECOND, 60_000))
        .isEqualTo(RateEstimator.MIN_RATE);
  }

  @Test
  void theRateNeverExceedsTheReceiversMaxRecordsPerSecondEvenBelowOneHundred() {
    RateEstimator capped = new RateEstimator(1000, 2000);
    assertThat(capped.compute(1000, 1000, 10_000, SECOND, 0)).isEqualTo(2000);
    assertThat(capped.compute(2000, 1000, 10_000, SECOND, 0)).isEqualTo(2000);
    RateEstimator slow = new RateEstimator(1000, 50);
    assertThat(slow.compute(1000, 1000, 40, SECOND / 1000, 0)).isEqualTo(50);
    assertThat(slow.compute(2000, 1000, 40, SECOND, 60_000)).isEqualTo(50);
  }

  @Test
  void aRateIsRaisedToAtMostTwiceWhatTheReceiverStoredAt() {
    RateEstimator e = new RateEstimator(100, 0);
    // A receiver starting at 100 records/s (10 per 100 ms batch) before a processor that does
    // 50,000 records/s: the rate doubles per batch as it is used, as TCP's slow start.
    assertThat(e.compute(100, 100, 10, 200_000, 0)).isEqualTo(200);
    assertThat(e.compute(200, 100, 20, 400_000, 0)).isEqualTo(400);
    assertThat(e.compute(300, 100, 40, 800_000, 0)).isEqualTo(800);
    // A batch that took two intervals to come (the processor overran) spreads its records over
    // both: 1,600 records over 200 ms is 8,000 records/s, so at most 16,000.
    assertThat(e.compute(500, 200, 1600, 32_000_000, 0)).isEqualTo(16_000);
  }

  @Test
  void aBatchProcessedInNoTimeCannotUnthrottleTheSource() {
    // The failure of the first version, as reproduced: a receiver held at 40,000 records/s
    // (4,000 per 100 ms batch) by a processor at 50,000 records/s, then a batch "processed" in 1 µs
    // (parkNanos returned at once on a pending unpark permit). Spark's estimator sets the rate to
    // 4,000 records per µs; the source then floods until that batch's successor is processed.
    RateEstimator e = new RateEstimator(100, 0);
    for (int i = 1; i <= 4; i++) {
      assertThat(e.compute(i * 100, 100, 4000, 80_000_000, 0)).isCloseTo(45_000, within(1e-6));
    }
    double rate = e.compute(500, 100, 4000, 1_000, 0);
    // The window: 20,000 records in 320 ms, 62,500 records/s, 90% of it; at most twice 40,000.
    assertThat(rate).isCloseTo(56_250, within(1.0)).isLessThanOrEqualTo(80_000);
    // Once the window holds only real batches, the rate is the processor's again.
    for (int i = 6; i <= 10; i++) {
      rate = e.compute(i * 100, 100, 5000, 100_000_000, 0);
    }
    assertThat(rate).isCloseTo(45_000, within(1e-6));
  }

  @Test
  void aBatchWithoutRecordsOrWithoutProcessingTimeGivesNoEstimateAndNoNaN() {
    assertThat(estimator.compute(500, 1000, 0, 0, 0)).isEqualTo(-1); // nothing measured yet
    estimator.compute(1000, 1000, 500, SECOND, 0);
    assertThat(estimator.compute(2000, 1000, 0, 0, 0)).isEqualTo(-1);
    assertThat(estimator.compute(3000, 1000, 0, SECOND, 500)).isEqualTo(-1);
    assertThat(estimator.compute(4000, 1000, 500, 0, 0)).isEqualTo(-1);
    double next = estimator.compute(5000, 1000, 400, SECOND, 0);
    assertThat(next).isCloseTo(405, within(1e-6)).isNotNaN(); // 900 records in 2 s
  }

  @Test
  void aBatchNotLaterThanTheLastIsIgnored() {
    estimator.compute(1000, 1000, 500, SECOND, 0);
    assertThat(estimator.compute(1000, 1000, 100, SECOND, 0)).isEqualTo(-1);
    assertThat(estimator.compute(2000, 1000, 500, SECOND, 0)).isCloseTo(450, within(1e-6));
  }
}
