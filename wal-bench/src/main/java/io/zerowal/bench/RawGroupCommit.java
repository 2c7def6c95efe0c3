/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw bound for concurrent appends: the best one file on this disk does for the same records
 * with the group size left free. Producers hand records to one writer thread, which copies every
 * record waiting into one direct buffer and writes it with one call. With FLUSH it then releases
 * the producers whose records it covered. With SYNC a second thread forces the file behind the
 * writer: each force covers everything written before it began, and releases those producers,
 * while the writer goes on writing the next group into the page cache (a log that wrote and
 * forced in turn would leave the disk idle while it copies, and the CPU idle while it forces: a
 * bound any pipelined log beats). No frame header or CRC is computed, no future or handle
 * allocated, no per-record object of any kind: each producer owns one counter of records
 * submitted and one of records made durable, and keeps at most {@code window} records in flight,
 * as ZeroWAL's ring producers do. With SYNC a group stops at 256 KiB, as ZeroWAL's SYNC groups
 * do: the writer writes a deep queue as several groups, and the force of the first runs while the
 * next is written (whole-queue groups made this bound slower than ZeroWAL once ZeroWAL split them).
 * The writer starts each group at the next producer, so a group that stops early is fair.
 *
 * <p>The fixed-group raw loop that {@link Compare} prints next to it is a different bound: one
 * thread and a group size chosen in advance. With many producers the free group grows to what
 * the disk's sync time lets queue up, which is what a group-committing log does too, so only this
 * bound can be compared with ZeroWAL's concurrent runs.
 */
final class RawGroupCommit {
  /** Bytes a SYNC group stops at, as ZeroWAL's SYNC groups ({@code MAX_SYNC_GROUP_BYTES}). */
  static final int SYNC_GROUP_BYTES = 256 << 10;
  private final int producers;
  private final int window;
  private final int frameBytes;
  private final byte[][] frames;
  private final boolean force;
  private final AtomicLongArray submitted;
  private final AtomicLongArray durable;
  private final java.util.concurrent.atomic.AtomicReferenceArray<Thread> waiting;
  private volatile boolean writerSleeping;
  private volatile boolean stop;

  private RawGroupCommit(int producers, int window, int size, boolean force) {
    this.producers = producers;
    this.window = window;
    this.frameBytes = size + Workloads.FRAME_OVERHEAD;
    this.force = force;
    this.frames = new byte[producers][];
    for (int p = 0; p < producers; p++) {
      frames[p] = Workloads.payload(frameBytes, p);
    }
    // Padded: 16 longs between two producers' counters keep them off one cache line.
    this.submitted = new AtomicLongArray(producers * 16);
    this.durable = new AtomicLongArray(producers * 16);
    this.waiting = new java.util.concurrent.atomic.AtomicReferenceArray<>(producers);
    this.writtenCounts = new AtomicLongArray(producers * 16);
  }

  /**
   * Runs {@code producers} producers for {@code nanos} against a new file in {@code dir}; returns
   * what they got durable (syncs = forces, groupSize = records per write).
   */
  static Measurement run(Path dir, int producers, int window, int size, boolean force,
      long nanos) throws Exception {
    return run(dir, producers, window, size, force, nanos, false);
  }

