/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Bytes stored but not yet processed: reserved by a store (its payload), released when the batch
 * holding the block completes, or when the store fails. Bounded per receiver and engine-wide, so
 * that a processor slower than its sources slows the sources (stores wait, or fail fast) instead
 * of filling the disk: back-pressure from processing to sources. Also remembers when each stored
 * block's first record arrived, so that a batch's latency counts from its oldest record.
 * Thread-safe.
 */
final class Backlog {
  private final long engineMax;
  private final Map<String, Long> receiverMax = new ConcurrentHashMap<>();
  private final Map<String, BackPressure> mode = new ConcurrentHashMap<>();
  private final long maxBlockNanos; // Long.MAX_VALUE: wait as long as it takes

  // Counted with atomics, so that an engine without bounds (the default) takes no lock per store;
  // waiting for room takes this object's monitor.
  private final Map<String, AtomicLong> byReceiver = new LinkedHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private int waiting; // guarded by this
  private final Map<BlockInfo, Long> firstRecordMillis = new ConcurrentHashMap<>();

  Backlog(EngineConfig config, List<BlockInfo> recovered) {
    this.engineMax = config.maxEngineUnprocessedBytes();
    this.maxBlockNanos = config.maxBlockTime() == null ? Long.MAX_VALUE
        : config.maxBlockTime().toNanos();
    for (String id : config.receivers().keySet()) {
      receiverMax.put(id, config.maxUnprocessedBytes(id));
      mode.put(id, config.backPressure(id));
      byReceiver.put(id, new AtomicLong());
    }
    for (BlockInfo b : recovered) {
      AtomicLong r = byReceiver.get(b.receiverId());
      if (r != null) {
        r.addAndGet(b.bytes());
        total.addAndGet(b.bytes());
      }
    }
  }

  /**
   * Takes room for {@code bytes} of {@code receiverId}, waiting while that would pass a bound (a
   * store alone over a bound goes when nothing else is unprocessed).
   *
   * @return false if {@code stopped} turned true while waiting
   * @throws BackPressureException under {@link BackPressure#FAIL_FAST}, or once maxBlockTime
   *     passed
   */
  boolean reserve(String receiverId, long bytes, BooleanSupplier stopped) {
    AtomicLong mine = byReceiver.get(receiverId);
    long receiverMax = this.receiverMax.get(receiverId);
    if (!isBounded(receiverId)) {
      return true; // counted per block by submitted(): no shared counter touched per record
    }
    BackPressure mode = this.mode.get(receiverId);
    long deadline = maxBlockNanos == Long.MAX_VALUE ? Long.MAX_VALUE
        : System.nanoTime() + maxBlockNanos;
    synchronized (this) {
      while (true) {
        long m = mine.get();
        long t = total.get();
        boolean receiverFull = m > 0 && m + bytes > receiverMax;
        boolean engineFull = t > 0 && t + bytes > engineMax;
        if (!receiverFull && !engineFull) {
          break;
        }
        if (mode == BackPressure.FAIL_FAST) {
          throw full(receiverId, bytes, !receiverFull, "");
        }
        if (stopped.getAsBoolean()) {
          return false;
        }
        long left = deadline == Long.MAX_VALUE ? 10_000_000L : deadline - System.nanoTime();
        if (left <= 0) {
          throw full(receiverId, bytes, !receiverFull, " after waiting maxBlockTime "
              + java.time.Duration.ofNanos(maxBlockNanos));
        }
        waiting++;
        try {
          wait(Math.max(1, Math.min(10, left / 1_000_000))); // polls stopped, too
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the processor to catch"
              + " up with receiver " + receiverId, e);
        } finally {
          waiting--;
        }
      }
      mine.addAndGet(bytes);
      total.addAndGet(bytes);
      return true;
    }
  }

  private BackPressureException full(String receiverId, long bytes, boolean engineWide,
      String waited) {
    return new BackPressureException("cannot store " + bytes + " bytes of receiver " + receiverId
        + waited + ": " + (engineWide
            ? "the engine holds " + total.get() + " bytes stored and not yet processed"
                + " (maxEngineUnprocessedBytes " + engineMax + ")"
            : "it holds " + byReceiver.get(receiverId).get() + " bytes stored and not yet processed"
                + " (maxUnprocessedBytes " + receiverMax.get(receiverId) + ")")
        + ": the BatchProcessor is behind; retry later, slow the source, or process faster");
  }

  private boolean isBounded(String receiverId) {
    return engineMax != Long.MAX_VALUE || receiverMax.get(receiverId) != Long.MAX_VALUE;
  }

  /** A block of {@code payload} bytes goes to the data log: counted here if unbounded. */
  void submitted(String receiverId, long payload) {
    if (!isBounded(receiverId)) {
      byReceiver.get(receiverId).addAndGet(payload);
      total.addAndGet(payload);
    }
  }

  /** Gives back the room {@link #reserve} took for a store that never reached a block. */
  void releaseUnsubmitted(String receiverId, long bytes) {
    if (isBounded(receiverId)) {
      release(receiverId, bytes);
    }
  }

  /** Gives back room of a submitted block that failed, or of the blocks of a completed batch. */
  void release(String receiverId, long bytes) {
    byReceiver.get(receiverId).addAndGet(-bytes);
    total.addAndGet(-bytes);
    if (isBounded(receiverId)) {
      synchronized (this) {
        if (waiting > 0) {
          notifyAll();
        }
      }
    }
  }

  /** A completed batch's blocks are processed: their room is free, their times forgotten. */
  void processed(List<BlockInfo> blocks) {
    for (BlockInfo b : blocks) {
      release(b.receiverId(), b.bytes());
      firstRecordMillis.remove(b);
    }
  }

  /** Remembers when the first record of a block just stored arrived. */
  void stored(BlockInfo block, long firstRecordEpochMillis) {
    firstRecordMillis.put(block, firstRecordEpochMillis);
  }

  /**
   * When the oldest record of {@code blocks} arrived, in epoch millis; {@code fallback} for
   * blocks stored before the engine started (their arrival is not journaled).
   */
  long oldestRecordMillis(List<BlockInfo> blocks, long fallback) {
    long oldest = Long.MAX_VALUE;
    for (BlockInfo b : blocks) {
      oldest = Math.min(oldest, firstRecordMillis.getOrDefault(b, fallback));
    }
    return oldest == Long.MAX_VALUE ? fallback : oldest;
  }

  long unprocessed(String receiverId) {
    return byReceiver.get(receiverId).get();
  }

  long unprocessed() {
    return total.get();
  }

  /** Wakes waiting stores, so that they see a stop. */
  synchronized void wakeAll() {
    notifyAll();
  }
}
