/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SYNC groups synced behind the writer ({@link SyncBehind}), with every interleaving forced by
 * {@link GatedStorage}: a lone append is synced inline on the writer; group B, with group C already
 * queued behind it, is handed to the sync thread, whose sync of B is held while the writer writes
 * C. No future completes before the sync that covers it, a failed sync fails B, C and everything
 * after, and a roll or close waits for the sync in flight.
 */
class SyncBehindTest {
  private static final int N = 15;
  private static final int SIZE = 150;
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The log with one acknowledged record (a), group B's sync held on the sync thread. */
  private static final class Scene {
    final MemoryStorage mem = new MemoryStorage();
    final GatedStorage storage = new GatedStorage(mem);
    final WriteAheadLog log;
    CompletableFuture<RecordHandle> a;
    final List<CompletableFuture<RecordHandle>> b = new ArrayList<>();
    final List<CompletableFuture<RecordHandle>> c = new ArrayList<>();
    final List<Long> completed = Collections.synchronizedList(new ArrayList<>());

    Scene(long segmentSize) {
      log = WriteAheadLog.builder(storage).durability(Durability.SYNC).segmentSize(segmentSize)
          .open();
    }

    CompletableFuture<RecordHandle> append(int id) {
      CompletableFuture<RecordHandle> f = log.append(TestLogs.payload(id, SIZE));
      f.thenAccept(h -> completed.add(h.sequence()));
      return f;
    }

    /**
     * Appends a (synced inline), then B, then C behind B, and leaves the sync thread inside the sync
     * of B; if {@code holdWriteOfC}, the writer is left inside the write of C, else C is written.
     */
    void setUp(boolean holdWriteOfC) throws Exception {
      storage.gateSyncs = true;
      a = append(0);
      assertThat(storage.syncsEntered.poll(10, TimeUnit.SECONDS))
          .as("a lone append is synced inline, with no hand-off").startsWith("zerowal-writer");
      storage.gateWrites = true;
      for (int i = 1; i <= N; i++) {
        b.add(append(i));
      }
      assertThat(a).isNotDone();
      assertThat(b).noneMatch(CompletableFuture::isDone);
      storage.syncPermits.release();
      assertThat(a).succeedsWithin(WAIT);
      assertThat(storage.writesEntered.poll(10, TimeUnit.SECONDS)).as("write of B").isNotNull();
      for (int i = N + 1; i <= 2 * N; i++) {
        c.add(append(i));
      }
      storage.writePermits.release(); // B written with C queued behind it: B is handed over
      assertThat(storage.syncsEntered.poll(10, TimeUnit.SECONDS))
          .as("B is synced behind the writer").startsWith("zerowal-sync");
      // The sync of B started before C was written: the write of C is held until now.
      assertThat(storage.writesEntered.poll(10, TimeUnit.SECONDS)).as("write of C").isNotNull();
      if (!holdWriteOfC) {
        storage.gateWrites = false;
        storage.writePermits.release();
      }
    }

    List<LogRecord> recoverAll() {
      try (WriteAheadLog reopened = WriteAheadLog.builder(mem).open()) {
        return LogFixture.readAll(reopened);
      }
    }
  }

  @Test
  void futuresCompleteOnlyAfterASyncThatStartedAfterTheirWriteAndInOrder() throws Exception {
    Scene s = new Scene(64 << 20);
    s.setUp(false);
    // C is written while B's sync is held, and handed over behind it.
    assertThat(TestLogs.eventually(() -> s.log.stats().groups() == 3)).isTrue();
    assertThat(s.b).noneMatch(CompletableFuture::isDone);
    assertThat(s.c).noneMatch(CompletableFuture::isDone);
    assertThat(LogFixture.readAll(s.log)).as("readers see only what is synced").hasSize(1);

    s.storage.syncPermits.release(); // B's sync returns
    for (CompletableFuture<RecordHandle> f : s.b) {
      assertThat(f).succeedsWithin(WAIT);
    }
    assertThat(s.storage.syncsEntered.poll(10, TimeUnit.SECONDS))
        .as("C gets a sync of its own, started after its write").startsWith("zerowal-sync");
    assertThat(s.c).noneMatch(CompletableFuture::isDone);
    assertThat(LogFixture.readAll(s.log)).hasSize(1 + N);

    s.storage.gateSyncs = false;
    s.storage.syncPermits.release();
    for (CompletableFuture<RecordHandle> f : s.c) {
      assertThat(f).succeedsWithin(WAIT);
    }
    assertThat(TestLogs.eventually(() -> s.completed.size() == 1 + 2 * N)).isTrue();
    assertThat(s.completed).isSorted();
    assertThat(s.log.stats().syncs()).as("a, B and C: one sync each").isEqualTo(3);
    assertThat(s.log.stats().appendLatency().count()).as("latency recorded per record at durability")
        .isEqualTo(1 + 2 * N);
    s.log.close();
    assertThat(s.storage.violations).isEmpty();
    assertThat(LogFixture.payloadsOf(s.recoverAll()))
        .containsExactlyElementsOf(TestLogs.payloads(1 + 2 * N, SIZE));
  }

