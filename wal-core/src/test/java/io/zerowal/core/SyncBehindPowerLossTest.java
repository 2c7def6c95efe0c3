/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.CrashPropertyTest.Appender;
import io.zerowal.core.CrashPropertyTest.Model;
import io.zerowal.core.storage.ForwardingSegmentOutput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Power loss while groups are synced behind the writer: many appenders, writes and syncs slowed
 * down a little so that appends queue up behind a group and the writer writes the next group while
 * one is in flight (syncs run behind the writer in most samples: see the statistics), small
 * segments so that rolls wait for those syncs, and a crash ({@link MemoryStorage#crash(long)},
 * through {@link CrashingStorage}) at a random point. Every acknowledged record must survive at the
 * sequence its handle names, and the survivor must hold, per appender, a prefix of what it
 * appended (the model of {@link CrashPropertyTest}). Each sample prints its seed.
 */
class SyncBehindPowerLossTest {

  @Property(tries = 150)
  void acknowledgedRecordsSurviveAPowerLossWhileSyncsRunBehindTheWriter(
      @ForAll @IntRange(min = 2, max = 8) int threads,
      @ForAll @IntRange(min = 0, max = 1) int largeSegments,
      @ForAll @IntRange(min = 0, max = 100) int crashAtPercent,
      @ForAll long seed) throws Exception {
    System.out.println("SyncBehindPowerLossTest seed " + seed + ", threads " + threads
        + ", large segments " + largeSegments + ", crash at " + crashAtPercent + "%");
    String context = "seed " + seed;
    Random random = new Random(seed);
    int segmentSize = largeSegments == 1 ? 256 << 10 : 8192;
    int maxRecord = segmentSize - SegmentHeader.SIZE - RecordFrame.HEADER_SIZE
        - RecordFrame.FOOTER_SIZE;
    CrashingStorage crashing = new CrashingStorage(new MemoryStorage(), random.nextLong());
    SlowSyncs storage = new SlowSyncs(crashing);
    Model model = new Model();
    WriteAheadLog log = WriteAheadLog.builder(storage).durability(Durability.SYNC)
        .segmentSize(segmentSize).maxRecordSize(maxRecord).open();
    try {
      model.check(log, context + ", fresh log");
      List<Appender> appenders = new ArrayList<>();
      int total = 0;
      for (int t = 0; t < threads; t++) {
        Appender a = new Appender(1, t, random.nextLong());
        int count = 20 + random.nextInt(100);
        for (int i = 0; i < count; i++) {
          int size = random.nextInt(10) == 0 ? random.nextInt(9)
              : random.nextInt(Math.min(2000, maxRecord) + 1);
          a.payloads.add(CrashPropertyTest.payload(1, t, i, size, random));
        }
        total += count;
        appenders.add(a);
      }
      int crashAfter = total * crashAtPercent / 100;
      CountDownLatch reached = new CountDownLatch(crashAfter == 0 ? 0 : 1);
      AtomicInteger acknowledged = new AtomicInteger();
      Runnable onAck = () -> {
        if (acknowledged.incrementAndGet() >= crashAfter) {
          reached.countDown();
        }
      };
      List<Thread> running = new ArrayList<>();
      for (Appender a : appenders) {
        running.add(new Thread(() -> a.run(log, onAck), "appender-" + a.thread));
      }
      running.forEach(Thread::start);
      reached.await(30, TimeUnit.SECONDS);
      crashing.crashNow();
      for (Thread t : running) {
        t.join(30_000);
        assertThat(t.isAlive()).as(context + ": appender hangs").isFalse();
      }
      for (Appender a : appenders) {
        a.settle(context);
      }
      model.add(appenders);
    } finally {
      log.close();
    }
    Statistics.label("syncs behind the writer").collect(storage.behind.get() > 0);
    try (WriteAheadLog recovered = WriteAheadLog.builder(crashing.survivor())
        .durability(Durability.SYNC).segmentSize(segmentSize).maxRecordSize(maxRecord).open()) {
      model.check(recovered, context + ", after the power loss");
    }
  }

  /**
   * Delays every segment write by up to 100 µs and every sync by up to 200 µs; counts the syncs
   * run by the sync thread.
   */
  private static final class SlowSyncs extends ForwardingStorage {
    final AtomicInteger behind = new AtomicInteger();

    SlowSyncs(Storage delegate) {
      super(delegate);
    }

    @Override
    public SegmentOutput create(String name, long preallocateBytes) throws IOException {
      return slow(super.create(name, preallocateBytes));
    }

    @Override
    public SegmentOutput openForWrite(String name, long position) throws IOException {
      return slow(super.openForWrite(name, position));
    }

    private SegmentOutput slow(SegmentOutput out) {
      return new ForwardingSegmentOutput(out) {
        @Override
        public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
          // Slow enough for appends to queue up behind the group being written.
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000));
          super.write(srcs, offset, length);
        }

        @Override
        public void sync() throws IOException {
          if (Thread.currentThread().getName().startsWith("zerowal-sync[")) {
            behind.incrementAndGet();
          }
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
          super.sync();
        }
      };
    }
  }
}
