/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
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
  private final Function<BlockInfo, ByteBuffer> reader;

  Batch(long batchTime, List<BlockInfo> blocks, boolean recovered,
      Function<BlockInfo, ByteBuffer> reader) {
    this.batchTime = batchTime;
    this.blocks = List.copyOf(blocks);
    this.recovered = recovered;
    this.reader = reader;
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
    return BlockFormat.decode(reader.apply(block), block);
  }

  @Override
  public String toString() {
    return "Batch{time=" + batchTime + ", blocks=" + blocks.size() + ", records=" + recordCount()
        + (recovered ? ", recovered" : "") + "}";
  }
}
