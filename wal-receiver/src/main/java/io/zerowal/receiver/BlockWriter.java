/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import io.zerowal.core.LogFailedException;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The store path of one receiver, behind {@link ReceiverContext} and {@link BlockGenerator}:
 * bounds the bytes accepted and not yet durable, appends each encoded block to the receiver's data
 * log, journals it with the {@link BlockTracker} once durable, and completes the store's future
 * once the BlockAdded is durable too. Thread-safe.
 */
final class BlockWriter {
  private final String receiverId;
  private final WriteAheadLog dataLog;
  private final BlockTracker tracker;
  private final LogCleaner.Floors floors;
  private final Backlog backlog;
  private final DiskQuota quota;
  private final long maxBlockNanos;
  private final long maxBufferedBytes;
  private final BackPressure backPressure;
  private final Consumer<Throwable> onLogFailure;
  private final EngineThreads threads;
  private volatile Runnable onDurableStore = () -> { };

  private final Object appendLock = new Object();
  private boolean appendsClosed; // guarded by appendLock

  private final Object room = new Object();
  private long buffered; // guarded by room
  private int completing; // guarded by room: blocks submitted whose futures have not completed
  private final Executor completionExecutor;
  private final BlockBuffers blockBuffers;
  private volatile ByteBuffer durableMetadata;
  private volatile boolean stopped;

  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong blocks = new AtomicLong();
  private final AtomicLong latencyNanos = new AtomicLong();
  private final AtomicLong maxLatencyNanos = new AtomicLong();
  private final LatencyHistogram latencies = new LatencyHistogram();

  BlockWriter(String receiverId, WriteAheadLog dataLog, BlockTracker tracker,
      LogCleaner.Floors floors, Backlog backlog, DiskQuota quota, EngineConfig config,
      Consumer<Throwable> onLogFailure, EngineThreads threads) {
    this.receiverId = receiverId;
    this.backlog = backlog;
    this.quota = quota;
    this.maxBlockNanos = config.maxBlockTime() == null ? Long.MAX_VALUE
        : config.maxBlockTime().toNanos();
    this.dataLog = dataLog;
    this.tracker = tracker;
    this.floors = floors;
    this.maxBufferedBytes = config.maxBufferedBytes(receiverId);
    // Kept buffers are idle, not buffered: a quarter of the bound on top of what is in flight.
    this.blockBuffers = new BlockBuffers(maxBufferedBytes / 4);
    this.backPressure = config.backPressure(receiverId);
    this.onLogFailure = onLogFailure;
    this.threads = threads;
    this.completionExecutor = config.completionExecutor();
    this.durableMetadata = tracker.metadata(receiverId); // recovered: all durable
  }

  /**
   * A buffer to encode a block of {@code size} bytes into: position 0, limit {@code size},
   * little-endian; one that an earlier block of this receiver was written from, when there is one.
   */
  ByteBuffer blockBuffer(int size) {
    return blockBuffers.take(size);
  }

