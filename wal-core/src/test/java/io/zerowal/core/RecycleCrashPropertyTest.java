/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Power loss while a log with {@code recycleSegments(true)} appends from several threads and a
 * consumer truncates behind them, so that rolls write into the files of truncated segments. After
 * the crash the survivor must hold a contiguous run of records, each one that some thread
 * appended (in that thread's order, never twice), every acknowledged record that no
 * {@code truncateBefore} call asked to remove, byte for byte — and none of the older frames lying
 * behind a recycled segment's data. The failure message names the seed (payloads, sizes, crash
 * point and which unsynced writes survive derive from it; thread interleavings do not).
 */
class RecycleCrashPropertyTest {

  @Property(tries = 400)
  void acknowledgedRecordsSurvivePowerLossWhileSegmentsAreRecycled(
      @ForAll @IntRange(min = 4096, max = 12288) int segmentSize,
      @ForAll @IntRange(min = 1, max = 4) int threads,
      @ForAll @IntRange(min = 20, max = 100) int crashAtPercent,
      @ForAll long seed) throws Exception {
    Random random = new Random(seed);
    String context = "seed " + seed + ", segmentSize " + segmentSize + ", threads " + threads
        + ", crash at " + crashAtPercent + "%";
    CrashingStorage storage = new CrashingStorage(new MemoryStorage(), random.nextLong());
    WriteAheadLog log = builder(storage, segmentSize).open();
    List<List<byte[]>> appended = new ArrayList<>();
    List<List<CompletableFuture<RecordHandle>>> futures = new ArrayList<>();
    int maxSize = Math.min(600, segmentSize / 4);
    int total = 0;
    for (int t = 0; t < threads; t++) {
      List<byte[]> payloads = new ArrayList<>();
      int count = 100 + random.nextInt(200);
      for (int i = 0; i < count; i++) {
        // Same-size runs put new frames exactly on older frames' boundaries; mixed sizes, inside.
        int size = random.nextInt(3) == 0 ? 100 : 4 + random.nextInt(maxSize);
        payloads.add(CrashPropertyTest.payload(0, t, i, size, random));
      }
      total += count;
      appended.add(payloads);
      futures.add(new ArrayList<>());
    }

    int crashAfter = total * crashAtPercent / 100;
    AtomicInteger acknowledged = new AtomicInteger();
    CountDownLatch reached = new CountDownLatch(crashAfter == 0 ? 0 : 1);
    AtomicLong requested = new AtomicLong(); // the highest argument any truncateBefore got
    AtomicBoolean stop = new AtomicBoolean();
    long truncatorSeed = random.nextLong();
    Thread truncator = new Thread(() -> {
      Random r = new Random(truncatorSeed);
      while (!stop.get()) {
        long before = Math.max(0, log.nextSequence() - r.nextInt(40));
        requested.accumulateAndGet(before, Math::max);
        try {
          log.truncateBefore(before);
        } catch (RuntimeException crashed) {
          return;
        }
        try {
          Thread.sleep(0, r.nextInt(500_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "truncator");
    int atOperation = random.nextInt(3) == 0 ? -1 : random.nextInt(6);
    Thread crasher = storage.crasher(reached, atOperation);
    List<Thread> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      long appenderSeed = random.nextLong();
      appenders.add(new Thread(() -> {
        Random r = new Random(appenderSeed);
        for (byte[] p : appended.get(thread)) {
          CompletableFuture<RecordHandle> f;
          try {
            f = log.append(p);
          } catch (WalException crashed) {
            return;
          }
          futures.get(thread).add(f);
          f.thenRun(() -> {
            if (acknowledged.incrementAndGet() == crashAfter) {
              reached.countDown();
            }
          });
          if (r.nextInt(3) == 0) {
            f.handle((h, e) -> null).join();
          }
        }
      }, "appender-" + t));
    }
    truncator.start();
    crasher.start();
    appenders.forEach(Thread::start);
    for (Thread t : appenders) {
      t.join(30_000);
      assertThat(t.isAlive()).as(context + ": appender hangs").isFalse();
    }
    crasher.join(30_000);
    storage.crashNow();
    stop.set(true);
    truncator.join(30_000);
    assertThat(truncator.isAlive()).as(context + ": truncator hangs").isFalse();
    for (List<CompletableFuture<RecordHandle>> fs : futures) {
      for (CompletableFuture<RecordHandle> f : fs) {
        f.handle((h, e) -> null).get(30, TimeUnit.SECONDS);
      }
    }
    log.close();
    MemoryStorage survivor = storage.survivor();
    Statistics.label("last segment recycled").collect(lastIsRecycled(survivor));

    long next;
    WriteAheadLog opened;
    try {
      opened = builder(survivor, segmentSize).open();
    } catch (RuntimeException e) {
      throw new AssertionError(context + ": recovery failed: " + e, e);
    }
    try (WriteAheadLog recovered = opened) {
      Statistics.label("torn tail").collect(recovered.recoveryReport().tornTail());
      next = check(recovered, appended, futures, requested.get(), context);
      // The recovered log goes on recycling, and a clean close leaves nothing to repair.
      for (int i = 0; i < 60; i++) {
        recovered.append(CrashPropertyTest.payload(1, 0, i, 4 + random.nextInt(maxSize), random))
            .join();
        if (i % 20 == 19) {
          recovered.truncateBefore(recovered.nextSequence() - 5);
        }
      }
      next = recovered.nextSequence();
    }
    try (WriteAheadLog reopened = builder(survivor, segmentSize).open()) {
      assertThat(reopened.recoveryReport().tornTail()).as(context + ": after a clean close")
          .isFalse();
      assertThat(reopened.nextSequence()).as(context).isEqualTo(next);
      assertThat(reopened.verify()).as(context).isEqualTo(next - reopened.firstSequence());
    }
  }

  private static WriteAheadLog.Builder builder(io.zerowal.core.storage.Storage storage,
      int segmentSize) {
    return WriteAheadLog.builder(storage).durability(Durability.SYNC).segmentSize(segmentSize)
        .maxRecordSize(1000).recycleSegments(true);
  }

  /** Checks the recovered log against what was appended; returns its next sequence. */
  private static long check(WriteAheadLog log, List<List<byte[]>> appended,
      List<List<CompletableFuture<RecordHandle>>> futures, long requested, String context) {
    long first = log.firstSequence();
    long next = log.nextSequence();
    List<LogRecord> records = LogFixture.readAll(log);
    assertThat(LogFixture.sequences(records)).as(context + ": sequences")
        .containsExactlyElementsOf(LogFixture.range(first, next));
    assertThat(log.verify()).as(context + ": verify").isEqualTo(next - first);
    Map<Long, byte[]> bySequence = new HashMap<>();
    records.forEach(r -> bySequence.put(r.sequence(), r.payloadBytes()));

    // Every acknowledged record that no truncateBefore asked to remove is there, byte for byte.
    for (int t = 0; t < appended.size(); t++) {
      List<CompletableFuture<RecordHandle>> fs = futures.get(t);
      for (int i = 0; i < fs.size(); i++) {
        CompletableFuture<RecordHandle> f = fs.get(i);
        if (f.isCompletedExceptionally()) {
          continue;
        }
        long seq = f.join().sequence();
        if (seq >= requested) {
          assertThat(bySequence.get(seq)).as(context + ": acknowledged record " + seq
              + " (thread " + t + ", append " + i + ")").isEqualTo(appended.get(t).get(i));
        }
      }
    }
    // Every record found is one a thread appended, in that thread's order, at most once: never an
    // older segment's frame read back as this one's.
    int[] lastIndex = new int[appended.size()];
    java.util.Arrays.fill(lastIndex, -1);
    for (LogRecord r : records) {
      byte[] p = r.payloadBytes();
      int t = p[1];
      int i = (p[2] & 0xff) | (p[3] & 0xff) << 8;
      if (p[0] != 0 || t < 0 || t >= appended.size() || i >= appended.get(t).size()
          || !java.util.Arrays.equals(appended.get(t).get(i), p)) {
        fail(context + ": record " + r.sequence() + " is not one that was appended");
      }
      assertThat(i).as(context + ": record " + r.sequence() + " of thread " + t
          + " out of order or repeated").isGreaterThan(lastIndex[t]);
      lastIndex[t] = i;
    }
    return next;
  }

  private static boolean lastIsRecycled(MemoryStorage mem) {
    return LogFixture.files(mem).entrySet().stream()
        .filter(e -> SegmentName.parse(e.getKey()) >= 0)
        .reduce((a, b) -> b) // files() is sorted by name: the newest segment last
        .map(e -> e.getValue().length >= 8 && (ByteBuffer.wrap(e.getValue())
            .order(ByteOrder.LITTLE_ENDIAN).getShort(6) & SegmentHeader.FLAG_RECYCLED) != 0)
        .orElse(false);
  }
}
