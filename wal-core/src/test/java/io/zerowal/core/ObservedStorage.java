package io.zerowal.core;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MemoryStorage} seen through a window: counts the writer's writes, flushes and syncs, and
 * can hold the next sync until the test lets it fail, so that appends queue up behind a failing
 * group deterministically.
 */
final class ObservedStorage implements Storage {
  final MemoryStorage memory;
  final AtomicInteger writes = new AtomicInteger();
  final AtomicInteger flushes = new AtomicInteger();
  final AtomicInteger syncs = new AtomicInteger();
  final AtomicInteger creates = new AtomicInteger();
  /** Writes, syncs and creates after a sync failed: must stay zero (nothing is retried). */
  final AtomicInteger callsAfterFailedSync = new AtomicInteger();

  private volatile boolean syncFailed;
  private volatile CountDownLatch syncEntered;
  private volatile CountDownLatch syncRelease;

  ObservedStorage(MemoryStorage memory) {
    this.memory = memory;
  }

  /**
   * The next sync waits for {@link #failHeldSync()} and then throws. Returns a latch that opens when
   * the writer is inside that sync.
   */
  CountDownLatch holdNextSyncThenFail() {
    syncRelease = new CountDownLatch(1);
    syncEntered = new CountDownLatch(1);
    return syncEntered;
  }

  void failHeldSync() {
    syncRelease.countDown();
  }

  private void afterFailureCheck() {
    if (syncFailed) {
      callsAfterFailedSync.incrementAndGet();
    }
  }

  @Override
  public String describe() {
    return "observed " + memory.describe();
  }

  @Override
  public void lockForWriting() throws IOException {
    memory.lockForWriting();
  }

  @Override
  public List<String> list() throws IOException {
    return memory.list();
  }

  @Override
  public boolean exists(String name) throws IOException {
    return memory.exists(name);
  }

  @Override
  public long size(String name) throws IOException {
    return memory.size(name);
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    afterFailureCheck();
    creates.incrementAndGet();
    return new Output(memory.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return new Output(memory.openForWrite(name, position));
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    return memory.openForRead(name);
  }

  @Override
  public void truncate(String name, long size) throws IOException {
    memory.truncate(name, size);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    memory.rename(from, to);
  }

  @Override
  public void delete(String name) throws IOException {
    memory.delete(name);
  }

  @Override
  public void syncDirectory() throws IOException {
    memory.syncDirectory();
  }

  @Override
  public void close() throws IOException {
    memory.close();
  }

  private final class Output implements SegmentOutput {
    private final SegmentOutput out;

    Output(SegmentOutput out) {
      this.out = out;
    }

    @Override
    public long position() {
      return out.position();
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      afterFailureCheck();
      writes.incrementAndGet();
      out.write(srcs, offset, length);
    }

    @Override
    public void flush() throws IOException {
      flushes.incrementAndGet();
      out.flush();
    }

    @Override
    public void sync() throws IOException {
      afterFailureCheck();
      syncs.incrementAndGet();
      CountDownLatch entered = syncEntered;
      if (entered != null) {
        syncEntered = null;
        entered.countDown();
        try {
          syncRelease.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        syncFailed = true;
        throw new IOException("simulated sync failure held by the test");
      }
      out.sync();
    }

    @Override
    public void truncateToPosition() throws IOException {
      out.truncateToPosition();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
