/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.zerowal.core.storage.MemoryStorage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * Power loss while the log works: concurrent SYNC appends, {@code truncateBefore}, and recovery
 * itself. After each crash the survivor must hold exactly a contiguous prefix of what the log
 * assigned, every acknowledged record byte for byte, and nothing that was never appended.
 *
 * <p>Thread interleavings are not replayable; everything else is: each failure names the jqwik
 * sample (and its {@code seed} parameter, from which payloads, crash points and the power-loss cut
 * are derived).
 */
class CrashPropertyTest {
  private static final int SMALL = 3000;

  @Property(tries = 500)
  void acknowledgedRecordsSurviveCrashesDuringConcurrentAppends(
      @ForAll @IntRange(min = 2, max = 8) int threads,
      @ForAll("segmentSizes") int segmentSize,
      @ForAll @IntRange(min = 0, max = 100) int crashAtPercent,
      @ForAll long seed) throws Exception {
    Random random = new Random(seed);
    String context = "seed " + seed;
    MemoryStorage mem = new MemoryStorage();
    Model model = new Model();

    MemoryStorage survivor = crashDuringWorkload(mem, segmentSize, threads, crashAtPercent, 1,
        random, model, context + ", first crash");
    MemoryStorage second;
    CrashingStorage reopened = new CrashingStorage(survivor, random.nextLong());
    try (WriteAheadLog log = builder(reopened, segmentSize).open()) {
      model.check(log, context + ", after the first crash");
      RecoveryReport report = log.recoveryReport();
      Statistics.label("torn tail").collect(report.tornTail());
      Statistics.label("unacknowledged records recovered").collect(model.unacknowledgedFound > 0);
      Statistics.label("segments").collect(report.segments() < 3 ? "1-2" : "3+");
      second = crashDuringWorkloadOn(log, reopened, segmentSize, 1 + random.nextInt(8),
          random.nextInt(101), 2, random, model, context + ", second crash");
    }
    try (WriteAheadLog log = open(second, segmentSize)) {
      model.check(log, context + ", after the second crash");
      assertThat(log.append(new byte[] {42}).join().sequence()).isEqualTo(log.nextSequence() - 1);
    }
  }

  @Property(tries = 150)
  void crashDuringTruncateBeforeLeavesAContiguousSuffixOfTheLog(
      @ForAll("segmentSizes") int segmentSize,
      @ForAll @IntRange(min = 0, max = 12) int crashBeforeOperation,
      @ForAll long seed) {
    Random random = new Random(seed);
    String context = "seed " + seed + ", crash before storage operation " + crashBeforeOperation;
    CrashingStorage storage = new CrashingStorage(new MemoryStorage(), seed);
    List<byte[]> payloads = new ArrayList<>();
    WriteAheadLog log = builder(storage, segmentSize).open();
    int records = 20 + random.nextInt(60);
    int maxSize = Math.min(SMALL, maxRecordSize(segmentSize));
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      byte[] p = payload(0, 0, i, random.nextInt(maxSize + 1), random);
      payloads.add(p);
      futures.add(log.append(p));
    }
    futures.forEach(CompletableFuture::join);
    long before = random.nextInt(records + 1);

    storage.crashBeforeOperation(crashBeforeOperation);
    Long firstAfterTruncation = null;
    try {
      log.truncateBefore(before);
      firstAfterTruncation = log.firstSequence();
    } catch (UncheckedIOException crashed) {
      // the power went out inside truncateBefore
    }
    MemoryStorage survivor = storage.crashNow();
    log.close();

