/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.appendAll;
import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static io.zerowal.core.TestLogs.payloads;
import static io.zerowal.core.TestLogs.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Appending records of every shape and size, from one thread or many, and reading each back by its
 * handle.
 */
class AppendTest {
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  @Test
  void appendedByteArrayReadsBackIdentical() throws Exception {
    WriteAheadLog log = logs.openMemory();
    byte[] data = payload(1, 300);

    RecordHandle h = await(log.append(data));

    assertThat(bytes(log.read(h))).isEqualTo(data);
  }

  @Test
  void appendedByteBufferReadsBackItsRemainingBytesAndKeepsPositionAndLimit() throws Exception {
    WriteAheadLog log = logs.openMemory();
    byte[] backing = payload(2, 100);
    ByteBuffer buffer = ByteBuffer.wrap(backing).position(10).limit(60);

    RecordHandle h = await(log.append(buffer));

    assertThat(buffer.position()).isEqualTo(10);
    assertThat(buffer.limit()).isEqualTo(60);
    assertThat(h.length()).isEqualTo(50);
    assertThat(bytes(log.read(h))).isEqualTo(java.util.Arrays.copyOfRange(backing, 10, 60));
  }

  @Test
  void readOnlyAndDirectBuffersAreAccepted() throws Exception {
    WriteAheadLog log = logs.openMemory();
    byte[] small = payload(3, 200);
    byte[] large = payload(4, 100_000);
    ByteBuffer direct = ByteBuffer.allocateDirect(small.length).put(small).flip();
    ByteBuffer largeDirect = ByteBuffer.allocateDirect(large.length).put(large).flip();

    RecordHandle readOnly = await(log.append(ByteBuffer.wrap(small).asReadOnlyBuffer()));
    RecordHandle smallDirect = await(log.append(direct));
    RecordHandle bigDirect = await(log.append(largeDirect));
    RecordHandle bigReadOnly = await(log.append(ByteBuffer.wrap(large).asReadOnlyBuffer()));

    assertThat(bytes(log.read(readOnly))).isEqualTo(small);
    assertThat(bytes(log.read(smallDirect))).isEqualTo(small);
    assertThat(bytes(log.read(bigDirect))).isEqualTo(large);
    assertThat(bytes(log.read(bigReadOnly))).isEqualTo(large);
    assertThat(direct.position()).isZero();
    assertThat(largeDirect.remaining()).isEqualTo(large.length);
  }

  @Test
  void zeroLengthRecordIsARecord() throws Exception {
    WriteAheadLog log = logs.openMemory();

    RecordHandle h = await(log.append(new byte[0]));

    assertThat(h.length()).isZero();
    assertThat(log.read(h).remaining()).isZero();
    assertThat(readAll(log, 0)).extracting(LogRecord::sequence).containsExactly(0L);
    assertThat(log.nextSequence()).isEqualTo(1);
  }

  @Test
  void recordsLargerThan64KiBMixedWithSmallOnesReadBackIdentical() throws Exception {
    WriteAheadLog log = logs.openMemory();
    int[] lengths = {10, 70_000, 0, 65_536, 65_537, 3, 200_000, 1, 64 << 10, 500_000, 17};
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      data.add(payload(i, lengths[i]));
    }

    List<RecordHandle> handles = appendAll(log, data);

    for (int i = 0; i < data.size(); i++) {
      assertThat(bytes(log.read(handles.get(i)))).as("record %d", i).isEqualTo(data.get(i));
    }
    List<LogRecord> replay = readAll(log, 0);
    assertThat(replay).hasSize(data.size());
    for (int i = 0; i < data.size(); i++) {
      assertThat(replay.get(i).payloadBytes()).as("replayed record %d", i).isEqualTo(data.get(i));
    }
    assertThat(log.verify()).isEqualTo(data.size());
  }

  @Test
  void handlesHaveIncreasingSequencesAndReadBack() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();
    List<byte[]> data = payloads(200, 90);

    List<RecordHandle> handles = appendAll(log, data);

    for (int i = 0; i < handles.size(); i++) {
      assertThat(handles.get(i).sequence()).isEqualTo(i);
      assertThat(bytes(log.read(handles.get(i)))).isEqualTo(data.get(i));
    }
    assertThat(handles).extracting(RecordHandle::segment).isSorted();
  }

  @Test
  void appendsFromManyThreadsCompleteInSequenceOrder() throws Exception {
    WriteAheadLog log = logs.openMemory();
    int threads = 8;
    int perThread = 300;
    int whileStalled = 50;
    // Callbacks attached before completion run on the writer thread, in completion order.
    ConcurrentLinkedQueue<Long> completedOnLogThread = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<RecordHandle>> futures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<Void>> callbacks = new ConcurrentLinkedQueue<>();
    Map<Long, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch queuedWhileStalled = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long first;
    try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
      first = await(stall.stalledAppend).sequence() + 1;
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            byte[] p = payload(thread * 100_000L + i, 1 + (i * 37) % 500);
            CompletableFuture<RecordHandle> f = log.append(p);
            futures.add(f);
            callbacks.add(f.thenAccept(h -> {
              if (Thread.currentThread().getName().startsWith("zerowal-")) {
                completedOnLogThread.add(h.sequence());
              }
              written.put(h.sequence(), p);
            }));
            if (i == whileStalled - 1) {
              queuedWhileStalled.countDown();
            }
          }
          return null;
        }));
      }
      assertThat(queuedWhileStalled.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      stall.release();
      for (Future<?> w : workers) {
        w.get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
      }
      for (CompletableFuture<Void> f : callbacks) {
        await(f);
      }
    } finally {
      pool.shutdownNow();
    }

    List<Long> order = new ArrayList<>(completedOnLogThread);
    assertThat(order).hasSizeGreaterThanOrEqualTo(threads * whileStalled);
    assertThat(order).doesNotHaveDuplicates().isSorted();
    List<Long> sequences = new ArrayList<>();
    for (CompletableFuture<RecordHandle> f : futures) {
      sequences.add(await(f).sequence());
    }
    assertThat(sequences).doesNotHaveDuplicates().hasSize(threads * perThread)
        .allMatch(s -> s >= first && s < first + threads * perThread);
    for (LogRecord r : readAll(log, first)) {
      assertThat(r.payloadBytes()).as("record %d", r.sequence()).isEqualTo(written.get(r.sequence()));
    }
  }
}
