package io.zerowal.core;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the log's tests: payloads, bounded waits, a writer stalled on demand. */
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
}