    try (WriteAheadLog recovered = open(survivor, segmentSize)) {
      long first = recovered.firstSequence();
      assertThat(first).as(context).isBetween(0L, before);
      if (firstAfterTruncation != null) {
        assertThat(first).as(context + ": truncateBefore returned, so its deletions are durable")
            .isEqualTo(firstAfterTruncation);
      }
      assertThat(recovered.nextSequence()).as(context).isEqualTo(records);
      List<LogRecord> read = LogFixture.readAll(recovered);
      assertThat(LogFixture.sequences(read)).as(context)
          .containsExactlyElementsOf(LogFixture.range(first, records));
      assertThat(LogFixture.payloadsOf(read)).as(context)
          .containsExactlyElementsOf(payloads.subList((int) first, records));
      assertThat(recovered.verify()).as(context).isEqualTo(records - first);
    }
  }

  @Property(tries = 150)
  void crashWhileRecoveringLeavesWhatRecoveryWouldHaveFound(
      @ForAll @IntRange(min = 2, max = 8) int threads,
      @ForAll("segmentSizes") int segmentSize,
      @ForAll @IntRange(min = 0, max = 100) int crashAtPercent,
      @ForAll @IntRange(min = 0, max = 15) int crashBeforeOperation,
      @ForAll long seed) throws Exception {
    Random random = new Random(seed);
    String context = "seed " + seed + ", recovery crashed before storage operation "
        + crashBeforeOperation;
    Model model = new Model();
    MemoryStorage survivor = crashDuringWorkload(new MemoryStorage(), segmentSize, threads,
        crashAtPercent, 1, random, model, context);
    List<LogRecord> expected;
    try (WriteAheadLog log = open(LogFixture.storageWith(LogFixture.files(survivor)), segmentSize)) {
      expected = model.check(log, context + ", recovery without a crash");
    }

    CrashingStorage recovering = new CrashingStorage(survivor, seed + 1);
    recovering.crashBeforeOperation(crashBeforeOperation);
    try {
      WriteAheadLog log = builder(recovering, segmentSize).open();
      recovering.crashNow(); // recovery finished: the crash comes before any new append
      log.close();
    } catch (UncheckedIOException crashedDuringOpen) {
      assertThat(recovering.survivor()).as(context + ": open failed without a crash: "
          + crashedDuringOpen).isNotNull();
    }

    try (WriteAheadLog log = open(recovering.survivor(), segmentSize)) {
      List<LogRecord> found = LogFixture.readAll(log);
      assertThat(LogFixture.sequences(found)).as(context)
          .containsExactlyElementsOf(LogFixture.sequences(expected));
      assertThat(LogFixture.payloadsOf(found)).as(context)
          .containsExactlyElementsOf(LogFixture.payloadsOf(expected));
      assertThat(log.verify()).as(context).isEqualTo(expected.size());
    }
  }

  @Provide
  Arbitrary<Integer> segmentSizes() {
    // Mostly small segments, so that rolls happen often; sometimes room for records above the
    // writer's 64 KiB gather threshold.
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(4096, 16384)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(96 << 10, 160 << 10)));
  }

  // ---------------------------------------------------------------- workload

  private static WriteAheadLog.Builder builder(io.zerowal.core.storage.Storage storage,
      int segmentSize) {
    return WriteAheadLog.builder(storage).durability(Durability.SYNC).segmentSize(segmentSize)
        .maxRecordSize(maxRecordSize(segmentSize));
  }

  private static WriteAheadLog open(MemoryStorage storage, int segmentSize) {
    return builder(storage, segmentSize).open();
  }

  private static int maxRecordSize(int segmentSize) {
    return segmentSize - SegmentHeader.SIZE - RecordFrame.HEADER_SIZE - RecordFrame.FOOTER_SIZE;
  }

  private static MemoryStorage crashDuringWorkload(MemoryStorage mem, int segmentSize, int threads,
      int crashAtPercent, int generation, Random random, Model model, String context)
      throws Exception {
    CrashingStorage storage = new CrashingStorage(mem, random.nextLong());
    WriteAheadLog log = builder(storage, segmentSize).open();
    try {
      model.check(log, context + ", fresh log");
      return crashDuringWorkloadOn(log, storage, segmentSize, threads, crashAtPercent, generation,
          random, model, context);
    } finally {
      log.close();
    }
  }

  /**
   * Appends from {@code threads} threads and, from another thread, crashes {@code storage} once
   * {@code crashAtPercent} of the appends have been acknowledged (now, or at one of the writer's
   * next storage operations); returns the survivor. Records in {@code model} what each thread
   * appended and which appends were acknowledged.
   */
  private static MemoryStorage crashDuringWorkloadOn(WriteAheadLog log, CrashingStorage storage,
      int segmentSize, int threads, int crashAtPercent, int generation, Random random, Model model,
      String context) throws Exception {
    int maxRecord = maxRecordSize(segmentSize);
    List<Appender> appenders = new ArrayList<>();
    int total = 0;
    for (int t = 0; t < threads; t++) {
      Appender a = new Appender(generation, t, random.nextLong());
      int count = 1 + random.nextInt(25);
      for (int i = 0; i < count; i++) {
        a.payloads.add(payload(generation, t, i, size(random, maxRecord), random));
      }
      total += count;
      appenders.add(a);
    }
    int crashAfter = total * crashAtPercent / 100;
    CountDownLatch reached = new CountDownLatch(1);
    AtomicInteger acknowledged = new AtomicInteger();
    Runnable onAck = () -> {
      if (acknowledged.incrementAndGet() >= crashAfter) {
        reached.countDown();
      }
    };
    if (crashAfter == 0) {
      reached.countDown();
    }
    // A third of the crashes come from another thread at once; the others at the writer's next few
    // storage operations, which lands them between a group's write and its sync far more often.
    int atOperation = random.nextInt(3) == 0 ? -1 : random.nextInt(4);
    Thread crasher = storage.crasher(reached, atOperation);
    List<Thread> running = new ArrayList<>();
    for (Appender a : appenders) {
      running.add(new Thread(() -> a.run(log, onAck), "appender-" + a.thread));
    }
    crasher.start();
    running.forEach(Thread::start);
    for (Thread t : running) {
      t.join(30_000);
      assertThat(t.isAlive()).as(context + ": appender hangs").isFalse();
    }
    crasher.join(30_000);
    storage.crashNow(); // if the writer had no operation left to crash at
    for (Appender a : appenders) {
      a.settle(context);
    }
    model.add(appenders);
    return storage.survivor();
  }

  private static int size(Random random, int maxRecord) {
    int r = random.nextInt(100);
    if (r < 10) {
      return random.nextInt(9); // too small to say which append it was
    }
    if (r < 14 && maxRecord > GroupBuffer.LARGE) {
      return GroupBuffer.LARGE + 1
          + random.nextInt(maxRecord - GroupBuffer.LARGE);
    }
    return random.nextInt(Math.min(SMALL, maxRecord) + 1);
  }

  /** Says which append it is in its first bytes (generation, thread, index), then seeded noise. */
  static byte[] payload(int generation, int thread, int index, int size, Random random) {
    byte[] p = new byte[size];
    random.nextBytes(p);
    byte[] head = {(byte) generation, (byte) thread, (byte) index, (byte) (index >>> 8)};
    System.arraycopy(head, 0, p, 0, Math.min(head.length, size));
    return p;
  }

  /** One appending thread: its payloads in order and the futures it got for them. */
  static final class Appender {
    final int generation;
    final int thread;
    final long seed;
    final List<byte[]> payloads = new ArrayList<>();
    final List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();

    Appender(int generation, int thread, long seed) {
      this.generation = generation;
      this.thread = thread;
      this.seed = seed;
    }

    void run(WriteAheadLog log, Runnable onAck) {
      Random random = new Random(seed);
      for (byte[] p : payloads) {
        CompletableFuture<RecordHandle> f;
        try {
          f = log.append(p);
        } catch (WalException failedOrClosed) {
          return; // the log died with the crash; this append was never enqueued
        }
        futures.add(f);
        f.thenRun(onAck);
        if (random.nextInt(4) == 0) {
          f.handle((h, e) -> null).join(); // sometimes wait, so that groups vary in size
        }
      }
    }

    /** Waits until every future has completed, normally or (after the crash) exceptionally. */
    void settle(String context) throws InterruptedException {
      for (CompletableFuture<RecordHandle> f : futures) {
        try {
          f.handle((h, e) -> null).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          fail(context + ": an append future never completed after the crash", e);
        }
      }
    }

    RecordHandle acknowledged(int index) {
      if (index >= futures.size()) {
        return null;
      }
      CompletableFuture<RecordHandle> f = futures.get(index);
      return f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }
  }

  /**
   * What the log must hold: the records a previous check found (now durable), then, per appending
   * thread, a prefix of what it appended, interleaved, with every acknowledged record at the
   * sequence its handle names.
   */
  static final class Model {
    private long first = 0;
    private final List<byte[]> durable = new ArrayList<>();
    private List<Appender> pending = List.of();
    /** Records the last check found that no future had acknowledged. */
    int unacknowledgedFound;

    void add(List<Appender> appenders) {
      pending = appenders;
    }

    /** Checks the log against the model and returns its records, which then become durable. */
    List<LogRecord> check(WriteAheadLog log, String context) {
      List<LogRecord> records = LogFixture.readAll(log);
      long next = log.nextSequence();
      assertThat(log.firstSequence()).as(context + ": first sequence").isEqualTo(first);
      assertThat(LogFixture.sequences(records)).as(context + ": sequences")
          .containsExactlyElementsOf(LogFixture.range(first, next));
      assertThat(log.verify()).as(context + ": verify").isEqualTo(next - first);
      assertThat(records.size()).as(context + ": records before the crash were lost")
          .isGreaterThanOrEqualTo(durable.size());
      for (int i = 0; i < durable.size(); i++) {
        assertThat(records.get(i).payloadBytes()).as(context + ": durable record " + (first + i))
            .isEqualTo(durable.get(i));
      }

      Map<Long, int[]> acked = new HashMap<>();
      for (Appender a : pending) {
        for (int i = 0; i < a.payloads.size(); i++) {
          RecordHandle h = a.acknowledged(i);
          if (h != null) {
            assertThat(h.sequence()).as(context + ": acknowledged record " + h.sequence()
                + " (thread " + a.thread + ", append " + i + ") is lost").isLessThan(next);
            assertThat(records.get((int) (h.sequence() - first)).payloadBytes())
                .as(context + ": acknowledged record " + h.sequence()).isEqualTo(a.payloads.get(i));
            acked.put(h.sequence(), new int[] {a.thread, i});
          }
        }
      }
      List<LogRecord> fresh = records.subList(durable.size(), records.size());
      unacknowledgedFound = fresh.size() - acked.size();
      if (!attributable(fresh, 0, new int[pending.size()], acked, new HashSet<>())) {
        fail(context + ": records " + LogFixture.sequences(fresh) + " are not, per thread, a"
            + " prefix of what each thread appended (a record was invented, reordered or damaged)");
      }

      durable.clear();
      records.forEach(r -> durable.add(r.payloadBytes()));
      pending = List.of();
      return records;
    }

    /**
     * Whether records[at..] can be attributed to the threads' next appends in order. Several threads
     * may have appended identical tiny payloads, hence the search (memoized on failed states).
     */
    private boolean attributable(List<LogRecord> records, int at, int[] cursor,
        Map<Long, int[]> acked, Set<String> failed) {
      if (at == records.size()) {
        return true;
      }
      String state = at + Arrays.toString(cursor);
      if (failed.contains(state)) {
        return false;
      }
      LogRecord r = records.get(at);
      int[] forced = acked.get(r.sequence());
      byte[] bytes = r.payloadBytes();
      for (int t = 0; t < pending.size(); t++) {
        Appender a = pending.get(t);
        int i = cursor[t];
        if (i >= a.payloads.size() || (forced != null && (forced[0] != t || forced[1] != i))) {
          continue;
        }
        RecordHandle h = a.acknowledged(i);
        if ((h != null && h.sequence() != r.sequence()) || !Arrays.equals(a.payloads.get(i), bytes)) {
          continue;
        }
        cursor[t]++;
        boolean ok = attributable(records, at + 1, cursor, acked, failed);
        cursor[t]--;
        if (ok) {
          return true;
        }
      }
      failed.add(state);
      return false;
    }
  }
}
