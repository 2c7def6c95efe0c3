/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.LogFixture.readAll;
import static io.zerowal.core.LogFixture.sequences;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Recovery of a preallocated last segment costs memory and time for what was written, not for the
 * segment's size (issue 10, items 1 and 7): the zeros are skipped a window at a time, and no length
 * field drives an allocation.
 */
class PreallocatedRecoveryTest {
  /**
   * The largest segment the builder accepts (2 GiB - 1): a recovery that reads the zero region
   * whole needs an array of about that size (or cannot allocate one at all).
   */
  private static final long SEGMENT_SIZE = WriteAheadLog.Builder.MAX_SEGMENT_SIZE;
  private static final long ALLOCATION_BOUND = 48L << 20;

  @Test
  void crashedPreallocatedSegmentOfTheLargestSizeReopensWithEveryAcknowledgedRecordInBoundedMemory()
      throws Exception {
    for (long seed = 0; seed < 8; seed++) {
      MemoryStorage mem = new MemoryStorage();
      WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(SEGMENT_SIZE).preallocate(true)
          .open();
      for (int i = 0; i < 3; i++) {
        log.append(new byte[] {(byte) i, 1, 2, 3}).get();
      }
      mem.failNextSync(); // the fourth record is written, never synced, never acknowledged
      assertThat(log.append(new byte[1000])).failsWithin(java.time.Duration.ofSeconds(30));
      MemoryStorage survivor = mem.crash(seed);
      log.close();

      long allocatedBefore = allocatedBytes();
      try (WriteAheadLog reopened = WriteAheadLog.builder(survivor).segmentSize(SEGMENT_SIZE)
          .preallocate(true).open()) {
        long allocated = allocatedBytes() - allocatedBefore;
        // The unacknowledged fourth record may have reached the disk whole, or not.
        assertThat(sequences(readAll(reopened))).as("seed %d", seed).startsWith(0L, 1L, 2L)
            .hasSizeLessThanOrEqualTo(4);
        assertThat(allocated).as("bytes allocated by open, seed %d", seed)
            .isLessThan(ALLOCATION_BOUND);
        assertThat(reopened.recoveryReport().recordsCut()).isZero();
        assertThat(reopened.recoveryReport().bytesScanned()).isLessThan(1 << 20);
      }
    }
  }

  @Test
  void aLengthFieldBeyondMaxRecordSizeDrivesNoAllocation() throws IOException {
    int claimed = 150 << 20;
    MemoryStorage mem = new MemoryStorage();
    try (SegmentOutput out = mem.create("tail", 200L << 20)) {
      ByteBuffer header = ByteBuffer.allocate(RecordFrame.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(claimed).putInt(12345).put(RecordFrame.TYPE_RECORD).putLong(0).flip();
      out.write(header);
      out.sync();
    }
    try (SegmentInput in = mem.openForRead("tail")) {
      FrameScanner scanner = new FrameScanner(in, 0, mem.size("tail"), 1 << 20, 64 << 10);

      assertThat(scanner.next()).isEqualTo(FrameScanner.Result.BAD_LENGTH);
      assertThat(scanner.bufferCapacity()).isLessThanOrEqualTo(64 << 10);
    }
  }

  @Test
  void aLengthFieldWithinMaxRecordSizeGrowsTheBufferOnlyToThatBound() throws IOException {
    MemoryStorage mem = new MemoryStorage();
    try (SegmentOutput out = mem.create("tail", 8L << 20)) {
      ByteBuffer header = ByteBuffer.allocate(RecordFrame.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(3 << 20).putInt(12345).put(RecordFrame.TYPE_RECORD).putLong(0).flip();
      out.write(header);
      out.sync();
    }
    try (SegmentInput in = mem.openForRead("tail")) {
      FrameScanner scanner = new FrameScanner(in, 0, mem.size("tail"), 3 << 20, 2 << 20);

      assertThat(scanner.next()).isEqualTo(FrameScanner.Result.BAD_CRC);
      assertThat(scanner.bufferCapacity()).isLessThanOrEqualTo(RecordFrame.HEADER_SIZE + (3 << 20));
    }
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
