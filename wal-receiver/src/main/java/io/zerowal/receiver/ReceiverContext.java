package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
 * Bytes accepted and not yet durable are bounded per receiver; a store beyond the bound waits or
 * throws {@link BackPressureException}, as the engine was configured. An optional rate limit spaces
 * records out to a number per second.
 *
 * <p>Thread-safe: any number of threads may store.
 */
public final class ReceiverContext {
  private final String receiverId;
  private final int maxBlockBytes;
  private final RateLimiter rateLimiter;
  private final BlockWriter writer;
  private final BlockGenerator generator;

  ReceiverContext(String receiverId, EngineConfig config, BlockWriter writer) {
    this.receiverId = receiverId;
    this.maxBlockBytes = config.maxBlockBytes();
    long rate = config.maxRecordsPerSecond();
    this.rateLimiter = rate > 0 ? new RateLimiter(rate) : null;
    this.writer = writer;
    this.generator = new BlockGenerator(writer, maxBlockBytes);
  }

  /** The id this receiver was registered under. */
  public String receiverId() {
    return receiverId;
  }

  /** True once the engine is stopping: stores are refused from then on. */
  public boolean isStopped() {
    return writer.isStopped();
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
    if (writer.isStopped()) {
      return stoppedFuture();
    }
    if (rateLimiter != null) {
      rateLimiter.acquire(records.size());
    }
    if (!writer.reserve(size)) {
      return stoppedFuture();
    }
    ByteBuffer block = BlockFormat.encode(records, (int) size);
    CompletableFuture<BlockInfo> result = new CompletableFuture<>();
    writer.submit(block, records.size(), payload, size, System.nanoTime(), result);
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
    if (writer.isStopped()) {
      return stoppedFuture();
    }
    if (rateLimiter != null) {
      rateLimiter.acquire(1);
    }
    if (!writer.reserve(size)) {
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
    return writer.stats();
  }

  // ---------------------------------------------------------------- lifecycle

  /** Cuts the block being generated; called every blockInterval. */
  void tick() {
    generator.cut();
  }

  /** Makes {@link #isStopped()} true, so that the receiver's loops end; stores are refused. */
  void markStopping() {
    writer.markStopping();
  }

  /** Refuses stores from now on; with {@code flush} the block being generated is stored first. */
  void stop(boolean flush) {
    writer.markStopping();
    generator.close(flush);
    writer.close();
  }

  /** Waits until every accepted store has completed, one way or the other. */
  void awaitStored() {
    writer.awaitStored();
  }

  private CompletableFuture<BlockInfo> stoppedFuture() {
    return CompletableFuture.failedFuture(writer.stoppedException());
  }
}
