package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers single records into blocks, encoded in place in {@link BlockFormat} so that cutting a
 * block copies nothing; cuts when the engine ticks (every blockInterval) or when the block reaches
 * maxBlockBytes. Every record of a block shares the block's future, so single-record sources get
 * group durability too. Blocks are appended to the data log under this generator's lock, in the
 * order they were cut. Thread-safe.
 */
final class BlockGenerator {
  private static final int MIN_CAPACITY = 4096;

  private final ReceiverContext context;
  private final int maxBlockBytes;

  private ByteBuffer block; // guarded by this
  private int count; // guarded by this
  private long payload; // guarded by this
  private long reserved; // guarded by this
  private long firstNanos; // guarded by this
  private CompletableFuture<BlockInfo> future; // guarded by this
  private int lastBlockSize = MIN_CAPACITY; // guarded by this
  private boolean closed; // guarded by this

  BlockGenerator(ReceiverContext context, int maxBlockBytes) {
    this.context = context;
    this.maxBlockBytes = maxBlockBytes;
  }

  /** Adds a record whose {@code reservedSize} bytes of back-pressure room are already taken. */
  synchronized CompletableFuture<BlockInfo> add(ByteBuffer record, long reservedSize) {
    if (closed) {
      context.release(reservedSize);
      return CompletableFuture.failedFuture(context.stoppedException());
    }
    int need = BlockFormat.RECORD_OVERHEAD + record.remaining();
    if (count > 0 && block.position() + need > maxBlockBytes) {
      cut();
    }
    if (count == 0) {
      block = ByteBuffer.allocate(Math.min(maxBlockBytes, Math.max(lastBlockSize, MIN_CAPACITY)))
          .order(ByteOrder.LITTLE_ENDIAN);
      block.position(BlockFormat.HEADER_SIZE);
      future = new CompletableFuture<>();
      firstNanos = System.nanoTime();
    }
    if (block.remaining() < need) {
      int capacity = (int) Math.min(maxBlockBytes,
          Math.max((long) block.capacity() * 2, (long) block.position() + need));
      block = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN).put(block.flip());
    }
    block.putInt(record.remaining()).put(record.duplicate());
    count++;
    payload += record.remaining();
    reserved += reservedSize;
    CompletableFuture<BlockInfo> shared = future;
    if (block.position() + BlockFormat.RECORD_OVERHEAD >= maxBlockBytes) {
      cut();
    }
    // A copy per caller: one caller cannot complete or cancel the future of the others.
    return shared.copy();
  }

  /** Stores the block being gathered, if any. */
  synchronized void cut() {
    if (count == 0) {
      return;
    }
    block.put(0, BlockFormat.VERSION).putInt(1, count);
    lastBlockSize = block.position();
    context.submit(block.flip(), count, payload, reserved, firstNanos, future);
    block = null;
    future = null;
    count = 0;
    payload = 0;
    reserved = 0;
  }

  /** Refuses records from now on; with {@code flush} stores the block being gathered first. */
  synchronized void close(boolean flush) {
    if (closed) {
      return;
    }
    if (flush) {
      cut();
    } else if (count > 0) {
      context.release(reserved);
      context.threads().fail(future, context.stoppedException());
      block = null;
      future = null;
      count = 0;
      payload = 0;
      reserved = 0;
    }
    closed = true;
  }
}