  /**
   * As {@link #run(Path, int, int, int, boolean, long)}; with {@code reuse}, into
   * {@value #REUSED_FILES} files of {@value #REUSED_FILE_BYTES} bytes written and forced before the
   * clock starts, taken in turn (each forced when full, as a log seals a segment): the best a log
   * that writes into its truncated segments' files can do, the bound of ZeroWAL with
   * {@code recycleSegments}.
   */
  static Measurement run(Path dir, int producers, int window, int size, boolean force,
      long nanos, boolean reuse) throws Exception {
    RawGroupCommit r = new RawGroupCommit(producers, window, size, force);
    if (!reuse) {
      try (FileChannel ch = FileChannel.open(dir.resolve("raw-group-commit.bin"),
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        r.files = new FileChannel[] {ch};
        r.fileBytes = Long.MAX_VALUE;
        return r.measure(nanos);
      }
    }
    FileChannel[] files = new FileChannel[REUSED_FILES];
    try {
      ByteBuffer old = ByteBuffer.allocateDirect(1 << 20);
      for (int i = 0; i < files.length; i++) {
        files[i] = FileChannel.open(dir.resolve("raw-reused-" + i + ".bin"),
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        for (long pos = 0; pos < REUSED_FILE_BYTES; ) {
          old.clear();
          pos += files[i].write(old, pos);
        }
        files[i].force(true);
      }
      r.files = files;
      r.fileBytes = REUSED_FILE_BYTES;
      return r.measure(nanos);
    } finally {
      for (FileChannel f : files) {
        if (f != null) {
          f.close();
        }
      }
    }
  }

  /** Files written in turn, and the bytes after which the writer moves to the next. */
  static final int REUSED_FILES = 3;
  static final long REUSED_FILE_BYTES = 64L << 20;
  private FileChannel[] files;
  private long fileBytes;
  /** The file being written; set by the writer only after it forced the one before. */
  private volatile FileChannel current;

  private Measurement measure(long nanos) throws Exception {
    current = files[0];
    long[] groups = new long[1];
    long[] forces = new long[1];
    long[] written = new long[1];
    Throwable[] failure = new Throwable[1];
    Thread writer = new Thread(() -> {
      try {
        written[0] = write(groups);
      } catch (Throwable t) {
        failure[0] = t;
        stop = true;
      } finally {
        writerDone = true;
        LockSupport.unpark(syncerThread);
      }
    }, "raw-writer");
    writer.setDaemon(true);
    Thread syncer = new Thread(() -> {
      try {
        sync(forces);
      } catch (Throwable t) {
        failure[0] = t;
        stop = true;
      }
    }, "raw-syncer");
    syncer.setDaemon(true);
    syncerThread = syncer;
    Thread[] threads = new Thread[producers];
    long[] deadline = new long[1];
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    long[] counts = new long[producers];
    for (int p = 0; p < producers; p++) {
      int me = p;
      threads[p] = new Thread(() -> counts[me] = produce(me, go, deadline), "raw-producer-" + p);
      threads[p].setDaemon(true);
      threads[p].start();
    }
    writer.start();
    if (force) {
      syncer.start();
    }
    long start = System.nanoTime();
    deadline[0] = start + nanos;
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    stop = true;
    LockSupport.unpark(writer);
    writer.join();
    if (force) {
      LockSupport.unpark(syncer);
      syncer.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("raw writer failed", failure[0]);
    }
    long records = 0;
    for (long c : counts) {
      records += c;
    }
    if (written[0] != records * frameBytes) {
      throw new IllegalStateException("raw bound wrote " + written[0] + " bytes for " + records
          + " records of " + frameBytes + " bytes: it acknowledged records it did not write");
    }
    int payload = frameBytes - Workloads.FRAME_OVERHEAD;
    return new Measurement(records, records * payload, elapsed, force ? forces[0] : -1, null,
        groups[0] == 0 ? 0 : (double) records / groups[0]);
  }

  /** One producer: submits until the deadline, then waits until all it submitted is durable. */
  private long produce(int me, java.util.concurrent.CountDownLatch go, long[] deadline) {
    try {
      go.await();
    } catch (InterruptedException e) {
      return 0;
    }
    long end = deadline[0];
    int slot = me * 16;
    long n = 0;
    while (!stop) {
      if ((n & 63) == 0 && System.nanoTime() >= end) {
        break;
      }
      while (n - durable.get(slot) >= window && !stop) {
        waiting.set(me, Thread.currentThread());
        if (n - durable.get(slot) >= window) {
          LockSupport.parkNanos(this, 1_000_000);
        }
        waiting.set(me, null);
      }
      submitted.lazySet(slot, ++n);
      if (writerSleeping) {
        writerSleeping = false;
        LockSupport.unpark(writerThread);
      }
    }
    while (durable.get(slot) < n && !stop) {
      waiting.set(me, Thread.currentThread());
      if (durable.get(slot) < n) {
        LockSupport.parkNanos(this, 1_000_000);
      }
      waiting.set(me, null);
    }
    return n;
  }

  private volatile Thread writerThread;
  private volatile Thread syncerThread;
  private volatile boolean writerDone;
  private volatile boolean syncerSleeping;
  // Per producer, padded like the counters: records the writer has written (SYNC: not yet forced).
  private final AtomicLongArray writtenCounts;
  private volatile long writes; // groups written, for the syncer to see new work

  /** The writer thread's loop; returns the bytes written. */
  private long write(long[] groups) throws IOException {
    FileChannel ch = current;
    int file = 0;
    long total = 0;
    writerThread = Thread.currentThread();
    ByteBuffer buf = ByteBuffer.allocateDirect(32 << 20);
    long[] taken = new long[producers];
    long[] now = new long[producers];
    long position = 0;
    int start = 0;
    while (!stop) {
      buf.clear();
      if (force) {
        buf.limit(Math.max(SYNC_GROUP_BYTES, frameBytes));
      }
      boolean any = false;
      start = start + 1 == producers ? 0 : start + 1;
      for (int q = 0; q < producers; q++) {
        int p = q + start < producers ? q + start : q + start - producers;
        long k = submitted.get(p * 16) - taken[p];
        now[p] = taken[p];
        for (long i = 0; i < k && buf.remaining() >= frameBytes; i++) {
          buf.put(frames[p]);
          now[p] = taken[p] + i + 1;
        }
        any |= k > 0;
      }
      if (!any) {
        writerSleeping = true;
        boolean idle = true;
        for (int p = 0; p < producers && idle; p++) {
          idle = submitted.get(p * 16) == taken[p];
        }
        if (idle && !stop) {
          LockSupport.parkNanos(this, 100_000);
        }
        writerSleeping = false;
        continue;
      }
      buf.flip();
      if (position + buf.remaining() > fileBytes) {
        ch.force(false); // sealed, before the syncer can force the next file in its place
        file = (file + 1) % files.length;
        ch = files[file];
        current = ch;
        position = 0;
      }
      total += buf.remaining();
      while (buf.hasRemaining()) {
        position += ch.write(buf, position);
      }
      groups[0]++;
      for (int p = 0; p < producers; p++) {
        if (now[p] != taken[p]) {
          taken[p] = now[p];
          if (force) {
            writtenCounts.set(p * 16, now[p]);
          } else {
            release(p, now[p]);
          }
        }
      }
      if (force) {
        writes = groups[0];
        if (syncerSleeping) {
          syncerSleeping = false;
          LockSupport.unpark(syncerThread);
        }
      }
    }
    return total;
  }

  /**
   * The syncer's loop (SYNC only): takes what the writer has written so far, forces the file, and
   * releases those records; the writer writes on meanwhile.
   */
  private void sync(long[] forces) throws IOException {
    long[] covered = new long[producers];
    long seen = 0;
    while (true) {
      long w = writes;
      if (w == seen) {
        if (writerDone) {
          return;
        }
        syncerSleeping = true;
        if (writes == seen && !writerDone) {
          LockSupport.parkNanos(this, 100_000);
        }
        syncerSleeping = false;
        continue;
      }
      // Counts first, then the force: every record counted was written before the force began.
      for (int p = 0; p < producers; p++) {
        covered[p] = writtenCounts.get(p * 16);
      }
      seen = w;
      // Read after the counts: a file the writer left was forced before it moved on.
      current.force(false);
      forces[0]++;
      for (int p = 0; p < producers; p++) {
        release(p, covered[p]);
      }
    }
  }

  private void release(int p, long count) {
    if (durable.get(p * 16) < count) {
      durable.set(p * 16, count);
      Thread w = waiting.get(p);
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }
}
