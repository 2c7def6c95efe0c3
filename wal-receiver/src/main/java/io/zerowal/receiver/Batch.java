/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * One micro-batch: the blocks allocated to a batch time. Its records are read from the receivers'
 * data logs as they are streamed, block by block, with every CRC checked. Immutable; use it only
 * during {@link BatchProcessor#process}.
 */
public final class Batch {
  private final long batchTime;
  private final List<BlockInfo> blocks;
  private final boolean recovered;
  /** Reads a block: into the given buffer's array when it can, into a new one for null. */
  private final BiFunction<BlockInfo, ByteBuffer, ByteBuffer> reader;
  /** The buffer {@link #visit} reads into, kept from batch to batch; empty while one is in use. */
  private final AtomicReference<ByteBuffer> visitBuffer;

  /** A direct buffer larger than this is not kept for the next batch once a visit is done. */
  static final int MAX_KEPT_VISIT_BUFFER = 16 << 20;

  Batch(long batchTime, List<BlockInfo> blocks, boolean recovered,
      BiFunction<BlockInfo, ByteBuffer, ByteBuffer> reader) {
    this(batchTime, blocks, recovered, reader, new AtomicReference<>());
  }

  Batch(long batchTime, List<BlockInfo> blocks, boolean recovered,
      BiFunction<BlockInfo, ByteBuffer, ByteBuffer> reader,
      AtomicReference<ByteBuffer> visitBuffer) {
    this.batchTime = batchTime;
    this.blocks = List.copyOf(blocks);
    this.recovered = recovered;
    this.reader = reader;
    this.visitBuffer = visitBuffer;
  }

  /**
   * The batch time, in epoch milliseconds; unique, and the same when the batch re-runs.
   *
   * @return the batch time in epoch milliseconds
   */
  public long batchTime() {
    return batchTime;
  }

  /** {@return the blocks, in allocation order} */
  public List<BlockInfo> blocks() {
    return blocks;
  }

  /** {@return true if this batch was allocated before a restart and runs again now} */
  public boolean isRecovered() {
    return recovered;
  }

  /** {@return the number of records in all blocks} */
  public long recordCount() {
    long n = 0;
    for (BlockInfo b : blocks) {
      n += b.recordCount();
    }
    return n;
  }

  /** {@return the payload bytes of all records} */
  public long bytes() {
    long n = 0;
    for (BlockInfo b : blocks) {
      n += b.bytes();
    }
    return n;
  }

  /**
   * The records of every block, in order, as read-only buffers; reads one block at a time from its
   * data log.
   *
   * @return the records of every block, in block order, read from the data logs as the stream is
   *     consumed
   * @throws io.zerowal.core.CorruptLogException if a block fails its CRC (from the stream)
   * @throws CorruptMetadataException if a block's bytes are not a block (from the stream)
   */
  public Stream<ByteBuffer> records() {
    return blocks.stream().flatMap(b -> Arrays.stream(records(b)));
  }

  /**
   * The records of one block of this batch.
   *
   * @param block one of {@link #blocks()}
   * @return the block's records, each a read-only buffer, in store order
   */
  public ByteBuffer[] records(BlockInfo block) {
    return BlockFormat.decode(reader.apply(block, null), block);
  }

  /**
   * Hands every record of every block, in order, to {@code visitor} without copying it: each block
   * is read into one direct buffer, reused from block to block (and from batch to batch), and each
   * record is a read-only view into it, <em>valid only during the call</em> (copy what you keep).
   * The way to read a batch for a processor that aggregates, forwards or parses records as they
   * come: the file is read straight into that buffer and checked there, nothing is allocated per
   * block, and no array of records is built. Every block is CRC-checked and decoded whole before
   * its first record is handed over.
   *
   * @param visitor called once per record, on this thread; an exception it throws ends the visit
   *     and is thrown from here
   * @throws NullPointerException if {@code visitor} is null
   * @throws io.zerowal.core.CorruptLogException if a block fails its CRC
   * @throws CorruptMetadataException if a block's bytes are not a block
   */
  public void visit(RecordVisitor visitor) {
    Objects.requireNonNull(visitor, "visitor must not be null");
    long largest = 0;
    for (BlockInfo b : blocks) {
      largest = Math.max(largest, b.handle().length());
    }
    int size = (int) Math.min(Integer.MAX_VALUE - 8, largest + 64);
    ByteBuffer buffer = visitBuffer.getAndSet(null); // another thread's visit allocates its own
    if (buffer == null || buffer.capacity() < size) {
      buffer = ByteBuffer.allocateDirect(size);
    }
    try {
      for (BlockInfo b : blocks) {
        BlockFormat.forEach(reader.apply(b, buffer), b, record -> visitor.visit(b, record));
      }
    } finally {
      if (buffer.capacity() <= MAX_KEPT_VISIT_BUFFER) {
        visitBuffer.set(buffer);
      }
    }
  }

  /** Receives the records of a batch one at a time; see {@link Batch#visit}. */
  @FunctionalInterface
  public interface RecordVisitor {
    /**
     * One record.
     *
     * @param block the block the record was stored in
     * @param record a read-only buffer of exactly the record (position 0), valid only during this
     *     call: its bytes are overwritten by a later block or batch
     */
    void visit(BlockInfo block, ByteBuffer record);
  }

  @Override
  public String toString() {
    return "Batch{time=" + batchTime + ", blocks=" + blocks.size() + ", records=" + recordCount()
        + (recovered ? ", recovered" : "") + "}";
  }
}