  /**
   * Appends an encoded block with the receiver's {@code metadata} (null for none);
   * {@code result} completes once the block and its BlockAdded are durable. {@code block} is this
   * writer's from now on: it goes back to {@link #blockBuffer} once the data log has written it.
   */
  void submit(ByteBuffer block, int count, long payload, long reserved, long startNanos,
      ByteBuffer metadata, CompletableFuture<BlockInfo> result) {
    long floor;
    CompletableFuture<RecordHandle> data;
    backlog.submitted(receiverId, payload);
    quota.blockSubmitted(receiverId.length(), metadata == null ? 0 : metadata.remaining());
    synchronized (room) {
      completing++; // until result's dependents ran: a graceful stop waits for them
    }
    synchronized (appendLock) {
      if (appendsClosed) {
        blockBuffers.give(block);
        quota.unreserve(reserved);
        refuse(result, reserved, payload);
        return;
      }
      try {
        // Every record appended from now on gets a sequence at least the floor: cleanup keeps it.
        floor = floors.hold();
        try {
          data = dataLog.append(block);
        } catch (RuntimeException e) {
          floors.release(floor);
          throw e;
        }
      } catch (RuntimeException e) {
        blockBuffers.give(block); // refused by append: the log never took the bytes
        quota.unreserve(reserved);
        fail(result, reserved, payload, e);
        return;
      }
    }
    data.whenComplete((handle, error) -> {
      if (error != null) {
        // The buffer is not given back: a failed log may still be writing from it.
        floors.release(floor);
        quota.unreserve(reserved);
        fail(result, reserved, payload, error);
        return;
      }
      blockBuffers.give(block); // written and durable: the log reads its bytes no more
      quota.written(reserved);
      BlockInfo info = new BlockInfo(receiverId, count, payload, handle);
      CompletableFuture<RecordHandle> added;
      try {
        // The block is durable in the data log before its BlockAdded is appended: a crash can
        // leave data without metadata (never acknowledged, cleaned later) but never the reverse.
        added = tracker.addBlock(info, metadata);
      } catch (RuntimeException e) {
        fail(result, reserved, payload, e);
        return;
      } finally {
        // After the tracker holds the block, so that cleanup sees it in one place or the other.
        floors.release(floor);
      }
      added.whenComplete((h, metaError) -> {
        if (metaError != null) {
          fail(result, reserved, payload, metaError);
          return;
        }
        if (metadata != null) {
          durableMetadata = metadata; // BlockAdded events complete in order
        }
        release(reserved);
        long latency = System.nanoTime() - startNanos;
        backlog.stored(info, System.currentTimeMillis() - latency / 1_000_000);
        records.addAndGet(count);
        bytes.addAndGet(payload);
        blocks.incrementAndGet();
        latencyNanos.addAndGet(latency);
        maxLatencyNanos.accumulateAndGet(latency, Math::max);
        latencies.record(latency);
        onDurableStore.run();
        completeOnExecutor(() -> threads.complete(result, info));
      });
    });
  }

  /** Runs a completion on the configured executor, or here; then counts it done. */
  private void completeOnExecutor(Runnable completion) {
    Runnable counted = () -> {
      try {
        completion.run();
      } finally {
        synchronized (room) {
          completing--;
          room.notifyAll();
        }
      }
    };
    if (completionExecutor == null) {
      counted.run();
      return;
    }
    try {
      completionExecutor.execute(counted);
    } catch (RejectedExecutionException e) {
      // A shut-down executor must not leave a store hanging: complete here instead.
      counted.run();
    }
  }

