/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.ForwardingSegmentInput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link WriteAheadLog#read} keeps a bounded number of segment files open. */
class ReadInputCacheTest {
  private static final int SEGMENTS = 60;
  private static final int BOUND = 3;

  private final CountingStorage storage = new CountingStorage(new MemoryStorage());

  private WriteAheadLog open() {
    return WriteAheadLog.builder(storage).segmentSize(4096).maxRecordSize(1000)
        .maxOpenSegmentFiles(BOUND).open();
  }

  private static List<RecordHandle> fill(WriteAheadLog log) throws Exception {
    List<RecordHandle> handles = new ArrayList<>();
    int i = 0;
    while (log.stats().segments() < SEGMENTS) {
      handles.add(await(log.append(payload(i++, 900))));
    }
    return handles;
  }

  @Test
  void readingEverySegmentKeepsAtMostTheBoundOpen() throws Exception {
    try (WriteAheadLog log = open()) {
      List<RecordHandle> handles = fill(log);
      for (int i = 0; i < handles.size(); i++) {
        assertThat(bytes(log.read(handles.get(i)))).isEqualTo(payload(i, 900));
        assertThat(storage.openInputs.get()).isLessThanOrEqualTo(BOUND);
      }
      assertThat(storage.opened.get()).as("files reopened only after eviction")
          .isGreaterThanOrEqualTo(SEGMENTS - 1);
    }
    assertThat(storage.openInputs.get()).as("close releases every input").isZero();
  }

  @Test
  void concurrentReadersNeverHaveAnInputClosedUnderThem() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (WriteAheadLog log = open()) {
      List<RecordHandle> handles = fill(log);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          for (int n = 0; n < 2000; n++) {
            int i = (int) ((n * 7919L + seed * 104729L) % handles.size());
            assertThat(bytes(log.read(handles.get(i)))).isEqualTo(payload(i, 900));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(storage.openInputs.get()).isLessThanOrEqualTo(BOUND + 6);
    } finally {
      pool.shutdownNow();
    }
    assertThat(storage.openInputs.get()).isZero();
  }

  @Test
  void truncateBeforeClosesTheInputsOfDeletedSegments() throws Exception {
    try (WriteAheadLog log = open()) {
      List<RecordHandle> handles = fill(log);
      log.read(handles.get(0));
      log.read(handles.get(1));
      assertThat(storage.openInputs.get()).isEqualTo(1);
      log.truncateBefore(handles.get(handles.size() - 1).sequence());
      assertThat(storage.openInputs.get()).isZero();
    }
  }

  /** Counts the inputs opened and not yet closed. */
  private static final class CountingStorage extends ForwardingStorage {
    final AtomicInteger openInputs = new AtomicInteger();
    final AtomicInteger opened = new AtomicInteger();

    CountingStorage(Storage delegate) {
      super(delegate);
    }

    @Override
    public SegmentInput openForRead(String name) throws IOException {
      SegmentInput in = super.openForRead(name);
      openInputs.incrementAndGet();
      opened.incrementAndGet();
      return new ForwardingSegmentInput(in) {
        private boolean closed;

        @Override
        public synchronized void close() throws IOException {
          if (!closed) {
            closed = true;
            openInputs.decrementAndGet();
          }
          super.close();
        }
      };
    }
  }

  /** A segment removed outside the log is reported as that, not as a truncateBefore. */
  @Test
  void aSegmentDeletedOutsideTheLogIsNamedWhenARecordOfItIsRead() throws Exception {
    MemoryStorage disk = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(disk).segmentSize(4096).maxRecordSize(1000)
        .open()) {
      List<RecordHandle> handles = new ArrayList<>();
      for (int i = 0; log.stats().segments() < 3; i++) {
        handles.add(await(log.append(payload(i, 900))));
      }
      RecordHandle first = handles.get(0);
      disk.delete(SegmentName.of(first.segment()));

      assertThatThrownBy(() -> log.read(first)).isInstanceOf(WalException.class)
          .hasMessageContaining("segment " + SegmentName.of(first.segment()))
          .hasMessageContaining("is gone (deleted or moved outside the log")
          .hasMessageNotContaining("truncateBefore");
    }
  }
}
