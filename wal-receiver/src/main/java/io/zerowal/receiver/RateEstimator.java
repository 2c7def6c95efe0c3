package io.zerowal.receiver;

/**
 * The max ingest rate of one receiver, computed after each completed batch from how fast the
 * processor went: a PID controller as Spark Streaming's {@code PIDRateEstimator} (proportional
 * 1.0, integral 0.2, derivative 0.0, at least 100 records per second).
 *
 * <p>The error is the gap between the rate the receiver was allowed and the rate the batch was
 * processed at; the integral term is the backlog that scheduling delay shows (delay × processing
 * rate / batch interval), so a receiver ingests below the processing rate until a backlog built
 * before is worked off. A batch without records of the receiver, or processed in no time, says
 * nothing about the rate and leaves it as it is. Unlike Spark's, the first batch measured sets the
 * rate at once, to its processing rate: the receiver starts slow (see {@link RateControl}) and
 * must not wait a second batch to speed up. Only the batch thread calls it: not thread-safe.
 */
final class RateEstimator {
  static final double PROPORTIONAL = 1.0;
  static final double INTEGRAL = 0.2;
  static final double DERIVATIVE = 0.0;
  static final double MIN_RATE = 100;

  private final double batchIntervalMillis;
  private final double maxRate; // Double.MAX_VALUE: no cap
  private boolean firstRun = true;
  private long latestTime = -1;
  private double latestRate = -1;
  private double latestError = -1;

  /** {@code maxRate} caps the estimates (the receiver's maxRecordsPerSecond); 0 for no cap. */
  RateEstimator(long batchIntervalMillis, long maxRate) {
    if (batchIntervalMillis <= 0) {
      throw new IllegalArgumentException("batchIntervalMillis must be positive, got "
          + batchIntervalMillis);
    }
    this.batchIntervalMillis = batchIntervalMillis;
    this.maxRate = maxRate > 0 ? Math.max(maxRate, MIN_RATE) : Double.MAX_VALUE;
  }

  /**
   * The new rate after a batch completed at {@code timeMillis} (increasing), which held
   * {@code records} of this receiver, ran {@code processingMillis} and started
   * {@code schedulingDelayMillis} late.
   *
   * @return records per second, at least {@link #MIN_RATE}, never NaN; -1 if the batch gives no
   *     new estimate
   */
  double compute(long timeMillis, long records, double processingMillis,
      double schedulingDelayMillis) {
    if (timeMillis <= latestTime || records <= 0 || processingMillis <= 0) {
      return -1;
    }
    double secondsSinceUpdate = latestTime < 0 ? 0 : (timeMillis - latestTime) / 1000.0;
    double processingRate = records * 1000.0 / processingMillis;
    double error = latestRate - processingRate;
    // The backlog the delay stands for, as a rate over one batch interval.
    double historicalError = Math.max(0, schedulingDelayMillis) * processingRate
        / batchIntervalMillis;
    double dError = secondsSinceUpdate > 0 ? (error - latestError) / secondsSinceUpdate : 0;
    latestTime = timeMillis;
    if (firstRun) {
      firstRun = false;
      latestRate = Math.min(Math.max(processingRate, MIN_RATE), maxRate);
      latestError = 0;
      return latestRate;
    }
    double rate = latestRate - PROPORTIONAL * error - INTEGRAL * historicalError
        - DERIVATIVE * dError;
    latestRate = Math.min(Math.max(rate, MIN_RATE), maxRate);
    latestError = error;
    return latestRate;
  }
}
