/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.core.Durability;
import io.zerowal.core.LogStats;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/** The timed loops of {@link Compare}: one method per kind of system. */
final class Workloads {
  /** Appends each ZeroWAL producer keeps in flight. */
  static final int IN_FLIGHT_PER_PRODUCER = 256;
  /** One latency sample per this many pipelined appends (a sample allocates a callback). */
  private static final int SAMPLE_EVERY = 16;
  /** Bytes of a record frame beyond its payload, for the raw bound's group sizes. */
  static final int FRAME_OVERHEAD = 17;

  private Workloads() {}

  static byte[] payload(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * ZeroWAL with {@code threads} producers, each keeping {@link #IN_FLIGHT_PER_PRODUCER} appends in
   * flight. Futures complete in sequence order, so a producer waits for its oldest one only when its
   * window is full.
   */
  static Measurement zeroWalPipelined(WriteAheadLog log, int threads, int size, long nanos)
      throws Exception {
    Histogram hist = Measurement.newHistogram();
    AtomicLong total = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    List<Thread> producers = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    Thread truncator = null;
    for (int t = 0; t < threads; t++) {
      byte[] bytes = payload(size, t);
      Thread th = new Thread(() -> {
        ByteBuffer[] slots = new ByteBuffer[IN_FLIGHT_PER_PRODUCER];
        for (int i = 0; i < slots.length; i++) {
          slots[i] = ByteBuffer.wrap(bytes);
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<RecordHandle>[] ring = new CompletableFuture[IN_FLIGHT_PER_PRODUCER];
        long n = 0;
        try {
          ready.countDown();
          go.await();
          long end = deadline[0];
          while (true) {
            int slot = (int) (n % IN_FLIGHT_PER_PRODUCER);
            if ((slot & 63) == 0 && System.nanoTime() >= end) {
              break;
            }
            if (ring[slot] != null) {
              ring[slot].join();
            }
            CompletableFuture<RecordHandle> f = log.append(slots[slot]);
            ring[slot] = f;
            if (n % SAMPLE_EVERY == 0) {
              long t0 = System.nanoTime();
              f.whenComplete((h, e) -> {
                long d = System.nanoTime() - t0;
                synchronized (hist) {
                  hist.recordValue(d);
                }
              });
            }
            n++;
          }
          for (CompletableFuture<RecordHandle> f : ring) {
            if (f != null) {
              f.join();
            }
          }
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
        total.addAndGet(n);
      }, "producer-" + t);
      th.setDaemon(true);
      producers.add(th);
      th.start();
    }
    ready.await();
    LogStats before = log.stats();
    long start = System.nanoTime();
    deadline[0] = start + nanos;
    go.countDown();
    for (Thread th : producers) {
      th.join();
    }
    long elapsed = System.nanoTime() - start;
    LogStats after = log.stats();
    if (failure[0] != null) {
      throw new IllegalStateException("producer failed", failure[0]);
    }
    long records = total.get();
    long syncs = after.syncs() - before.syncs();
    long groups = after.groups() - before.groups();
    return new Measurement(records, records * (long) size, elapsed, syncs, hist,
        groups == 0 ? 0 : (double) records / groups);
  }

  /**
   * A system with a blocking write, called in a loop by {@code threads} threads; every call's
   * latency is recorded.
   */
  static Measurement blocking(Peers.BlockingLog log, int threads, int size, long nanos)
      throws Exception {
    List<Histogram> hists = new ArrayList<>();
    AtomicLong total = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    Throwable[] failure = new Throwable[1];
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Histogram h = Measurement.newHistogram();
      hists.add(h);
      byte[] bytes = payload(size, t);
      Thread th = new Thread(() -> {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long n = 0;
        try {
          ready.countDown();
          go.await();
          long end = deadline[0];
          long now = System.nanoTime();
          while (now < end) {
            log.write(buf);
            long after = System.nanoTime();
            h.recordValue(after - now);
            now = after;
            n++;
          }
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
        total.addAndGet(n);
      }, "writer-" + t);
      th.setDaemon(true);
      writers.add(th);
      th.start();
    }
    ready.await();
    long syncsBefore = log.syncs();
    long start = System.nanoTime();
    deadline[0] = start + nanos;
    go.countDown();
    for (Thread th : writers) {
      th.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure[0] != null) {
      throw new IllegalStateException("writer failed", failure[0]);
    }
    long syncs = log.syncs() < 0 ? -1 : log.syncs() - syncsBefore;
    Histogram all = Measurement.newHistogram();
    for (Histogram h : hists) {
      all.add(h);
    }
    long records = total.get();
    return new Measurement(records, records * (long) size, elapsed, syncs, all,
        syncs > 0 ? (double) records / syncs : 0);
  }

  /**
   * The raw bound: one thread writes groups of {@code groupRecords} frames of {@code size} payload
   * bytes with one positional write each and one {@code force(false)} per group. On a preallocated
   * file the writes wrap around inside the already allocated bytes. Latency is per group.
   */
  static Measurement raw(FileChannel channel, long fileSize, int groupRecords, int size,
      long nanos) throws IOException {
    int groupBytes = groupRecords * (size + FRAME_OVERHEAD);
    ByteBuffer group = ByteBuffer.allocateDirect(groupBytes);
    group.put(payload(groupBytes, 7)).flip();
    Histogram hist = Measurement.newHistogram();
    long pos = 0;
    long groups = 0;
    long start = System.nanoTime();
    long end = start + nanos;
    long now = start;
    while (now < end) {
      if (fileSize > 0 && pos + groupBytes > fileSize) {
        pos = 0;
      }
      group.clear();
      while (group.hasRemaining()) {
        pos += channel.write(group, pos);
      }
      channel.force(false);
      long after = System.nanoTime();
      hist.recordValue(after - now);
      now = after;
      groups++;
    }
    long elapsed = now - start;
    long records = groups * groupRecords;
    return new Measurement(records, records * size, elapsed, groups, hist, groupRecords);
  }

  /** A file of {@code bytes} real zeros, forced: what preallocation leaves behind. */
  static FileChannel preallocated(Path file, long bytes) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    long pos = ch.size();
    while (pos < bytes) {
      zeros.clear();
      pos += ch.write(zeros, pos);
    }
    ch.force(true);
    return ch;
  }

  /** Fills a ZeroWAL log with {@code count} records quickly (durability NONE), then closes it. */
  static void fillZeroWal(Path dir, int count, int size) throws IOException {
    byte[] bytes = payload(size, 11);
    try (WriteAheadLog log = new Peers.ZeroWalConfig("fill", Durability.NONE, false, false)
        .open(dir)) {
      CompletableFuture<RecordHandle> last = null;
      for (int i = 0; i < count; i++) {
        last = log.append(bytes);
      }
      if (last != null) {
        last.join();
      }
    }
  }

  /** Raw sequential read of every segment file in {@code dir}, 1 MiB at a time; returns bytes. */
  static long rawRead(Path dir) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long total = 0;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
    }
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        long pos = 0;
        while (true) {
          buf.clear();
          int n = ch.read(buf, pos);
          if (n < 0) {
            break;
          }
          pos += n;
          total += n;
        }
      }
    }
    return total;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
