/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import java.time.Duration;
import java.util.Locale;
import org.apache.spark.SparkConf;

/**
 * The {@code spark.zerowal.*} settings of a {@link ZeroWalSparkLog}, read once from the
 * {@link SparkConf} and validated: a bad value fails the log's construction with a message naming
 * the key, the value and the fix.
 */
final class SparkLogOptions {
  static final String PREFIX = "spark.zerowal.";

  final String dir;
  final Durability durability;
  final long segmentSize;
  final int maxRecordSize;
  final Duration rollInterval;
  final long maxPendingBytes;
  final boolean preallocate;
  final boolean recycleSegments;

  SparkLogOptions(SparkConf conf) {
    this.dir = blankToNull(conf.get(ZeroWalSparkLog.DIR, null));
    String d = conf.get(ZeroWalSparkLog.DURABILITY, "SYNC").trim().toUpperCase(Locale.ROOT);
    try {
      this.durability = Durability.valueOf(d);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ZeroWalSparkLog.DURABILITY + " is '"
          + conf.get(ZeroWalSparkLog.DURABILITY) + "': set it to SYNC (fsync/hsync, survives power"
          + " loss), FLUSH (write/hflush, survives a process crash, like Spark's own log) or NONE", e);
    }
    this.segmentSize = bytes(conf, ZeroWalSparkLog.SEGMENT_SIZE, "128m",
        WriteAheadLog.Builder.MIN_SEGMENT_SIZE, WriteAheadLog.Builder.MAX_SEGMENT_SIZE);
    this.maxRecordSize = (int) bytes(conf, ZeroWalSparkLog.MAX_RECORD_SIZE,
        Long.toString(Math.min(64L << 20, segmentSize / 2)), 1,
        WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT - TimedRecord.HEADER_SIZE);
    this.maxPendingBytes = bytes(conf, ZeroWalSparkLog.MAX_PENDING_BYTES, "256m", 1,
        Long.MAX_VALUE);
    long rollMs;
    try {
      rollMs = conf.getTimeAsMs(ZeroWalSparkLog.ROLL_INTERVAL, "60s");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(ZeroWalSparkLog.ROLL_INTERVAL + " is '"
          + conf.get(ZeroWalSparkLog.ROLL_INTERVAL) + "': give a duration such as 60s or 5min,"
          + " or 0 to roll by size only", e);
    }
    if (rollMs < 0) {
      throw new IllegalArgumentException(ZeroWalSparkLog.ROLL_INTERVAL + " is " + rollMs
          + " ms: give a positive duration such as 60s, or 0 to roll by size only");
    }
    this.rollInterval = Duration.ofMillis(rollMs);
    this.preallocate = flag(conf, ZeroWalSparkLog.PREALLOCATE);
    this.recycleSegments = flag(conf, ZeroWalSparkLog.RECYCLE_SEGMENTS);
  }

  private static boolean flag(SparkConf conf, String key) {
    String v = conf.get(key, "false").trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(key + " is '" + v + "': set it to true or false");
    }
    return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
  }

  /** A builder for a log on {@code storage} with these options (validated together at open). */
  WriteAheadLog.Builder builder(io.zerowal.core.storage.Storage storage) {
    return WriteAheadLog.builder(storage)
        .durability(durability)
        .segmentSize(segmentSize)
        .maxRecordSize(maxRecordSize + TimedRecord.HEADER_SIZE)
        .maxPendingBytes(maxPendingBytes)
        .rollInterval(rollInterval)
        .preallocate(preallocate)
        .recycleSegments(recycleSegments);
  }

  private static long bytes(SparkConf conf, String key, String dflt, long min, long max) {
    long v;
    try {
      v = conf.getSizeAsBytes(key, dflt);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " is '" + conf.get(key) + "': give a size such as"
          + " 64m, 1g or a number of bytes", e);
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(key + " is " + v + " bytes: give a size between " + min
          + " and " + max + " bytes");
    }
    return v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    return "durability=" + durability + ", segmentSize=" + segmentSize + ", maxRecordSize="
        + maxRecordSize + ", rollInterval=" + rollInterval + ", maxPendingBytes=" + maxPendingBytes
        + ", preallocate=" + preallocate + ", recycleSegments=" + recycleSegments;
  }
}
