package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import io.zerowal.core.LogFailedException;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What a {@link Receiver} stores its records through. One per receiver, handed to
 * {@link Receiver#onStart}.
 *
 * <h2>Durability</h2>
 * A store's future completes only when the block holding the records is durable in the receiver's
 * data log <em>and</em> its BlockAdded event is durable in the engine's metadata log, as the
 * engine's {@link io.zerowal.core.Durability} promises. Acknowledge upstream then, never before:
 * from that moment the records will be processed in some completed batch, across any crash that
 * durability survives. The future completes on one of a log's own threads: keep the callback short.
 *
 * <h2>Back-pressure</h2>
 * Bytes accepted and not yet durable are bounded per receiver; a store beyond the bound waits or
 * throws {@link BackPressureException}, as the engine was configured. An optional rate limit spaces
 * records out to a number per second.
 *
 * <p>Thread-safe: any number of threads may store.
 */
public final class ReceiverContext {
  private final String receiverId;
  private final WriteAheadLog dataLog;
  private final BlockTracker tracker;
  private final int maxBlockBytes;
  private final long maxBufferedBytes;
  private final BackPressure backPressure;
  private final RateLimiter rateLimiter;
  private final Consumer<Throwable> onLogFailure;
  private final EngineThreads threads;
  private final BlockGenerator generator;

  private final Object appendLock = new Object();
  private boolean appendsClosed; // guarded by appendLock
  /** Lower bounds of the sequences of blocks appended but not yet in the tracker, with counts. */
  private final TreeMap<Long, Integer> inFlight = new TreeMap<>(); // guarded by itself

  private final Object room = new Object();
  private long buffered; // guarded by room
  private volatile boolean stopped;

  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong blocks = new AtomicLong();
  private final AtomicLong latencyNanos = new AtomicLong();
  private final AtomicLong maxLatencyNanos = new AtomicLong();

  ReceiverContext(String receiverId, WriteAheadLog dataLog, BlockTracker tracker, int maxBlockBytes,
      long maxBufferedBytes, BackPressure backPressure, long maxRecordsPerSecond,
      Consumer<Throwable> onLogFailure, EngineThreads threads) {
    this.receiverId = receiverId;
    this.dataLog = dataLog;
    this.tracker = tracker;
    this.maxBlockBytes = maxBlockBytes;
    this.maxBufferedBytes = maxBufferedBytes;
    this.backPressure = backPressure;
    this.rateLimiter = maxRecordsPerSecond > 0 ? new RateLimiter(maxRecordsPerSecond) : null;
    this.onLogFailure = onLogFailure;
    this.threads = threads;
    this.generator = new BlockGenerator(this, maxBlockBytes);
  }

  /** The id this receiver was registered under. */
  public String receiverId() {
    return receiverId;
  }

  /** True once the engine is stopping: stores are refused from then on. */
  public boolean isStopped() {
    return stopped;
  }

  /**
   * Stores {@code records} as one block; reads their remaining bytes now, so the buffers may be
   * reused once this returns.
   *
   * @return a future completing with the block once it is durable (see the class comment), or
   *     exceptionally if the engine stops first ({@link IllegalStateException}) or a log fails
   * @throws IllegalArgumentException if the block would exceed the engine's {@code maxBlockBytes}
   * @throws BackPressureException under {@link BackPressure#FAIL_FAST} when this receiver already
   *     buffers {@code maxBufferedBytes}
   */
  public CompletableFuture<BlockInfo> store(List<ByteBuffer> records) {
    Objects.requireNonNull(records, "records must not be null");
    long payload = 0;
    for (ByteBuffer r : records) {
      payload += Objects.requireNonNull(r, "records must not contain null").remaining();
    }
    long size = BlockFormat.encodedSize(records.size(), payload);
    if (size > maxBlockBytes) {
      throw new IllegalArgumentException("a block of " + records.size() + " records and " + payload
          + " bytes encodes to " + size + " bytes, over maxBlockBytes " + maxBlockBytes
          + " of receiver " + receiverId + ": store fewer records at once or raise maxBlockBytes");
    }
    if (stopped) {
      return stoppedFuture();
    }
    if (rateLimiter != null) {
      rateLimiter.acquire(records.size());
    }
    if (!reserve(size)) {
      return stoppedFuture();
    }
    ByteBuffer block = BlockFormat.encode(records, (int) size);
    CompletableFuture<BlockInfo> result = new CompletableFuture<>();
    submit(block, records.size(), payload, size, System.nanoTime(), result);
    return result;
  }

  /**
   * Stores one record through this receiver's block generator, which cuts a block every
   * {@code blockInterval} or when it reaches {@code maxBlockBytes}; reads the record's remaining
   * bytes now. Records stored from one thread keep their order.
   *
   * @return a future completing when the block holding the record is durable; see
   *     {@link #store(List)}
   * @throws IllegalArgumentException if the record alone exceeds {@code maxBlockBytes}
   * @throws BackPressureException as for {@link #store(List)}
   */
  public CompletableFuture<BlockInfo> store(ByteBuffer record) {
    Objects.requireNonNull(record, "record must not be null");
    long size = BlockFormat.RECORD_OVERHEAD + (long) record.remaining();
    if (BlockFormat.HEADER_SIZE + size > maxBlockBytes) {
      throw new IllegalArgumentException("a record of " + record.remaining() + " bytes does not fit"
          + " in a block of maxBlockBytes " + maxBlockBytes + " of receiver " + receiverId
          + ": raise maxBlockBytes");
    }
    if (stopped) {
      return stoppedFuture();
    }
    if (rateLimiter != null) {
      rateLimiter.acquire(1);
    }
    if (!reserve(size)) {
      return stoppedFuture();
    }
    return generator.add(record, size);
  }

  /** Stores {@code record}'s bytes; see {@link #store(ByteBuffer)}. */
  public CompletableFuture<BlockInfo> store(byte[] record) {
    return store(ByteBuffer.wrap(Objects.requireNonNull(record, "record must not be null")));
  }

  /** Counters since the engine started. */
  public ReceiverStats stats() {
    long b;
    synchronized (room) {
      b = buffered;
    }
    return new ReceiverStats(receiverId, records.get(), bytes.get(), blocks.get(),
        latencyNanos.get(), maxLatencyNanos.get(), b);
  }

  // ---------------------------------------------------------------- store path

  /** Appends an encoded block; {@code result} completes once the block and its BlockAdded are durable. */
  void submit(ByteBuffer block, int count, long payload, long reserved, long startNanos,
      CompletableFuture<BlockInfo> result) {
    long floor;
    CompletableFuture<RecordHandle> data;
    synchronized (appendLock) {
      if (appendsClosed) {
        release(reserved);
        threads.fail(result, stoppedException());
        return;
      }
      try {
        // Every record appended from now on gets a sequence at least this: cleanup keeps it.
        floor = dataLog.nextSequence();
        addInFlight(floor);
        try {
          data = dataLog.append(block);
        } catch (RuntimeException e) {
          removeInFlight(floor);
          throw e;
        }
      } catch (RuntimeException e) {
        release(reserved);
        threads.fail(result, e);
        return;
      }
    }
    data.whenComplete((handle, error) -> {
      if (error != null) {
        removeInFlight(floor);
        fail(result, reserved, error);
        return;
      }
      BlockInfo info = new BlockInfo(receiverId, count, payload, handle);
      CompletableFuture<RecordHandle> added;
      try {
        // The block is durable in the data log before its BlockAdded is appended: a crash can
        // leave data without metadata (never acknowledged, cleaned later) but never the reverse.
        added = tracker.addBlock(info);
      } catch (RuntimeException e) {
        fail(result, reserved, e);
        return;
      } finally {
        // After the tracker holds the block, so that cleanup sees it in one place or the other.
        removeInFlight(floor);
      }
      added.whenComplete((h, metaError) -> {
        if (metaError != null) {
          fail(result, reserved, metaError);
          return;
        }
        release(reserved);
        long latency = System.nanoTime() - startNanos;
        records.addAndGet(count);
        bytes.addAndGet(payload);
        blocks.incrementAndGet();
        latencyNanos.addAndGet(latency);
        maxLatencyNanos.accumulateAndGet(latency, Math::max);
        threads.complete(result, info);
      });
    });
  }

  private void fail(CompletableFuture<BlockInfo> result, long reserved, Throwable error) {
    release(reserved);
    threads.fail(result, error);
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof LogFailedException) {
      onLogFailure.accept(cause);
    }
  }

  /** The oldest data-log sequence still needed: what cleanup may truncate before. */
  long oldestNeeded() {
    // Read in this order: a block moves from in-flight to the tracker, never back, and any block
    // appended later gets a sequence at least the next sequence read first.
    long oldest = dataLog.nextSequence();
    synchronized (inFlight) {
      if (!inFlight.isEmpty()) {
        oldest = Math.min(oldest, inFlight.firstKey());
      }
    }
    return Math.min(oldest, tracker.oldestNeeded(receiverId));
  }

  private void addInFlight(long floor) {
    synchronized (inFlight) {
      inFlight.merge(floor, 1, Integer::sum);
    }
  }

  private void removeInFlight(long floor) {
    synchronized (inFlight) {
      inFlight.computeIfPresent(floor, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /** Waits for room for {@code size} bytes; false if the receiver stopped meanwhile. */
  private boolean reserve(long size) {
    synchronized (room) {
      while (buffered > 0 && buffered + size > maxBufferedBytes) {
        if (backPressure == BackPressure.FAIL_FAST) {
          throw new BackPressureException("receiver " + receiverId + " already buffers " + buffered
              + " bytes not yet durable (maxBufferedBytes " + maxBufferedBytes + "): retry later,"
              + " slow the source, or configure BackPressure.BLOCK");
        }
        if (stopped) {
          return false;
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

  void release(long size) {
    synchronized (room) {
      buffered -= size;
      room.notifyAll();
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Cuts the block being generated; called every blockInterval. */
  void tick() {
    generator.cut();
  }

  /** Makes {@link #isStopped()} true, so that the receiver's loops end; stores are refused. */
  void markStopping() {
    stopped = true;
  }

  /** Refuses stores from now on; with {@code flush} the block being generated is stored first. */
  void stop(boolean flush) {
    stopped = true;
    generator.close(flush);
    synchronized (appendLock) {
      appendsClosed = true;
    }
    synchronized (room) {
      room.notifyAll();
    }
  }

  /** Waits until every accepted store has completed, one way or the other. */
  void awaitStored() {
    synchronized (room) {
      while (buffered > 0) {
        try {
          room.wait(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  WriteAheadLog dataLog() {
    return dataLog;
  }

  EngineThreads threads() {
    return threads;
  }

  IllegalStateException stoppedException() {
    return new IllegalStateException("receiver " + receiverId + " is stopped: its engine is "
        + "stopping, so the records were not stored; do not acknowledge them upstream");
  }

  private CompletableFuture<BlockInfo> stoppedFuture() {
    return CompletableFuture.failedFuture(stoppedException());
  }
}
