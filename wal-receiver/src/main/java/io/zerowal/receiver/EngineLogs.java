/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.LogLockedException;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.Storage;
import io.zerowal.core.storage.StorageLockedException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's logs, opened with recovery: the metadata log (replayed into the
 * {@link BlockTracker}) and one data log per receiver, checked against each other by
 * {@link RecoveryReader}. Also what recovery found to do: the batches to re-run.
 *
 * <p>The logs are opened with {@link io.zerowal.core.RecoveryPolicy#STRICT} only. Skipping a
 * corrupt record of the metadata log would drop events (a BlockAdded: acknowledged records never
 * processed; a BatchCompleted: a batch run twice), and of a data log, blocks the metadata still
 * refers to; the engine must not decide that on its own at {@code start()}. Corruption fails the
 * start with a {@link CorruptMetadataException} whose message says what an operator can do.
 */
final class EngineLogs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EngineLogs.class);

  private final BlockTracker tracker;
  private final WriteAheadLog metadata;
  private final Map<String, WriteAheadLog> dataLogs;
  private final TreeMap<Long, List<BlockInfo>> toRerun;

  private EngineLogs(BlockTracker tracker, WriteAheadLog metadata,
      Map<String, WriteAheadLog> dataLogs, TreeMap<Long, List<BlockInfo>> toRerun) {
    this.tracker = tracker;
    this.metadata = metadata;
    this.dataLogs = Collections.unmodifiableMap(dataLogs);
    this.toRerun = toRerun;
  }

  /**
   * Opens and recovers every log; on failure closes what it opened.
   *
   * @throws CorruptMetadataException if a log is corrupt, the metadata contradicts itself, or an
   *     acknowledged block is missing from its data log
   */
  static EngineLogs open(EngineConfig config) {
    Storage metaStorage = config.metadataStorage();
    WriteAheadLog metadata = null;
    Map<String, WriteAheadLog> dataLogs = new LinkedHashMap<>();
    try {
      metadata = strict(metaStorage, () -> WriteAheadLog.builder(metaStorage)
          .durability(config.durability()).segmentSize(config.metadataSegmentSize())
          .maxRecordSize(config.metadataMaxRecordSize()).open(), "the metadata log");
      WriteAheadLog opened = metadata;
      TrackerState state = strict(metaStorage, () -> RecoveryReader.replay(opened),
          "the metadata log");
      for (String id : config.receivers().keySet()) {
        Storage storage = Objects.requireNonNull(config.dataStorage().apply(id),
            "dataStorage returned null for receiver " + id);
        dataLogs.put(id, strict(storage, () -> WriteAheadLog.builder(storage)
            .durability(config.durability()).segmentSize(config.dataSegmentSize())
            .maxRecordSize(config.maxBlockBytes(id)).recycleSegments(config.recycleDataSegments())
            .open(), "the data log of receiver " + id));
      }
      RecoveryReader.checkData(state, dataLogs);
      TreeMap<Long, List<BlockInfo>> toRerun = state.uncompleted();
      log.info("engine recovered: {} uncompleted batches to re-run{}, {} unallocated blocks for"
          + " the next batch", toRerun.size(), toRerun.isEmpty() ? "" : " " + toRerun.keySet(),
          state.unallocatedCount());
      BlockTracker tracker = new BlockTracker(metadata, state, config.metadataMaxRecordSize());
      return new EngineLogs(tracker, metadata, dataLogs, toRerun);
    } catch (RuntimeException | Error e) {
      closeAll(dataLogs, metadata);
      throw e;
    }
  }

  private static <T> T strict(Storage storage, Supplier<T> opening, String which) {
    try {
      return opening.get();
    } catch (LogLockedException e) {
      // Say which of the engine's logs is locked, and what to do.
      throw new LogLockedException(which + " (" + storage.describe() + ") is locked by another"
          + " writer: another engine, in this or another process, has it open. Stop that engine"
          + " first, or give this one storage of its own (" + e.getCause().getMessage() + ")",
          (StorageLockedException) e.getCause());
    } catch (CorruptLogException e) {
      // The log's own advice (open it with SKIP_CORRUPT) is not something the engine can do.
      String problem = e.getMessage();
      int advice = problem.indexOf("; keep the files");
      CorruptMetadataException c = new CorruptMetadataException(which + " ("
          + storage.describe() + ") is corrupt: " + (advice > 0 ? problem.substring(0, advice)
          : problem) + ". The engine opens its logs with"
          + " RecoveryPolicy.STRICT only and does not start on a log it cannot trust. Keep the"
          + " files for inspection and restore them from a replica. Skipping the damaged records"
          + " loses what they held (for the metadata log: acknowledged blocks never processed,"
          + " completed batches run again; for a data log: blocks the metadata still needs); to"
          + " accept that, salvage the log once yourself with WriteAheadLog.builder(storage)"
          + ".recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open().close() and start again: the"
          + " engine still refuses what is left if it contradicts itself");
      c.initCause(e);
      throw c;
    }
  }

  BlockTracker tracker() {
    return tracker;
  }

  WriteAheadLog metadata() {
    return metadata;
  }

  /** The recovery report of every log at this start: "metadata" and each receiver id. */
  Map<String, io.zerowal.core.RecoveryReport> recoveryReports() {
    Map<String, io.zerowal.core.RecoveryReport> m = new LinkedHashMap<>();
    m.put("metadata", metadata.recoveryReport());
    dataLogs.forEach((id, l) -> m.put(id, l.recoveryReport()));
    return Collections.unmodifiableMap(m);
  }

  /** The stats of every log now: "metadata" and each receiver id. */
  Map<String, io.zerowal.core.LogStats> stats() {
    Map<String, io.zerowal.core.LogStats> m = new LinkedHashMap<>();
    m.put("metadata", metadata.stats());
    dataLogs.forEach((id, l) -> m.put(id, l.stats()));
    return Collections.unmodifiableMap(m);
  }

  /** The data logs by receiver id, in the receivers' order. */
  Map<String, WriteAheadLog> dataLogs() {
    return dataLogs;
  }

  /** The batches allocated and not completed before the start, oldest first: they run first. */
  TreeMap<Long, List<BlockInfo>> toRerun() {
    return toRerun;
  }

  /** Closes the data logs, then the metadata log. */
  @Override
  public void close() {
    closeAll(dataLogs, metadata);
  }

  private static void closeAll(Map<String, WriteAheadLog> dataLogs, WriteAheadLog metadata) {
    // Data logs first: closing completes their pending appends, whose BlockAdded events still
    // need the metadata log.
    for (WriteAheadLog d : dataLogs.values()) {
      try {
        d.close();
      } catch (RuntimeException e) {
        log.warn("closing a data log failed", e);
      }
    }
    if (metadata != null) {
      try {
        metadata.close();
      } catch (RuntimeException e) {
        log.warn("closing the metadata log failed", e);
      }
    }
  }
}
