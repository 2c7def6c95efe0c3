/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * FLUSH and NONE logs sync their open segment in the background every quarter segment (at most
 * 4 MiB) so that a roll's seal has little left to sync. The background syncs must be counted, must
 * fail the log when they fail, and must not change what a power loss can do: only the last segment
 * is ever torn.
 */
class BackgroundSyncTest {
  private static final int SEGMENT = 4096; // background sync every 1,024 bytes written
  private static final int RECORD = 100; // 117-byte frames: ~34 per segment

  private static WriteAheadLog open(Storage storage, Durability durability) {
    return WriteAheadLog.builder(storage).durability(durability).segmentSize(SEGMENT)
        .maxRecordSize(1000).open();
  }

  @Test
  void theIntervalIsAQuarterSegmentAndAtMost4MiB() {
    assertThat(BackgroundSyncer.interval(4096)).isEqualTo(1024);
    assertThat(BackgroundSyncer.interval(64L << 20)).isEqualTo(4L << 20);
    assertThat(BackgroundSyncer.interval(2)).isEqualTo(1);
  }

  @Test
  void flushAndNoneLogsSyncInTheBackgroundAndCountIt() throws Exception {
    for (Durability d : new Durability[] {Durability.FLUSH, Durability.NONE}) {
      ObservedStorage storage = new ObservedStorage(new MemoryStorage());
      LogStats stats;
      try (WriteAheadLog log = open(storage, d)) {
        for (int i = 0; i < 10; i++) { // 1,170 bytes in the first segment: one request, no roll
          await(log.append(payload(i, RECORD)));
        }
        assertThat(log.stats().segmentsRolled()).isZero();
        assertThat(TestLogs.eventually(() -> log.stats().syncs() == 1))
            .as("%s: the open segment was synced in the background: %s", d, log.stats()).isTrue();
        for (int i = 10; i < 300; i++) {
          await(log.append(payload(i, RECORD)));
        }
        // A request may still be running: wait until the counts agree.
        assertThat(TestLogs.eventually(() -> log.stats().syncs() == storage.syncs.get()))
            .as("%s: stats count every sync the storage saw", d).isTrue();
        stats = log.stats();
      }
      // Seals sync once per roll; the background adds up to one per 1,024 bytes, fewer when
      // requests arrive while a sync runs (they merge) or are dropped by a seal.
      assertThat(stats.segmentsRolled()).as(d.toString()).isGreaterThan(5);
      assertThat(stats.syncs()).as("%s: %s", d, stats).isGreaterThan(stats.segmentsRolled());
    }
  }

  @Test
  void syncLogsDoNotSyncInTheBackground() throws Exception {
    ObservedStorage storage = new ObservedStorage(new MemoryStorage());
    try (WriteAheadLog log = open(storage, Durability.SYNC)) {
      for (int i = 0; i < 300; i++) {
        await(log.append(payload(i, RECORD)));
      }
      LogStats stats = log.stats();
      assertThat(stats.syncs()).isEqualTo(stats.groups() + stats.segmentsRolled());
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .noneMatch(n -> n.startsWith("zerowal-syncer"));
    }
  }

  @Test
  void aFailedBackgroundSyncFailsTheLogAndKeepsWhatWasAcknowledged() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    ObservedStorage storage = new ObservedStorage(mem);
    List<byte[]> acknowledged = new ArrayList<>();
    Throwable failure = null;
    try (WriteAheadLog log = open(storage, Durability.FLUSH)) {
      java.util.concurrent.CountDownLatch inSync = storage.holdNextSyncThenFail();
      for (int i = 0; i < 10; i++) { // 1,170 bytes: one background request, no roll
        byte[] p = payload(i, RECORD);
        await(log.append(p));
        acknowledged.add(p);
      }
      assertThat(inSync.await(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(log.stats().segmentsRolled()).as("only the background syncer syncs here").isZero();
      storage.failHeldSync();
      // Appends racing the failure may still be acknowledged (FLUSH); then the log fails. At most
      // 20 more: the segment holds 34 records, and a roll's seal would find the failure too.
      for (int i = 10; i < 30 && failure == null; i++) {
        Thread.sleep(20);
        byte[] p = payload(i, RECORD);
        try {
          log.append(p).get(TestLogs.WAIT_SECONDS, TimeUnit.SECONDS);
          acknowledged.add(p);
        } catch (ExecutionException e) {
          failure = e.getCause();
        } catch (LogFailedException e) {
          failure = e;
        }
      }
      assertThat(failure).as("no append failed after the background sync failed")
          .isInstanceOf(LogFailedException.class);
      assertThat(failure.getCause()).hasMessageContaining("background sync of segment")
          .hasRootCauseMessage("simulated sync failure held by the test");
      assertThatThrownBy(() -> log.append(new byte[1])).isInstanceOf(LogFailedException.class);
    }

    try (WriteAheadLog log = open(mem, Durability.FLUSH); LogReader r = log.readFrom(0)) {
      List<byte[]> read = new ArrayList<>();
      r.forEach(rec -> read.add(rec.payloadBytes()));
      // FLUSH promises a process crash (not a power loss) loses nothing acknowledged.
      assertThat(read).hasSizeGreaterThanOrEqualTo(acknowledged.size());
      for (int i = 0; i < acknowledged.size(); i++) {
        assertThat(read.get(i)).as("record %d", i).isEqualTo(acknowledged.get(i));
      }
    }
  }

  @Test
  void aPowerLossStillTearsOnlyTheLastSegment() throws Exception {
    for (long seed = 0; seed < 40; seed++) {
      MemoryStorage mem = new MemoryStorage();
      long sealedRecords;
      try (WriteAheadLog log = open(mem, Durability.FLUSH)) {
        List<java.util.concurrent.CompletableFuture<RecordHandle>> futures = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
          futures.add(log.append(payload(i, RECORD)));
        }
        for (java.util.concurrent.CompletableFuture<RecordHandle> f : futures) {
          await(f);
        }
        RecordHandle lastOfTail = await(log.append(payload(250, RECORD)));
        sealedRecords = lastOfTail.segment(); // records of sealed (synced) segments
        MemoryStorage survivor = mem.crash(seed); // power loss with the log still open
        try (WriteAheadLog reopened = open(survivor, Durability.FLUSH);
            LogReader r = reopened.readFrom(reopened.firstSequence())) {
          long n = 0;
          for (LogRecord rec : r) {
            assertThat(rec.sequence()).as("seed %d", seed).isEqualTo(n);
            assertThat(rec.payloadBytes()).as("seed %d, record %d", seed, n)
                .isEqualTo(payload(n, RECORD));
            n++;
          }
          assertThat(n).as("seed %d: records of sealed segments survive", seed)
              .isGreaterThanOrEqualTo(sealedRecords);
          assertThat(reopened.verify()).as("seed %d", seed).isEqualTo(n);
        }
      }
    }
  }
}
