/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.storage.Storage;
import io.zerowal.core.WriteAheadLog;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The options of one engine, copied from its {@link MicroBatchEngine.Builder} at {@code build()}
 * and checked there (each setter checks its own argument with the helpers here): a setter called later changes the builder, never a built engine. Immutable
 * (the storages, receivers and callbacks it refers to are the user's).
 */
record EngineConfig(
    Function<String, Storage> dataStorage,
    Storage metadataStorage,
    Duration batchInterval,
    Duration blockInterval,
    Durability durability,
    Map<String, Receiver> receivers,
    BatchProcessor processor,
    int maxBlockBytes,
    long maxBufferedBytes,
    BackPressure backPressure,
    long maxRecordsPerSecond,
    long dataSegmentSize,
    long metadataSegmentSize,
    Consumer<BatchStats> onBatchCompleted,
    String name,
    RestartPolicy restartPolicy,
    boolean stopEngineOnReceiverFailure,
    FailureListener failureListener,
    Executor completionExecutor,
    Duration gracefulStopTimeout,
    long maxUnprocessedBytes,
    long maxEngineUnprocessedBytes,
    Duration maxBlockTime,
    long maxBatchRecords,
    long maxBatchBytes,
    Map<String, ReceiverOptions> receiverOptions,
    boolean rateControl,
    long maxLogDiskBytes,
    boolean recycleDataSegments) {

  // A log refuses a record size whose frame exceeds its pending bound (256 MiB by default, which
  // the engine does not expose): the largest block and the largest metadata record (half a
  // metadata segment) stay well below it.
  static final int MAX_BLOCK_BYTES = 128 << 20;
  static final long MAX_METADATA_SEGMENT_SIZE = 256L << 20;
  static final long MIN_SEGMENT_SIZE = WriteAheadLog.Builder.MIN_SEGMENT_SIZE;
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * Checks what single setters cannot: required options and options that contradict each other.
   *
   * @throws IllegalStateException if a required option is missing
   * @throws IllegalArgumentException if the options contradict each other
   */
  EngineConfig {
    if (dataStorage == null) {
      throw new IllegalStateException("dataStorage is required: where each receiver's data log"
          + " lives, e.g. .dataStorage(LocalStorage.under(dir))");
    }
    if (metadataStorage == null) {
      throw new IllegalStateException("metadataStorage is required: where the engine's metadata"
          + " log lives");
    }
    if (processor == null) {
      throw new IllegalStateException("processor is required: the work done on each batch");
    }
    if (receivers.isEmpty()) {
      throw new IllegalStateException("no receiver was added: add one with .receiver(id, receiver)"
          + " (an engine without receivers would only re-run what its logs hold)");
    }
    receiverOptions = Map.copyOf(receiverOptions);
    for (String id : receivers.keySet()) {
      ReceiverOptions o = receiverOptions.getOrDefault(id, ReceiverOptions.defaults());
      String of = receiverOptions.containsKey(id) ? " (of receiver " + id + ")" : "";
      int block = o.maxBlockBytesOr(maxBlockBytes);
      long buffered = o.maxBufferedBytesOr(maxBufferedBytes);
      Duration interval = o.blockIntervalOr(blockInterval);
      if (block > dataSegmentSize - 1024) {
        throw new IllegalArgumentException("maxBlockBytes " + block + of + " does not fit in"
            + " dataSegmentSize " + dataSegmentSize + ": raise dataSegmentSize or lower"
            + " maxBlockBytes");
      }
      if (buffered < block) {
        throw new IllegalArgumentException("maxBufferedBytes " + buffered + of
            + " is below maxBlockBytes " + block + ": a full block could never be stored");
      }
      if (interval.compareTo(batchInterval) > 0) {
        throw new IllegalArgumentException("blockInterval " + interval + of + " is longer than"
            + " batchInterval " + batchInterval + ": every batch would wait for blocks cut later;"
            + " lower blockInterval or raise batchInterval");
      }
    }
    long idleLogs = 2 * dataSegmentSize * receivers.size() + 2 * metadataSegmentSize;
    if (maxLogDiskBytes < idleLogs) {
      throw new IllegalArgumentException("maxLogDiskBytes " + maxLogDiskBytes + " is below what the"
          + " logs may hold with nothing to process, " + idleLogs + " bytes (two segments of each"
          + " log: the open one and the one holding the oldest block, for " + receivers.size()
          + " data logs of dataSegmentSize " + dataSegmentSize + " and the metadata log of"
          + " metadataSegmentSize " + metadataSegmentSize + "): every store would wait for good;"
          + " raise maxLogDiskBytes to four or more data segments per receiver, or lower the"
          + " segment sizes");
    }
    receivers = Collections.unmodifiableMap(new LinkedHashMap<>(receivers)); // keeps their order
  }

  /** {@code value} if it lies in {@code [min, max]}; otherwise an exception naming the option. */
  static long inRange(long value, long min, long max, String option) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + (max == Long.MAX_VALUE
          ? " must be at least " + min : " must be between " + min + " and " + max)
          + (option.endsWith("Bytes") || option.endsWith("Size") ? " bytes" : "") + ", got "
          + value);
    }
    return value;
  }

  /** {@code d} if it is not negative. */
  static Duration atLeastZero(Duration d, String option) {
    Objects.requireNonNull(d, option);
    if (d.isNegative()) {
      throw new IllegalArgumentException(option + " must not be negative, got " + d);
    }
    return d;
  }

  /** {@code d} if it is at least 1 ms. */
  static Duration atLeastOneMilli(Duration d, String option) {
    Objects.requireNonNull(d, option);
    if (d.toMillis() < 1) {
      throw new IllegalArgumentException(option + " must be at least 1 ms, got " + d);
    }
    return d;
  }

  /**
   * Checks a receiver id against the rules of {@link MicroBatchEngine.Builder#receiver} and the
   * ids already used.
   *
   * @throws IllegalArgumentException naming the id and the rule it breaks
   */
  static void checkReceiverId(String id, Set<String> used) {
    Objects.requireNonNull(id, "receiver id");
    if (id.isEmpty() || id.length() > 64) {
      throw new IllegalArgumentException("receiver id \"" + id + "\" must be 1 to 64 characters"
          + " long, got " + id.length());
    }
    if (!SAFE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("receiver id \"" + id + "\" must be made of"
          + " [A-Za-z0-9._-] and start with a letter or digit, since it names the receiver's data"
          + " log (a directory in the usual dataStorage)");
    }
    if (id.equalsIgnoreCase("meta") || id.equalsIgnoreCase("metadata")) {
      throw new IllegalArgumentException("receiver id \"" + id + "\" is reserved for the metadata"
          + " log, which the examples keep next to the data logs: choose another id");
    }
    for (String u : used) {
      if (u.equalsIgnoreCase(id)) {
        throw new IllegalArgumentException("receiver id \"" + id + "\" is already used (as \"" + u
            + "\"): ids must be unique ignoring case");
      }
    }
  }

  ReceiverOptions options(String receiverId) {
    return receiverOptions.getOrDefault(receiverId, ReceiverOptions.defaults());
  }

  int maxBlockBytes(String receiverId) {
    return options(receiverId).maxBlockBytesOr(maxBlockBytes);
  }

  long maxRecordsPerSecond(String receiverId) {
    return options(receiverId).maxRecordsPerSecondOr(maxRecordsPerSecond);
  }

  long maxBufferedBytes(String receiverId) {
    return options(receiverId).maxBufferedBytesOr(maxBufferedBytes);
  }

  long maxUnprocessedBytes(String receiverId) {
    return options(receiverId).maxUnprocessedBytesOr(maxUnprocessedBytes);
  }

  BackPressure backPressure(String receiverId) {
    return options(receiverId).backPressureOr(backPressure);
  }

  Duration blockInterval(String receiverId) {
    return options(receiverId).blockIntervalOr(blockInterval);
  }

  /** Checks an engine name: the rules of a receiver id, which it shares with thread names. */
  static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 64 || !SAFE_ID.matcher(name).matches()) {
      throw new IllegalArgumentException("engine name \"" + name + "\" must be 1 to 64 characters"
          + " of [A-Za-z0-9._-] starting with a letter or digit");
    }
  }

  /**
   * Largest metadata a receiver stores with a block: every receiver's latest goes into each
   * snapshot, which must fit in half a metadata segment next to the blocks it lists.
   */
  int maxMetadataBytes() {
    return (int) Math.min(64 << 10, metadataSegmentSize / 8 / Math.max(1, receivers.size()));
  }

  /** Largest metadata record: a snapshot must fit in half a segment, so compaction can roll. */
  int metadataMaxRecordSize() {
    return (int) (metadataSegmentSize / 2);
  }
}
