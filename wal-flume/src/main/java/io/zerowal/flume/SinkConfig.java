/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import io.zerowal.core.Durability;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.conf.ConfigurationException;

/**
 * The keys of a {@link ZeroWalSink} in an agent properties file, read and checked once in
 * {@code configure}. Every message names the full key ({@code <sink>.<key>}), the value and the
 * accepted range. Immutable.
 */
final class SinkConfig {
  static final String DIRECTORY = "directory";
  static final String PROCESSOR = "processor";
  static final String DURABILITY = "durability";
  static final String BATCH_SIZE = "batchSize";
  static final String MAX_BLOCK_BYTES = "maxBlockBytes";
  static final String BATCH_INTERVAL_MS = "batchIntervalMs";
  static final String MAX_UNPROCESSED_BYTES = "maxUnprocessedBytes";
  static final String DATA_SEGMENT_SIZE = "dataSegmentSize";
  static final String OVERSIZE_EVENTS = "oversizeEvents";
  static final String RESTART_BACKOFF_MS = "restartBackoffMs";
  static final String STOP_TIMEOUT_MS = "stopTimeoutMs";

  // What a data segment keeps besides one block (the engine's rule: maxBlockBytes at most
  // dataSegmentSize - 1024).
  private static final long SEGMENT_OVERHEAD = 1024;

  /** What the sink does with an event whose encoding cannot fit in a block. */
  enum Oversize { FAIL, DROP }

  final String sinkName;
  final Path directory;
  final String processorClass; // null: none named
  final Map<String, String> processorProperties;
  final Durability durability;
  final int batchSize;
  final int maxBlockBytes;
  final Duration batchInterval;
  final long maxUnprocessedBytes;
  final long dataSegmentSize;
  final Oversize oversize;
  final Duration restartBackoff;
  final Duration stopTimeout;

  private SinkConfig(String sinkName, Context c) {
    // A sink built in code may have no name (setName not called): messages then say "<sink>".
    this.sinkName = sinkName == null || sinkName.isBlank() ? "<sink>" : sinkName;
    String dir = c.getString(DIRECTORY);
    if (dir == null || dir.isBlank()) {
      throw fail(DIRECTORY, dir, "is required: the directory of the sink's logs, one per sink,"
          + " e.g. " + this.sinkName + ".directory = /var/lib/flume/zerowal/" + this.sinkName);
    }
    try {
      this.directory = Path.of(dir.trim());
    } catch (InvalidPathException e) {
      throw fail(DIRECTORY, dir, "is not a path: " + e.getMessage());
    }
    String proc = c.getString(PROCESSOR);
    this.processorClass = proc == null || proc.isBlank() ? null : proc.trim();
    this.processorProperties = Map.copyOf(c.getSubProperties(PROCESSOR + "."));
    this.durability = parseEnum(c, DURABILITY, Durability.class, Durability.SYNC);
    this.batchSize = (int) number(c, BATCH_SIZE, 100, 1, 1_000_000);
    this.maxBlockBytes = (int) number(c, MAX_BLOCK_BYTES, 4 << 20, 4096, 128 << 20);
    this.batchInterval = Duration.ofMillis(number(c, BATCH_INTERVAL_MS, 1000, 1,
        Duration.ofDays(1).toMillis()));
    this.maxUnprocessedBytes = number(c, MAX_UNPROCESSED_BYTES, Long.MAX_VALUE, 1,
        Long.MAX_VALUE);
    this.dataSegmentSize = number(c, DATA_SEGMENT_SIZE, 64L << 20, 4096, 1L << 40);
    if (maxBlockBytes > dataSegmentSize - SEGMENT_OVERHEAD) {
      // The engine refuses it too, but only at start, where the sink would retry it for ever.
      throw new ConfigurationException("ZeroWalSink " + sinkName + ": " + key(MAX_BLOCK_BYTES)
          + " = " + maxBlockBytes + " does not fit in " + key(DATA_SEGMENT_SIZE) + " = "
          + dataSegmentSize + " (a block needs " + SEGMENT_OVERHEAD + " bytes of the segment for"
          + " framing): raise " + key(DATA_SEGMENT_SIZE) + " to at least "
          + ((long) maxBlockBytes + SEGMENT_OVERHEAD) + " or lower " + key(MAX_BLOCK_BYTES)
          + " to at most " + Math.max(0, dataSegmentSize - SEGMENT_OVERHEAD));
    }
    this.oversize = parseEnum(c, OVERSIZE_EVENTS, Oversize.class, Oversize.FAIL);
    this.restartBackoff = Duration.ofMillis(number(c, RESTART_BACKOFF_MS, 5000, 0,
        Duration.ofHours(1).toMillis()));
    this.stopTimeout = Duration.ofMillis(number(c, STOP_TIMEOUT_MS, 60_000, 1,
        Duration.ofDays(1).toMillis()));
  }

  /**
   * Reads the sink's keys from its {@code context}.
   *
   * @throws ConfigurationException naming the key, the value and the fix
   */
  static SinkConfig parse(String sinkName, Context context) {
    return new SinkConfig(sinkName, context);
  }

  private long number(Context c, String key, long dflt, long min, long max) {
    String raw = c.getString(key);
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    long v;
    try {
      v = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw fail(key, raw, "is not a whole number: give one in " + range(min, max));
    }
    if (v < min || v > max) {
      throw fail(key, raw, "is out of range: give one in " + range(min, max));
    }
    return v;
  }

  private <E extends Enum<E>> E parseEnum(Context c, String key, Class<E> type, E dflt) {
    String raw = c.getString(key);
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder names = new StringBuilder();
      for (E v : type.getEnumConstants()) {
        names.append(names.length() == 0 ? "" : ", ").append(v.name());
      }
      throw fail(key, raw, "is not one of " + names);
    }
  }

  private static String range(long min, long max) {
    return "[" + min + ", " + (max == Long.MAX_VALUE ? "2^63-1" : Long.toString(max)) + "]";
  }

  private ConfigurationException fail(String key, String value, String why) {
    return new ConfigurationException("ZeroWalSink " + sinkName + ": " + sinkName + "." + key
        + (value == null ? "" : " = \"" + value + "\"") + " " + why);
  }

  /** The key {@code key} of this sink as it stands in the properties file, for messages. */
  String key(String key) {
    return sinkName + "." + key;
  }
}
