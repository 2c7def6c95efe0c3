/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.WriteAheadLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that deletes log segments. A data log keeps every record from the oldest one some
 * block still needs: a block the tracker refers to (unallocated, or in an uncompleted batch), or a
 * block appended and not yet in the tracker, which holds a floor here meanwhile (a {@link Floors}
 * per receiver). The metadata log keeps everything from the tracker's last snapshot.
 *
 * <p>{@link #clean} runs on the {@link CleanupThread} after each batch, while the batch thread
 * allocates and processes the next one: a block the tracker allocates stays needed until its batch
 * completes, so that is safe. Floors are held and released by the store path. Thread-safe.
 */
final class LogCleaner {
  private final BlockTracker tracker;
  private final WriteAheadLog metadata;
  private final Map<String, Floors> floors = new LinkedHashMap<>();

  LogCleaner(EngineLogs logs) {
    this.tracker = logs.tracker();
    this.metadata = logs.metadata();
    logs.dataLogs().forEach((id, log) -> floors.put(id, new Floors(log)));
  }

  /** The floors of {@code receiverId}'s blocks in flight. */
  Floors floors(String receiverId) {
    return floors.get(receiverId);
  }

  /**
   * Deletes the data segments no block needs any more and the metadata segments before
   * {@code metadataFrom} (a snapshot's sequence; negative for none).
   */
  Deleted clean(long metadataFrom) {
    // Read every data log's floor before the tracker's: a block moves from in flight to the
    // tracker, never back, so it is seen in one place or the other.
    Map<String, Long> inFlight = new LinkedHashMap<>();
    floors.forEach((id, f) -> inFlight.put(id, f.oldest()));
    Map<String, Long> tracked = tracker.oldestNeeded();
    int data = 0;
    for (Map.Entry<String, Floors> e : floors.entrySet()) {
      long oldest = Math.min(inFlight.get(e.getKey()),
          tracked.getOrDefault(e.getKey(), Long.MAX_VALUE));
      data += e.getValue().log.truncateBefore(oldest);
    }
    return new Deleted(data, metadataFrom < 0 ? 0 : metadata.truncateBefore(metadataFrom));
  }

  /** Segments deleted by one {@link #clean}. */
  record Deleted(int dataSegments, int metadataSegments) {}

  /**
   * Lower bounds of the sequences of one receiver's blocks appended to its data log and not yet
   * journaled by the tracker, with counts: {@link #hold} before the append, {@link #release} once
   * the tracker holds the block (or the append failed).
   */
  static final class Floors {
    private final WriteAheadLog log;
    private final TreeMap<Long, Integer> held = new TreeMap<>(); // guarded by itself

    Floors(WriteAheadLog log) {
      this.log = log;
    }

    /**
     * Holds the floor of a block about to be appended; call where appends are serialized, so
     * that the block's sequence is at least the floor.
     */
    long hold() {
      long floor = log.nextSequence();
      synchronized (held) {
        held.merge(floor, 1, Integer::sum);
      }
      return floor;
    }

    void release(long floor) {
      synchronized (held) {
        held.computeIfPresent(floor, (k, n) -> n == 1 ? null : n - 1);
      }
    }

    /** The oldest sequence that a block in flight, or one appended from now on, can have. */
    long oldest() {
      // The next sequence first: any block appended after this read gets one at least as large.
      long oldest = log.nextSequence();
      synchronized (held) {
        return held.isEmpty() ? oldest : Math.min(oldest, held.firstKey());
      }
    }
  }
}