  @ParameterizedTest(name = "writer inside the write of C: {0}")
  @ValueSource(booleans = {true, false})
  void aFailedSyncBehindFailsItsGroupsTheGroupBeingWrittenAndEverythingAfter(boolean writing)
      throws Exception {
    Scene s = new Scene(64 << 20);
    s.setUp(writing);
    if (!writing) {
      assertThat(TestLogs.eventually(() -> s.log.stats().groups() == 3)).isTrue();
    }
    s.mem.failNextSync();
    s.storage.syncPermits.release(); // B's sync fails
    if (writing) {
      s.storage.writePermits.release(); // the write of C started before the failure ends
    }
    for (CompletableFuture<RecordHandle> f : concat(s.b, s.c)) {
      assertThat(f).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(LogFailedException.class);
    }
    assertThatThrownBy(() -> s.log.append(new byte[1])).isInstanceOf(LogFailedException.class);
    int syncs = s.storage.syncs.get();
    int writes = s.storage.writes.get();
    s.storage.gateSyncs = false;
    s.storage.gateWrites = false;
    assertThat(CompletableFuture.runAsync(s.log::close)).succeedsWithin(WAIT);
    assertThat(s.storage.syncs.get()).as("no sync after the failed one").isEqualTo(syncs);
    assertThat(s.storage.writes.get()).as("no write after the failure").isEqualTo(writes);
    assertThat(s.storage.syncsEntered).isEmpty();
    assertThat(s.storage.violations).isEmpty();
    assertThat(s.a).succeedsWithin(WAIT);

    long seed = System.nanoTime();
    System.out.println("SyncBehindTest power-loss seed " + seed);
    MemoryStorage survivor = s.mem.crash(seed);
    try (WriteAheadLog reopened = WriteAheadLog.builder(survivor).open()) {
      List<LogRecord> records = LogFixture.readAll(reopened);
      assertThat(records).as("seed " + seed).isNotEmpty().hasSizeLessThanOrEqualTo(1 + 2 * N);
      assertThat(LogFixture.payloadsOf(records)).as("seed " + seed)
          .containsExactlyElementsOf(TestLogs.payloads(records.size(), SIZE));
      assertThat(reopened.append(new byte[1]).get(10, TimeUnit.SECONDS).sequence())
          .isEqualTo(records.size());
    }
  }

  @Test
  void aRollAndACloseWaitForTheSyncInFlight() throws Exception {
    // B fits the first segment; C does not, so the writer seals it while B's sync is held.
    Scene s = new Scene(4096);
    s.setUp(false);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(s.log::close);
    assertThat(s.b).noneMatch(CompletableFuture::isDone);
    assertThat(s.c).noneMatch(CompletableFuture::isDone);
    assertThat(closing).isNotDone();

    s.storage.gateSyncs = false;
    s.storage.syncPermits.release(100);
    assertThat(closing).succeedsWithin(WAIT);
    for (CompletableFuture<RecordHandle> f : concat(s.b, s.c)) {
      assertThat(f).isCompleted();
      assertThat(f.join()).isNotNull();
    }
    assertThat(TestLogs.eventually(() -> s.completed.size() == 1 + 2 * N)).isTrue();
    assertThat(s.completed).isSorted();
    assertThat(s.storage.violations).as("a seal or close under a sync behind").isEmpty();
    assertThat(s.mem.list().stream().filter(n -> SegmentName.parse(n) >= 0).count())
        .as("segments in " + s.mem.list()).isGreaterThanOrEqualTo(2);
    assertThat(LogFixture.payloadsOf(s.recoverAll()))
        .containsExactlyElementsOf(TestLogs.payloads(1 + 2 * N, SIZE));
  }

