/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Small helpers shared by the log's tests: payloads, appending and reading back, bounded waits, the
 * logs a test opened, a writer stalled on demand.
 */
final class TestLogs {
  /** Every wait in these tests is bounded by this. */
  static final long WAIT_SECONDS = 30;

  private TestLogs() {}

  /** A payload of {@code length} bytes that differs per {@code id}, so a swapped record shows. */
  static byte[] payload(long id, int length) {
    byte[] b = new byte[length];
    long x = id * 0x9E3779B97F4A7C15L + length;
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b[i] = (byte) x;
    }
    return b;
  }

  /** {@code count} payloads of {@code length} bytes: {@code payload(0, length)} and so on. */
  static List<byte[]> payloads(int count, int length) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(payload(i, length));
    }
    return list;
  }

  /** Appends every payload before awaiting any (so they share groups); the handles, in order. */
  static List<RecordHandle> appendAll(WriteAheadLog log, List<byte[]> payloads) throws Exception {
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    for (byte[] p : payloads) {
      futures.add(log.append(p));
    }
    List<RecordHandle> handles = new ArrayList<>();
    for (CompletableFuture<RecordHandle> f : futures) {
      handles.add(await(f));
    }
    return handles;
  }

  /** Every record a reader from {@code from} iterates. */
  static List<LogRecord> readAll(WriteAheadLog log, long from) {
    List<LogRecord> records = new ArrayList<>();
    try (LogReader r = log.readFrom(from)) {
      r.forEach(records::add);
    }
    return records;
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static <T> T await(CompletableFuture<T> f)
      throws InterruptedException, ExecutionException, TimeoutException {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} every 5 ms for at most {@link #WAIT_SECONDS}; returns whether it held. */
  static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(5);
    }
    return condition.getAsBoolean();
  }

  /**
   * Holds the log's writer thread inside a completion callback until {@link #release()}, so that
   * appends made meanwhile queue up behind it. Deterministic: the callback is attached to a future
   * that cannot have completed on this thread's watch, or the attempt is repeated.
   */
  static final class WriterStall implements AutoCloseable {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Runnable afterRelease = () -> {};
    /** The future of the append whose callback holds the writer. */
    CompletableFuture<RecordHandle> stalledAppend;

    static WriterStall of(WriteAheadLog log) throws InterruptedException {
      return of(log, () -> {});
    }

    /** Stalls the writer; once released, it runs {@code afterRelease} inside the same callback. */
    static WriterStall of(WriteAheadLog log, Runnable afterRelease) throws InterruptedException {
      Thread caller = Thread.currentThread();
      for (int attempt = 0; attempt < 1000; attempt++) {
        WriterStall s = new WriterStall();
        s.afterRelease = afterRelease;
        CompletableFuture<RecordHandle> f = log.append(new byte[] {42});
        CompletableFuture<Void> held = f.thenAccept(h -> {
          if (Thread.currentThread() != caller) {
            s.entered.countDown();
            try {
              s.release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            s.afterRelease.run();
          }
        });
        if (held.isDone()) {
          continue; // completed before the callback was attached: it ran here, try again
        }
        if (!s.entered.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new AssertionError("the writer never ran the stalling callback");
        }
        s.stalledAppend = f;
        return s;
      }
      throw new AssertionError("could not attach a callback before its append completed");
    }

    void release() {
      release.countDown();
    }

    @Override
    public void close() {
      release();
    }
  }

  /**
   * The logs a test opens, closed after it whether it passed or not; by default on a fresh
   * {@link MemoryStorage} per test. Register it as {@code @RegisterExtension final OpenLogs logs =
   * new OpenLogs();}.
   */
  static final class OpenLogs implements AfterEachCallback {
    final MemoryStorage memory = new MemoryStorage();
    private final List<WriteAheadLog> opened = new ArrayList<>();

    WriteAheadLog open(WriteAheadLog.Builder builder) {
      WriteAheadLog log = builder.open();
      opened.add(log);
      return log;
    }

    /** On {@link #memory}: one 4 MiB segment holds every record of a test, up to 1 MiB each. */
    WriteAheadLog openMemory() {
      return open(WriteAheadLog.builder(memory).maxRecordSize(1 << 20).segmentSize(4 << 20));
    }

    /** On {@link #memory}: 4 KiB segments, records up to 1000 bytes: segments roll often. */
    WriteAheadLog openSmallSegments() {
      return open(WriteAheadLog.builder(memory).segmentSize(4096).maxRecordSize(1000));
    }

    @Override
    public void afterEach(ExtensionContext context) {
      opened.forEach(WriteAheadLog::close);
    }
  }
}
