/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers single records into blocks ({@link BlockFormat.Encoder}, so that cutting a block copies
 * nothing) and hands each block to the {@link BlockWriter}. Every record of a block shares the
 * block's future, so single-record sources get group durability too.
 *
 * <p>Blocks are cut the way the log groups commits, without a timer on the fast path: a record
 * that finds no block of this generator in flight is cut at once (a lone record pays one store);
 * records that arrive while one is in flight gather, and are cut as soon as it completes (a crowd
 * shares one store), or when the block reaches maxBlockBytes. The engine's tick (every
 * blockInterval) still cuts whatever waits, so slow storage pipelines blocks and no record waits
 * longer than blockInterval for its cut. Measured: 100 sequential single-record SYNC stores took
 * 21.4 s with the 200 ms timer alone (each waited for the tick), and the record-at-a-time
 * throughput of {@code ReceiverStoreThroughput} holds (see the engine's README section).
 *
 * <p>Blocks are submitted under this generator's lock, in the order they were cut. Thread-safe.
 */
final class BlockGenerator {
  private static final int MIN_CAPACITY = 4096;

  private final BlockWriter writer;
  private final int maxBlockBytes;

  private BlockFormat.Encoder block; // guarded by this; null when no record is gathered
  private long payload; // guarded by this
  private long reserved; // guarded by this
  private long firstNanos; // guarded by this
  private ByteBuffer metadata; // guarded by this: of the block's last record stored with some
  private CompletableFuture<BlockInfo> future; // guarded by this
  private int lastBlockSize = MIN_CAPACITY; // guarded by this
  private boolean closed; // guarded by this
  private int inFlight; // guarded by this: blocks cut and not yet completed

  BlockGenerator(BlockWriter writer, int maxBlockBytes) {
    this.writer = writer;
    this.maxBlockBytes = maxBlockBytes;
  }

  /**
   * Adds a record whose {@code reservedSize} bytes of back-pressure room are already taken;
   * {@code metadata} (a copy, or null) becomes the block's, replacing a previous record's: the
   * latest position of the source when the block is cut.
   */
  synchronized CompletableFuture<BlockInfo> add(ByteBuffer record, long reservedSize,
      ByteBuffer metadata) {
    if (closed) {
      writer.releaseRefused(reservedSize);
      writer.releaseUnprocessed(record.remaining());
      return CompletableFuture.failedFuture(writer.stoppedException());
    }
    if (block != null && !block.fits(record.remaining())) {
      cut();
    }
    if (block == null) {
      block = new BlockFormat.Encoder(
          writer.blockBuffer(Math.min(Math.max(lastBlockSize, MIN_CAPACITY), maxBlockBytes)),
          maxBlockBytes);
      future = new CompletableFuture<>();
      firstNanos = System.nanoTime();
    }
    block.add(record);
    if (metadata != null) {
      this.metadata = metadata;
    }
    payload += record.remaining();
    reserved += reservedSize;
    CompletableFuture<BlockInfo> shared = future;
    if (inFlight == 0 || !block.fits(1)) { // idle, or full: only an empty record would still fit
      cut();
    }
    // A copy per caller: one caller cannot complete or cancel the future of the others.
    return shared.copy();
  }

  /** Stores the block being gathered, if any. */
  synchronized void cut() {
    if (block == null) {
      return;
    }
    lastBlockSize = block.size();
    int count = block.count();
    CompletableFuture<BlockInfo> f = future;
    ByteBuffer bytes = block.finish();
    long p = payload;
    long r = reserved;
    long first = firstNanos;
    ByteBuffer meta = metadata;
    clear();
    inFlight++;
    // Registered before the submit: the store may complete within it.
    f.whenComplete((b, e) -> completed());
    writer.submit(bytes, count, p, r, first, meta, f);
  }

  /** A block of this generator completed: if records gathered meanwhile, they go now. */
  private synchronized void completed() {
    inFlight--;
    if (inFlight == 0 && !closed) {
      cut();
    }
  }

  /** Refuses records from now on; with {@code flush} stores the block being gathered first. */
  synchronized void close(boolean flush) {
    if (closed) {
      return;
    }
    if (flush) {
      cut();
    } else if (block != null) {
      writer.refuseHeld(future, reserved, payload);
      clear();
    }
    closed = true;
  }

  private void clear() {
    block = null;
    future = null;
    metadata = null;
    payload = 0;
    reserved = 0;
  }
}
