/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.BackPressure;
import io.zerowal.core.BackPressureException;
import io.zerowal.core.Durability;
import io.zerowal.core.LogStats;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** maxLogDiskBytes: a quota on the bytes of the engine's logs. */
class DiskQuotaTest {
  private static final long SEGMENT = 64 << 10;
  private final MemoryStorage metadata = new MemoryStorage();
  private final Map<String, MemoryStorage> data = new HashMap<>();

  private MicroBatchEngine.Builder engine(Receiver receiver, BatchProcessor processor) {
    return MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new MemoryStorage()))
        .metadataStorage(metadata).durability(Durability.NONE)
        .batchInterval(Duration.ofMillis(50)).blockInterval(Duration.ofMillis(5))
        .dataSegmentSize(SEGMENT).metadataSegmentSize(16 << 10).maxBlockBytes(16 << 10)
        .maxBufferedBytes(64 << 10).receiver("src", receiver).processor(processor);
  }

  private static long logBytes(MicroBatchEngine e) {
    return e.logStats().values().stream().mapToLong(LogStats::segmentBytes).sum();
  }

  @Test
  void aSlowProcessorKeepsTheLogsUnderTheQuotaAndLosesNothingAcknowledged() throws Exception {
    long quota = 8 * SEGMENT;
    Set<Long> produced = ConcurrentHashMap.newKeySet();
    ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
    Set<Long> processed = ConcurrentHashMap.newKeySet();
    MicroBatchEngine e = engine(new CountingSource("src", true, produced, acked), b -> {
      b.records().forEach(r -> {
        String text = StandardCharsets.UTF_8.decode(r).toString();
        processed.add(Long.parseLong(text.substring(text.indexOf(':') + 1)));
      });
      Thread.sleep(200); // 4 batch intervals
    }).maxLogDiskBytes(quota).build();
    e.start();
    long maxLogs = 0;
    long maxUsed = 0;
    long end = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
    while (System.nanoTime() < end) {
      maxLogs = Math.max(maxLogs, logBytes(e));
      maxUsed = Math.max(maxUsed, metadata.usedBytes() + data.get("src").usedBytes());
      Thread.sleep(2);
    }
    long ackedWhileRunning = acked.size();
    long batches = e.batchesCompleted();
    e.stop();

    System.out.printf("maxLogDiskBytes %d (8 segments of %d), processor 4x slower than the"
        + " interval: logs' segment bytes at most %d, storage at most %d (preallocation"
        + " included), %d records acknowledged in 2.5 s, %d batches, %d processed after the"
        + " stop%n", quota, SEGMENT, maxLogs, maxUsed, ackedWhileRunning, batches,
        processed.size());
    assertThat(maxLogs).isLessThanOrEqualTo(quota + SEGMENT);
    assertThat(maxLogs).isGreaterThan(quota / 2); // the quota, not the source, was the limit
    assertThat(batches).isGreaterThanOrEqualTo(3);
    assertThat(acked).isNotEmpty();
    assertThat(processed).containsAll(acked);
  }

  @Test
  void failFastRefusesAStoreWhileTheLogsAreOverTheQuota() throws Exception {
    ManualReceiver r = new ManualReceiver();
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine e = engine(r, b -> {
      if (b.recordCount() > 0) {
        release.await();
      }
    }).maxLogDiskBytes(4 * SEGMENT + 2 * (16 << 10)).backPressure(BackPressure.FAIL_FAST).build();
    e.start();
    byte[] record = new byte[8 << 10];
    BackPressureException refused = null;
    int stored = 0;
    for (int i = 0; i < 1_000 && refused == null; i++) {
      try {
        r.context.store(record).get();
        stored++;
      } catch (BackPressureException full) {
        refused = full;
      }
    }
    System.out.printf("FAIL_FAST: %d records of 8 KiB stored, then refused: %s%n", stored,
        refused == null ? "-" : refused.getMessage());
    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains("maxLogDiskBytes " + (4 * SEGMENT + 2 * (16 << 10)));
    assertThat(stored * (long) record.length).isBetween(2 * SEGMENT, 4 * SEGMENT + 2 * (16 << 10));
    release.countDown();
    e.stop();
  }

  @Test
  void aQuotaBelowWhatIdleLogsHoldIsRefusedAtBuild() {
    assertThatThrownBy(() -> engine(new ManualReceiver(), b -> { })
        .maxLogDiskBytes(2 * SEGMENT).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLogDiskBytes " + 2 * SEGMENT + " is below what the logs may"
            + " hold with nothing to process, " + (2 * SEGMENT + 2 * (16 << 10)));
  }
}
