package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The PID estimator, with Spark's gains (1.0, 0.2, 0.0) and a 1 s batch interval. */
class RateEstimatorTest {
  private final RateEstimator estimator = new RateEstimator(1000, 0);

  @Test
  void theFirstBatchSetsTheRateToItsProcessingRate() {
    assertThat(estimator.compute(1000, 1000, 1000, 0)).isEqualTo(1000);
    // 1,000 records/s allowed, 500 processed: the proportional term takes the rate to 500.
    assertThat(estimator.compute(2000, 500, 1000, 0)).isEqualTo(500);
  }

  @Test
  void aRateTheProcessorKeepsUpWithStaysWhereItIs() {
    estimator.compute(1000, 800, 1000, 0);
    assertThat(estimator.compute(2000, 800, 1000, 0)).isEqualTo(800);
    assertThat(estimator.compute(3000, 800, 1000, 0)).isEqualTo(800);
  }

  @Test
  void schedulingDelayTakesTheRateBelowTheProcessingRateToWorkOffTheBacklog() {
    estimator.compute(1000, 500, 1000, 0);
    // No error, but 2 s of delay at 500 records/s is 1,000 records of backlog per interval:
    // 500 - 0.2 * 1000 = 300.
    assertThat(estimator.compute(2000, 500, 1000, 2000)).isEqualTo(300);
  }

  @Test
  void theRateNeverFallsBelowOneHundredRecordsPerSecond() {
    estimator.compute(1000, 500, 1000, 0);
    assertThat(estimator.compute(2000, 1, 1000, 60_000)).isEqualTo(RateEstimator.MIN_RATE);
  }

  @Test
  void theRateNeverExceedsTheReceiversMaxRecordsPerSecond() {
    RateEstimator capped = new RateEstimator(1000, 2000);
    assertThat(capped.compute(1000, 10_000, 1000, 0)).isEqualTo(2000);
    assertThat(capped.compute(2000, 10_000, 1000, 0)).isEqualTo(2000);
  }

  @Test
  void aBatchWithoutRecordsOrWithoutProcessingTimeGivesNoEstimateAndNoNaN() {
    assertThat(estimator.compute(500, 0, 0, 0)).isEqualTo(-1); // nothing measured yet
    estimator.compute(1000, 500, 1000, 0);
    assertThat(estimator.compute(2000, 0, 0, 0)).isEqualTo(-1);
    assertThat(estimator.compute(3000, 0, 1000, 500)).isEqualTo(-1);
    assertThat(estimator.compute(4000, 500, 0, 0)).isEqualTo(-1);
    double next = estimator.compute(5000, 400, 1000, 0);
    assertThat(next).isEqualTo(400).isNotNaN();
  }

  @Test
  void aSubMillisecondProcessingTimeStillGivesAFiniteRate() {
    // 10 records in 0.2 ms: 50,000 records/s.
    assertThat(estimator.compute(1000, 10, 0.2, 0)).isCloseTo(50_000, within(1e-6));
  }

  @Test
  void aBatchNotLaterThanTheLastIsIgnored() {
    estimator.compute(1000, 500, 1000, 0);
    assertThat(estimator.compute(1000, 100, 1000, 0)).isEqualTo(-1);
    assertThat(estimator.compute(2000, 500, 1000, 0)).isEqualTo(500);
  }
}