  private void fail(CompletableFuture<BlockInfo> result, long reserved, long payload,
      Throwable error) {
    release(reserved);
    backlog.release(receiverId, payload);
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof LogFailedException) {
      // Before the store fails: whoever sees the failed store then sees the failed engine too,
      // and does not store into its dead log again (the Flume sink's next transaction did).
      onLogFailure.accept(cause);
    }
    completeOnExecutor(() -> threads.fail(result, error));
  }

  /** Fails a submitted store refused because the engine stops, and gives its room back. */
  private void refuse(CompletableFuture<BlockInfo> result, long reserved, long payload) {
    release(reserved);
    backlog.release(receiverId, payload);
    completeOnExecutor(() -> threads.fail(result, stoppedException()));
  }

  /** Fails a store its generator held when the engine stopped, and gives its room back. */
  void refuseHeld(CompletableFuture<BlockInfo> result, long reserved, long payload) {
    synchronized (room) {
      completing++;
    }
    quota.unreserve(reserved);
    release(reserved);
    backlog.releaseUnsubmitted(receiverId, payload);
    completeOnExecutor(() -> threads.fail(result, stoppedException()));
  }

  /**
   * Waits for room for {@code size} bytes, not yet durable (maxBufferedBytes) and on disk
   * (maxLogDiskBytes); false if the receiver stopped meanwhile.
   */
  boolean reserve(long size) {
    if (!reserveBuffered(size)) {
      return false;
    }
    boolean reserved = false;
    try {
      reserved = quota.reserve(receiverId, size, backPressure, () -> stopped);
      return reserved;
    } finally {
      if (!reserved) {
        release(size);
      }
    }
  }

  /** Gives back the room of a store refused before it reached a block. */
  void releaseRefused(long size) {
    quota.unreserve(size);
    release(size);
  }

  private boolean reserveBuffered(long size) {
    synchronized (room) {
      long deadline = maxBlockNanos == Long.MAX_VALUE ? Long.MAX_VALUE
          : System.nanoTime() + maxBlockNanos;
      while (buffered > 0 && buffered + size > maxBufferedBytes) {
        if (backPressure == BackPressure.FAIL_FAST) {
          throw new BackPressureException("receiver " + receiverId + " already buffers " + buffered
              + " bytes not yet durable (maxBufferedBytes " + maxBufferedBytes + "): retry later,"
              + " slow the source, or configure BackPressure.BLOCK");
        }
        if (stopped) {
          return false;
        }
        if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
          throw new BackPressureException("receiver " + receiverId + " waited maxBlockTime for"
              + " room: it buffers " + buffered + " bytes not yet durable (maxBufferedBytes "
              + maxBufferedBytes + "); the log is slower than the source");
        }
        try {
          room.wait(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for room to store in receiver "
              + receiverId, e);
        }
      }
      buffered += size;
      return true;
    }
  }

  /** Gives back the unprocessed-bytes room of a store refused before it reached a block. */
  void releaseUnprocessed(long payload) {
    backlog.releaseUnsubmitted(receiverId, payload);
  }

  /**
   * Takes unprocessed-bytes room for {@code payload}; false if the receiver stopped meanwhile.
   *
   * @throws BackPressureException as {@link Backlog#reserve}
   */
  boolean reserveUnprocessed(long payload) {
    return backlog.reserve(receiverId, payload, () -> stopped);
  }

  void release(long size) {
    synchronized (room) {
      buffered -= size;
      room.notifyAll();
    }
  }

  /** Runs {@code hook} after each durable store, before its future completes. */
  void onDurableStore(Runnable hook) {
    this.onDurableStore = hook;
  }

  boolean isStopped() {
    return stopped;
  }

  /** Makes {@link #isStopped()} true, so that the receiver's loops end; stores are refused. */
  void markStopping() {
    stopped = true;
  }

  /** Refuses appends from now on; called after the generator stored or failed what it held. */
  void close() {
    stopped = true;
    synchronized (appendLock) {
      appendsClosed = true;
    }
    synchronized (room) {
      room.notifyAll();
    }
  }

  /**
   * Waits until every accepted store has completed, one way or the other, and the dependents its
   * future had then have run, or until {@code deadlineNanos} ({@link System#nanoTime()}).
   *
   * @return false if the deadline passed first
   */
  boolean awaitStored(long deadlineNanos) {
    synchronized (room) {
      while (buffered > 0 || completing > 0) {
        long wait = deadlineNanos - System.nanoTime();
        if (wait <= 0) {
          return false;
        }
        try {
          room.wait(Math.max(1, Math.min(10, wait / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /** The latest metadata stored durably with a block of this receiver, read-only; null if none. */
  ByteBuffer durableMetadata() {
    ByteBuffer m = durableMetadata;
    return m == null ? null : m.duplicate();
  }

  ReceiverStats stats() {
    long b;
    synchronized (room) {
      b = buffered;
    }
    return new ReceiverStats(receiverId, records.get(), bytes.get(), blocks.get(),
        latencyNanos.get(), maxLatencyNanos.get(), b, backlog.unprocessed(receiverId),
        latencies.snapshot());
  }

  IllegalStateException stoppedException() {
    return new IllegalStateException("receiver " + receiverId + " is stopped: its engine is "
        + "stopping, so the records were not stored; do not acknowledge them upstream");
  }
}
