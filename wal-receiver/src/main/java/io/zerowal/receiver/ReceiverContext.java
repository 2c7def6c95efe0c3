/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import io.zerowal.core.WalException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * It may stop the engine (a finite source that stops on its last acknowledgement):
 * {@link MicroBatchEngine#stop()} then returns at once and the stop proceeds.
 *
 * <h2>Back-pressure</h2>
 * Bytes accepted and not yet durable are bounded per receiver ({@code maxBufferedBytes}), and so,
 * optionally, are bytes stored and not yet processed ({@code maxUnprocessedBytes}, per receiver
 * and engine-wide): a store beyond a bound waits (at most {@code maxBlockTime}) or throws
 * {@link BackPressureException}, as the engine was configured, so that a slow processor slows the
 * sources. An optional rate limit spaces records out to a number per second.
 *
 * <h2>Blocks</h2>
 * {@link #store(List)} stores one block. Single records ({@link #store(ByteBuffer)}) are gathered:
 * a record is stored at once when none of this receiver's blocks is in flight, otherwise with the
 * records that arrive until the block in flight completes (or {@code blockInterval} passes).
 *
 * <h2>Supervision</h2>
 * As Spark's receivers, a receiver can {@link #reportError report an error} (logged once, handed to
 * the engine's {@link FailureListener}), ask to be {@link #restart restarted} ({@code onStop}, a
 * backoff, {@code onStart} again, within the engine's {@link RestartPolicy}) or {@link #stop
 * stopped} for good; the other receivers run on. Threads started with {@link #startThread} are
 * supervised: one that throws restarts the receiver. {@link #isStopped()} turns true whenever the
 * receiver should end its loops (a restart, a stop, the engine's stop).
 *
 * <p>Thread-safe: any number of threads may store.
 */
public final class ReceiverContext {
  private static final Logger log = LoggerFactory.getLogger(ReceiverContext.class);

  private final String receiverId;
  private final int maxBlockBytes;
  private final int maxMetadataBytes;
  private final long blockIntervalNanos;
  private long lastTickNanos = System.nanoTime(); // only the block-cutting thread
  private final RateLimiter rateLimiter;
  private final BlockWriter writer;
  private final BlockGenerator generator;
  private final EngineThreads threads;
  private volatile ReceiverSupervisor supervisor; // set once, before onStart

  ReceiverContext(String receiverId, EngineConfig config, BlockWriter writer,
      EngineThreads threads) {
    this.receiverId = receiverId;
    this.threads = threads;
    this.maxBlockBytes = config.maxBlockBytes(receiverId);
    this.blockIntervalNanos = config.blockInterval(receiverId).toNanos();
    this.maxMetadataBytes = config.maxMetadataBytes();
    long rate = config.maxRecordsPerSecond(receiverId);
    // Under rate control a receiver starts slow, until batches measure the processor.
    double start = rate > 0 ? Math.min(rate, RateEstimator.MIN_RATE) : RateEstimator.MIN_RATE;
    this.rateLimiter = config.rateControl() ? new RateLimiter(start)
        : rate > 0 ? new RateLimiter(rate) : null;
    this.writer = writer;
    this.generator = new BlockGenerator(writer, maxBlockBytes);
  }

  /** {@return the id this receiver was registered under} */
  public String receiverId() {
    return receiverId;
  }

  /**
   * True when the receiver should end its loops: the engine is stopping (stores are refused from
   * then on), the receiver is being restarted (stores are still accepted until {@code onStop}
   * returns), or it was stopped for good.
   *
   * @return true once the receiver should end its loops
   */
  public boolean isStopped() {
    ReceiverSupervisor s = supervisor;
    return writer.isStopped() || (s != null && s.isHalted());
  }

  // ---------------------------------------------------------------- supervision

  /**
   * Reports an error that the receiver handles itself: logged once at ERROR and handed to the
   * engine's {@link FailureListener}; the receiver runs on.
   *
   * @param message what went wrong, in the receiver's words
   * @param error the error, or null
   */
  public void reportError(String message, Throwable error) {
    supervisor.reportError(Objects.requireNonNull(message, "message"), error);
  }

  /**
   * Restarts this receiver after the {@link RestartPolicy}'s backoff: on a thread of the engine,
   * {@code onStop}, the wait, then {@code onStart} with this same context. Returns at once. Past
   * the policy's attempts the receiver is stopped for good instead (and the engine with it if so
   * configured). Ignored while a restart or stop is under way. Stores go on being accepted, and
   * acknowledged, throughout.
   *
   * @param message why the receiver restarts
   * @param error the error, or null
   */
  public void restart(String message, Throwable error) {
    supervisor.restart(Objects.requireNonNull(message, "message"), error, null);
  }

  /**
   * As {@link #restart(String, Throwable)}, waiting {@code delay} instead of the backoff.
   *
   * @param message why the receiver restarts
   * @param error the error, or null
   * @param delay how long to wait before {@code onStart}
   */
  public void restart(String message, Throwable error, Duration delay) {
    supervisor.restart(Objects.requireNonNull(message, "message"), error,
        EngineConfig.atLeastZero(delay, "delay"));
  }

  /**
   * Stops this receiver for good, on a thread of the engine: {@code onStop}, then what its block
   * generator holds is stored and later stores are refused. Returns at once. The engine and the
   * other receivers run on, and what this receiver stored is processed.
   *
   * @param message why the receiver stops
   */
  public void stop(String message) {
    supervisor.stop(Objects.requireNonNull(message, "message"));
  }

  /**
   * Starts a supervised thread for this receiver, named
   * {@code zerowal-<engine>-<receiverId>-<name>}: if {@code body} throws while the receiver runs,
   * the receiver is restarted as by {@link #restart(String, Throwable)} (or stopped, per the
   * policy); instead of the JVM's "Exception in thread" line, the failure is logged once and
   * handed to the engine's {@link FailureListener}. {@link MicroBatchEngine#stop()} called on this
   * thread returns at once. {@code onStop} must still end the thread (check {@link #isStopped()}).
   *
   * @param name the thread's name, after the engine's and receiver's
   * @param body what the thread runs
   * @return the started thread
   */
  public Thread startThread(String name, Runnable body) {
    Objects.requireNonNull(body, "body");
    String threadName = receiverId + "-" + Objects.requireNonNull(name, "name");
    return threads.startReceiverThread(threadName, () -> {
      try {
        body.run();
      } catch (Throwable t) {
        if (isStopped()) {
          // Threw while being stopped (an interrupt, a closed source): nothing to restart.
          log.debug("thread {} ended with {} while its receiver stops", threadName, t);
        } else {
          supervisor.restart("thread " + threadName + " threw " + t, t, null);
        }
      }
    });
  }

  void supervise(ReceiverSupervisor s) {
    this.supervisor = s;
    writer.onDurableStore(s::storedDurably);
  }

  /**
   * Stores {@code records} as one block; reads their remaining bytes now, so the buffers may be
   * reused once this returns.
   *
   * @param records the block's records, stored in this order
   * @return a future completing with the block once it is durable (see the class comment), or
   *     exceptionally if the engine stops first ({@link IllegalStateException}) or a log fails
   * @throws IllegalArgumentException if the block would exceed the engine's {@code maxBlockBytes}
   * @throws BackPressureException under {@link BackPressure#FAIL_FAST} when this receiver already
   *     buffers {@code maxBufferedBytes}
   */
  public CompletableFuture<BlockInfo> store(List<ByteBuffer> records) {
    return store(records, null);
  }

  /**
   * Stores {@code records} as one block together with {@code metadata}: the receiver's position
   * in its source (Kafka offsets, a file position), as Spark's {@code store(buffer, metadata)}.
   * Once the store completes, the metadata is durable with the block, and
   * {@link #lastMetadata()} returns it, after any restart or crash too: a receiver can resume
   * from it without an external offset store. Metadata is at most {@link #maxMetadataBytes()}.
   *
   * @param records the block's records, stored in this order
   * @param metadata read now (its remaining bytes), so it may be reused once this returns; null
   *     for none
   * @return as {@link #store(List)}
   * @throws IllegalArgumentException if the block would exceed {@code maxBlockBytes} or the
   *     metadata {@link #maxMetadataBytes()}
   * @throws BackPressureException as for {@link #store(List)}
   */
  public CompletableFuture<BlockInfo> store(List<ByteBuffer> records, ByteBuffer metadata) {
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
    ByteBuffer meta = copyMetadata(metadata);
    if (writer.isStopped()) {
      return stoppedFuture();
    }
    if (rateLimiter != null) {
      rateLimiter.acquire(records.size());
    }
    if (!writer.reserveUnprocessed(payload)) {
      return stoppedFuture();
    }
    if (!reserve(size, payload)) {
      return stoppedFuture();
    }
    ByteBuffer block = BlockFormat.encode(records, writer.blockBuffer((int) size));
    CompletableFuture<BlockInfo> result = new CompletableFuture<>();
    writer.submit(block, records.size(), payload, size, System.nanoTime(), meta, result);
    return result;
  }

  /** A copy of {@code metadata}'s remaining bytes, checked against maxMetadataBytes; or null. */
  private ByteBuffer copyMetadata(ByteBuffer metadata) {
    if (metadata == null) {
      return null;
    }
    if (metadata.remaining() > maxMetadataBytes) {
      throw new IllegalArgumentException("metadata of " + metadata.remaining() + " bytes is over"
          + " the " + maxMetadataBytes + " bytes receiver " + receiverId + " may store with a"
          + " block (metadataSegmentSize / 8 / receivers, at most 64 KiB): store a smaller"
          + " position or raise metadataSegmentSize");
    }
    return ByteBuffer.allocate(metadata.remaining()).put(metadata.duplicate()).flip();
  }

  /**
   * Stores {@code records} as one block and waits until it is durable, as Spark's
   * {@code store(ArrayBuffer)}: acknowledge upstream once this returns, on the calling thread,
   * which is what a source that may only be touched from its own thread (a Kafka consumer) needs.
   * Throughput comes from large lists: each call pays one durable store.
   *
   * @param records the block's records, stored in this order
   * @return the stored block
   * @throws InterruptedException if interrupted while waiting; the block may still be stored
   * @throws IllegalStateException if the engine stops first: the records were not stored
   * @throws io.zerowal.core.WalException (a subclass) if a log failed: not stored
   * @throws IllegalArgumentException as for {@link #store(List)}
   */
  public BlockInfo storeAndWait(List<ByteBuffer> records) throws InterruptedException {
    return await(store(records, null));
  }

  /**
   * As {@link #storeAndWait(List)}, with {@code metadata} as for {@link #store(List, ByteBuffer)}.
   *
   * @param records the block's records, stored in this order
   * @param metadata the receiver's position in its source, stored with the block
   * @return the durable block
   * @throws InterruptedException if the thread is interrupted while waiting; the block may still be
   *     stored
   */
  public BlockInfo storeAndWait(List<ByteBuffer> records, ByteBuffer metadata)
      throws InterruptedException {
    return await(store(records, metadata));
  }

  /**
   * Stores one record through the block generator and waits until its block is durable; see
   * {@link #storeAndWait(List)}. Records stored this way from several threads share blocks.
   *
   * @param record the record
   * @return the durable block the record went into
   * @throws InterruptedException if the thread is interrupted while waiting; the record may still
   *     be stored
   */
  public BlockInfo storeAndWait(ByteBuffer record) throws InterruptedException {
    return await(store(record));
  }

  /**
   * As {@link #storeAndWait(ByteBuffer)}, with {@code metadata} as for
   * {@link #store(ByteBuffer, ByteBuffer)}.
   *
   * @param record the record; its remaining bytes are read now
   * @param metadata the source's position after this record, read now; null for none
   * @return the stored block holding the record
   * @throws InterruptedException if interrupted while waiting; the record may still be stored
   * @throws IllegalArgumentException as for {@link #store(ByteBuffer, ByteBuffer)}
   */
  public BlockInfo storeAndWait(ByteBuffer record, ByteBuffer metadata)
      throws InterruptedException {
    return await(store(record, metadata));
  }

  private static BlockInfo await(CompletableFuture<BlockInfo> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new WalException("storing failed: " + cause, cause);
    }
  }

  /**
   * The latest metadata this receiver stored durably with a block ({@link #store(List,
   * ByteBuffer)}), as a read-only buffer; recovered from the metadata log at start, so a receiver
   * resumes from it in {@code onStart}, after a restart or a crash. Empty if it never stored any.
   *
   * @return the latest durable metadata, or empty
   */
  public Optional<ByteBuffer> lastMetadata() {
    return Optional.ofNullable(writer.durableMetadata()).map(ByteBuffer::asReadOnlyBuffer);
  }

  /**
   * {@return the largest metadata a store may carry: metadataSegmentSize / 8 / receivers, at most
   * 64 KiB}
   */
  public int maxMetadataBytes() {
    return maxMetadataBytes;
  }

  /**
   * {@return the largest block this receiver may store, encoded: the engine's {@code maxBlockBytes}
   * for it} A receiver that gathers its own blocks for {@link #store(List, ByteBuffer)} keeps them
   * within this bound: a block encodes to 5 bytes of header plus, per record, 4 bytes and the
   * record's bytes; a larger one is refused with {@link IllegalArgumentException}.
   */
  public int maxBlockBytes() {
    return maxBlockBytes;
  }

  /**
   * Stores one record through this receiver's block generator, which cuts a block every
   * {@code blockInterval} or when it reaches {@code maxBlockBytes}; reads the record's remaining
   * bytes now. Records stored from one thread keep their order.
   *
   * @param record the record, from its position to its limit
   * @return a future completing when the block holding the record is durable; see
   *     {@link #store(List)}
   * @throws IllegalArgumentException if the record alone exceeds {@code maxBlockBytes}
   * @throws BackPressureException as for {@link #store(List)}
   */
  public CompletableFuture<BlockInfo> store(ByteBuffer record) {
    return store(record, null);
  }

  /**
   * Stores one record through this receiver's block generator, as {@link #store(ByteBuffer)},
   * with {@code metadata}: the source's position after this record. The block the record goes
   * into carries the metadata of its last record stored with some, so once the store completes
   * {@link #lastMetadata()} returns this metadata or a later one, after any restart or crash too.
   * For a source read by one thread that stores each record with its position (a Kafka partition
   * offset) this resumes record-at-a-time sources without an external offset store, as
   * {@link #store(List, ByteBuffer)} does for lists. Metadata is at most {@link #maxMetadataBytes()}.
   *
   * @param record the record; its remaining bytes are read now
   * @param metadata read now (its remaining bytes), so it may be reused once this returns; null
   *     for none
   * @return a future completing when the block holding the record is durable
   * @throws IllegalArgumentException if the record alone exceeds {@code maxBlockBytes} or the
   *     metadata {@link #maxMetadataBytes()}
   * @throws BackPressureException as for {@link #store(List)}
   */
  public CompletableFuture<BlockInfo> store(ByteBuffer record, ByteBuffer metadata) {
    Objects.requireNonNull(record, "record must not be null");
    long size = BlockFormat.RECORD_OVERHEAD + (long) record.remaining();
    if (BlockFormat.HEADER_SIZE + size > maxBlockBytes) {
      throw new IllegalArgumentException("a record of " + record.remaining() + " bytes does not fit"
          + " in a block of maxBlockBytes " + maxBlockBytes + " of receiver " + receiverId
          + ": raise maxBlockBytes");
    }
    ByteBuffer meta = copyMetadata(metadata);
    if (writer.isStopped()) {
      return stoppedFuture();
    }
    if (rateLimiter != null) {
      rateLimiter.acquire(1);
    }
    if (!writer.reserveUnprocessed(record.remaining())) {
      return stoppedFuture();
    }
    if (!reserve(size, record.remaining())) {
      return stoppedFuture();
    }
    return generator.add(record, size, meta);
  }

  /**
   * Stores {@code record}'s bytes; see {@link #store(ByteBuffer)}.
   *
   * @param record the record's bytes
   * @return a future completed with the record's block once it is durable
   */
  public CompletableFuture<BlockInfo> store(byte[] record) {
    return store(ByteBuffer.wrap(Objects.requireNonNull(record, "record must not be null")));
  }

  /** {@return counters since the engine started} */
  public ReceiverStats stats() {
    return writer.stats();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Cuts the block being generated if this receiver's blockInterval passed since the last cut by
   * a tick; called by the block-cutting thread at the shortest blockInterval of the engine.
   */
  void tick(long nowNanos) {
    if (nowNanos - lastTickNanos >= blockIntervalNanos - blockIntervalNanos / 10) {
      lastTickNanos = nowNanos;
      generator.cut();
    }
  }

  /** Makes {@link #isStopped()} true, so that the receiver's loops end; stores are refused. */
  void markStopping() {
    writer.markStopping();
    releaseRateLimiter();
  }

  /** Refuses stores from now on; with {@code flush} the block being generated is stored first. */
  void stop(boolean flush) {
    writer.markStopping();
    releaseRateLimiter();
    generator.close(flush);
    writer.close();
  }

  /**
   * Waits until every accepted store has completed and its acknowledgement has run, or until
   * {@code deadlineNanos}; false if the deadline passed first.
   */
  boolean awaitStored(long deadlineNanos) {
    return writer.awaitStored(deadlineNanos);
  }

  /** Takes room for bytes not yet durable; gives the unprocessed room back if that fails. */
  private boolean reserve(long size, long payload) {
    boolean reserved = false;
    try {
      reserved = writer.reserve(size);
      return reserved;
    } finally {
      if (!reserved) {
        writer.releaseUnprocessed(payload);
      }
    }
  }

  /** Ends the rate limiter's waits: a store waiting its turn goes on, to be refused. */
  private void releaseRateLimiter() {
    if (rateLimiter != null) {
      rateLimiter.release();
    }
  }

  /** The rate limiter of this receiver; null if it has neither a rate nor rate control. */
  RateLimiter rateLimiter() {
    return rateLimiter;
  }

  private CompletableFuture<BlockInfo> stoppedFuture() {
    return CompletableFuture.failedFuture(writer.stoppedException());
  }
}
