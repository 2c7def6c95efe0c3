/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The bound on the bytes of the engine's logs on disk
 * ({@link MicroBatchEngine.Builder#maxLogDiskBytes}):
 * a store takes room for its bytes before they reach a data log, and waits (or fails fast) while
 * the logs would pass the quota; room comes back when cleanup deletes segments after a batch.
 *
 * <p>Measuring the logs ({@link io.zerowal.core.LogStats#segmentBytes()}) walks their segments,
 * too much for every store: the estimate is the last measurement, plus the bytes appended since it
 * began, plus the bytes reserved and not yet appended. Every race between them counts a block
 * twice, never zero times, so the estimate errs high. Measured after each batch's cleanup, and
 * every 10 ms by waiting stores. What a block costs beyond its records (its frame, its BlockAdded
 * in the metadata log) is counted with a fixed guess until the next measurement. Thread-safe.
 */
final class DiskQuota {
  /**
   * What a block costs on disk beyond the bytes its store reserved: its frame header in the data
   * log, and its BlockAdded record in the metadata log (a frame, the block's id, counts and
   * handle, 64 bytes with the frame), before the receiver id and metadata; rounded up.
   */
  static final long BLOCK_OVERHEAD = 96;

  /**
   * What a block will cost in the metadata log once allocated: its entry in the BatchAllocated
   * record (48 bytes before the receiver id) and in a snapshot, if one is written while the block
   * is unprocessed. Counted from the block's submission until its allocation, since a batch of
   * many small blocks writes them all at once, with no store in between to wait.
   */
  static final long ALLOCATION_OVERHEAD = 2 * 48;

  private final long max; // Long.MAX_VALUE: no quota
  private final LongSupplier measure;
  private final long maxBlockNanos; // Long.MAX_VALUE: wait as long as it takes
  private final AtomicLong notOnDisk = new AtomicLong();
  private final AtomicLong writtenSinceMeasured = new AtomicLong();
  private final AtomicLong toAllocate = new AtomicLong(); // ALLOCATION_OVERHEAD of new blocks
  private volatile long measured;
  private int waiting; // guarded by this

  /** No quota. */
  static DiskQuota none() {
    return new DiskQuota(Long.MAX_VALUE, null, () -> 0);
  }

  /** {@code measure} returns the bytes of all the engine's logs now. */
  DiskQuota(long max, Duration maxBlockTime, LongSupplier measure) {
    this.max = max;
    this.measure = measure;
    this.maxBlockNanos = maxBlockTime == null ? Long.MAX_VALUE : maxBlockTime.toNanos();
    this.measured = max == Long.MAX_VALUE ? 0 : measure.getAsLong();
  }

  boolean isBounded() {
    return max != Long.MAX_VALUE;
  }

  /**
   * Takes room for {@code bytes} about to be appended to {@code receiverId}'s data log, waiting
   * while the logs would pass the quota.
   *
   * @return false if {@code stopped} turned true while waiting
   * @throws BackPressureException under {@link BackPressure#FAIL_FAST}, or once maxBlockTime
   *     passed
   */
  boolean reserve(String receiverId, long bytes, BackPressure mode, BooleanSupplier stopped) {
    if (!isBounded()) {
      return true;
    }
    long need = bytes;
    if (estimate() + need <= max) {
      notOnDisk.addAndGet(need); // the common case takes no lock; racing stores may pass by a few
      return true;
    }
    long deadline = maxBlockNanos == Long.MAX_VALUE ? Long.MAX_VALUE
        : System.nanoTime() + maxBlockNanos;
    synchronized (this) {
      while (estimate() + need > max) {
        if (mode == BackPressure.FAIL_FAST) {
          throw full(receiverId, bytes, "");
        }
        if (stopped.getAsBoolean()) {
          return false;
        }
        long left = deadline == Long.MAX_VALUE ? 10_000_000L : deadline - System.nanoTime();
        if (left <= 0) {
          throw full(receiverId, bytes, " after waiting maxBlockTime " + Duration.ofNanos(
              maxBlockNanos));
        }
        waiting++;
        try {
          wait(Math.max(1, Math.min(10, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while receiver " + receiverId + " waited"
              + " for the engine's logs to shrink below maxLogDiskBytes " + max, e);
        } finally {
          waiting--;
        }
        measure(); // cleanup may have deleted segments since
      }
      notOnDisk.addAndGet(need);
      return true;
    }
  }

  private BackPressureException full(String receiverId, long bytes, String waited) {
    return new BackPressureException("cannot store " + bytes + " bytes of receiver " + receiverId
        + waited + ": the engine's logs take about " + estimate() + " bytes (maxLogDiskBytes "
        + max + "); they shrink as batches complete and cleanup deletes segments: retry later,"
        + " slow the source, process faster, or raise maxLogDiskBytes");
  }

  /** Bytes reserved with {@link #reserve} reached the data log. */
  void written(long bytes) {
    if (isBounded()) {
      // Counted as written before it stops counting as not on disk: never in neither.
      writtenSinceMeasured.addAndGet(bytes);
      notOnDisk.addAndGet(-bytes);
    }
  }

  /**
   * A block goes to the logs: counts what it costs there beyond its reserved bytes (see
   * {@link #BLOCK_OVERHEAD}) at once, as written, without waiting: stores that come after it see
   * it, and the next measurement replaces the guess with the bytes.
   */
  void blockSubmitted(int receiverIdLength, int metadataBytes) {
    if (isBounded()) {
      writtenSinceMeasured.addAndGet(BLOCK_OVERHEAD + receiverIdLength + metadataBytes);
      toAllocate.addAndGet(ALLOCATION_OVERHEAD + 2L * receiverIdLength);
    }
  }

  /**
   * {@code blocks} were allocated to a batch: their allocation is in the metadata log now, and
   * the next measurement counts it. Blocks recovered at start were never counted: never below 0.
   */
  void allocated(List<BlockInfo> blocks) {
    if (isBounded()) {
      long cost = 0;
      for (BlockInfo b : blocks) {
        cost += ALLOCATION_OVERHEAD + 2L * b.receiverId().length();
      }
      long c = cost;
      toAllocate.updateAndGet(t -> Math.max(0, t - c));
      measure();
    }
  }

  /** Bytes reserved with {@link #reserve} never reach the data log. */
  void unreserve(long bytes) {
    if (isBounded()) {
      notOnDisk.addAndGet(-bytes);
      wakeWaiting();
    }
  }

  /** Measures the logs again; after a cleanup, and by waiting stores. */
  void measure() {
    if (!isBounded()) {
      return;
    }
    // Reset before measuring: what is appended meanwhile is counted twice, never missed.
    writtenSinceMeasured.set(0);
    measured = measure.getAsLong();
    wakeWaiting();
  }

  private void wakeWaiting() {
    synchronized (this) {
      if (waiting > 0) {
        notifyAll();
      }
    }
  }

  /** The bytes of the engine's logs, as estimated now (errs high). */
  long estimate() {
    return measured + writtenSinceMeasured.get() + notOnDisk.get() + toAllocate.get();
  }
}