  @Test
  void aCallbackOnTheSyncThreadMayCloseTheLogButNotWaitForAnAppend() throws Exception {
    Scene s = new Scene(64 << 20);
    s.setUp(false);
    assertThat(TestLogs.eventually(() -> s.log.stats().groups() == 3)).isTrue();
    CompletableFuture<String> seen = new CompletableFuture<>();
    // B is small: the sync thread completes it itself, running this callback.
    s.b.get(0).thenRun(() -> {
      String name = Thread.currentThread().getName();
      try {
        s.c.get(0).join();
        seen.complete(name + " waited for an append of its own log");
      } catch (IllegalStateException refused) {
        s.log.close(); // must not wait for the writer, which waits for this thread
        seen.complete(name);
      }
    });
    s.storage.gateSyncs = false;
    s.storage.syncPermits.release(10);
    assertThat(seen).succeedsWithin(WAIT).asString().startsWith("zerowal-sync[");
    for (CompletableFuture<RecordHandle> f : concat(s.b, s.c)) {
      assertThat(f).succeedsWithin(WAIT);
    }
    assertThat(CompletableFuture.runAsync(s.log::close)).succeedsWithin(WAIT);
    assertThat(s.storage.violations).isEmpty();
    assertThat(s.recoverAll()).hasSize(1 + 2 * N);
  }

  @Test
  void aLongQueueIsWrittenInCappedGroupsAndItsHeadIsAcknowledgedWhileTheRestIsWritten()
      throws Exception {
    GatedStorage storage = new GatedStorage(new MemoryStorage());
    int size = 1024;
    // About three capped groups; all of it fits the writer's 1 MiB staging buffer, so without
    // the cap it would go in one write and one group.
    int queued = (int) (3 * GroupCommitWriter.MAX_SYNC_GROUP_BYTES / size) - 100;
    try (WriteAheadLog log = WriteAheadLog.builder(storage).durability(Durability.SYNC)
        .segmentSize(64 << 20).open()) {
      storage.gateWrites = true;
      CompletableFuture<RecordHandle> lead = log.append(TestLogs.payload(0, size));
      assertThat(storage.writesEntered.poll(10, TimeUnit.SECONDS)).as("write of the lead")
          .isNotNull();
      List<CompletableFuture<RecordHandle>> queue = new ArrayList<>();
      for (int i = 1; i <= queued; i++) {
        queue.add(log.append(TestLogs.payload(i, size)));
      }
      storage.writePermits.release(); // the lead is written, the queue waits behind it
      assertThat(storage.writesEntered.poll(10, TimeUnit.SECONDS)).as("write of the queue's head")
          .isNotNull();
      storage.writePermits.release();
      assertThat(storage.writesEntered.poll(10, TimeUnit.SECONDS))
          .as("a second write: the queue's head was a group of its own").isNotNull();
      // The writer is held in that write; the head's sync runs behind it and acknowledges it.
      assertThat(lead).succeedsWithin(WAIT);
      assertThat(queue.get(0)).succeedsWithin(WAIT);
      assertThat(queue.get(queued - 1)).as("the queue's tail is not written yet").isNotDone();
      assertThat(TestLogs.eventually(() -> log.stats().groups() == 2)).isTrue();

      storage.gateWrites = false;
      storage.writePermits.release(100);
      for (CompletableFuture<RecordHandle> f : queue) {
        assertThat(f).succeedsWithin(WAIT);
      }
      List<Long> sequences = queue.stream().map(f -> f.join().sequence()).toList();
      assertThat(sequences).isSorted().doesNotHaveDuplicates();
      assertThat(log.stats().groups()).as("the queue in groups of at most 256 KiB")
          .isGreaterThanOrEqualTo(4);
      assertThat(storage.violations).isEmpty();
    }
    try (WriteAheadLog reopened = WriteAheadLog.builder(storage).open()) {
      assertThat(LogFixture.payloadsOf(LogFixture.readAll(reopened)))
          .containsExactlyElementsOf(TestLogs.payloads(1 + queued, size));
    }
  }

  private static <T> List<T> concat(List<T> x, List<T> y) {
    List<T> all = new ArrayList<>(x);
    all.addAll(y);
    return all;
  }
}
