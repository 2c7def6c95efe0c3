/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one receiver that differ from the engine's, given with
 * {@link MicroBatchEngine.Builder#receiver(String, Receiver, ReceiverOptions)}: what is not set
 * here is the engine's. Each setter checks its argument as the engine's setter of the same name
 * does and returns a new instance. Immutable, thread-safe.
 */
public final class ReceiverOptions {
  private final Long maxRecordsPerSecond;
  private final Duration blockInterval;
  private final Integer maxBlockBytes;
  private final Long maxBufferedBytes;
  private final Long maxUnprocessedBytes;
  private final BackPressure backPressure;

  private ReceiverOptions(Long maxRecordsPerSecond, Duration blockInterval, Integer maxBlockBytes,
      Long maxBufferedBytes, Long maxUnprocessedBytes, BackPressure backPressure) {
    this.maxRecordsPerSecond = maxRecordsPerSecond;
    this.blockInterval = blockInterval;
    this.maxBlockBytes = maxBlockBytes;
    this.maxBufferedBytes = maxBufferedBytes;
    this.maxUnprocessedBytes = maxUnprocessedBytes;
    this.backPressure = backPressure;
  }

  /** {@return nothing set: every setting is the engine's} */
  public static ReceiverOptions defaults() {
    return new ReceiverOptions(null, null, null, null, null, null);
  }

  /**
   * Rate limit of this receiver in records per second; 0 for none.
   *
   * @param records the rate, or 0 for none
   * @return these options
   */
  public ReceiverOptions maxRecordsPerSecond(long records) {
    return new ReceiverOptions(EngineConfig.inRange(records, 0, Long.MAX_VALUE,
        "maxRecordsPerSecond"), blockInterval, maxBlockBytes, maxBufferedBytes,
        maxUnprocessedBytes, backPressure);
  }

  /**
   * The longest a single record of this receiver waits for its block's cut; at least 1 ms.
   *
   * @param interval the longest a record waits for its block
   * @return these options
   */
  public ReceiverOptions blockInterval(Duration interval) {
    return new ReceiverOptions(maxRecordsPerSecond, EngineConfig.atLeastOneMilli(interval,
        "blockInterval"), maxBlockBytes, maxBufferedBytes, maxUnprocessedBytes, backPressure);
  }

  /**
   * Largest encoded block (and record) of this receiver; 64 bytes to 128 MiB.
   *
   * @param bytes the largest block in bytes
   * @return these options
   */
  public ReceiverOptions maxBlockBytes(int bytes) {
    return new ReceiverOptions(maxRecordsPerSecond, blockInterval, (int) EngineConfig.inRange(bytes,
        64, EngineConfig.MAX_BLOCK_BYTES, "maxBlockBytes"), maxBufferedBytes, maxUnprocessedBytes,
        backPressure);
  }

  /**
   * Bound on bytes this receiver has accepted and not yet made durable.
   *
   * @param bytes the bound in bytes
   * @return these options
   */
  public ReceiverOptions maxBufferedBytes(long bytes) {
    return new ReceiverOptions(maxRecordsPerSecond, blockInterval, maxBlockBytes,
        EngineConfig.inRange(bytes, 1, Long.MAX_VALUE, "maxBufferedBytes"), maxUnprocessedBytes,
        backPressure);
  }

  /**
   * Bound on bytes this receiver stored that are not yet processed.
   *
   * @param bytes the bound in bytes
   * @return these options
   */
  public ReceiverOptions maxUnprocessedBytes(long bytes) {
    return new ReceiverOptions(maxRecordsPerSecond, blockInterval, maxBlockBytes, maxBufferedBytes,
        EngineConfig.inRange(bytes, 1, Long.MAX_VALUE, "maxUnprocessedBytes"), backPressure);
  }

  /**
   * What this receiver's stores do beyond its bounds.
   *
   * @param mode whether a store waits or throws at a bound
   * @return these options
   */
  public ReceiverOptions backPressure(BackPressure mode) {
    return new ReceiverOptions(maxRecordsPerSecond, blockInterval, maxBlockBytes, maxBufferedBytes,
        maxUnprocessedBytes, Objects.requireNonNull(mode, "backPressure"));
  }

  long maxRecordsPerSecondOr(long engine) {
    return maxRecordsPerSecond != null ? maxRecordsPerSecond : engine;
  }

  Duration blockIntervalOr(Duration engine) {
    return blockInterval != null ? blockInterval : engine;
  }

  int maxBlockBytesOr(int engine) {
    return maxBlockBytes != null ? maxBlockBytes : engine;
  }

  long maxBufferedBytesOr(long engine) {
    return maxBufferedBytes != null ? maxBufferedBytes : engine;
  }

  long maxUnprocessedBytesOr(long engine) {
    return maxUnprocessedBytes != null ? maxUnprocessedBytes : engine;
  }

  BackPressure backPressureOr(BackPressure engine) {
    return backPressure != null ? backPressure : engine;
  }

  @Override
  public String toString() {
    return "ReceiverOptions{" + (maxRecordsPerSecond == null ? "" : "maxRecordsPerSecond="
        + maxRecordsPerSecond + " ") + (blockInterval == null ? "" : "blockInterval="
        + blockInterval + " ") + (maxBlockBytes == null ? "" : "maxBlockBytes=" + maxBlockBytes
        + " ") + (maxBufferedBytes == null ? "" : "maxBufferedBytes=" + maxBufferedBytes + " ")
        + (maxUnprocessedBytes == null ? "" : "maxUnprocessedBytes=" + maxUnprocessedBytes + " ")
        + (backPressure == null ? "" : "backPressure=" + backPressure) + "}";
  }
}
