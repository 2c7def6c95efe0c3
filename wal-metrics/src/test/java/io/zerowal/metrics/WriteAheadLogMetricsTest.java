/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters of one log, read from a SimpleMeterRegistry against the log's own stats. */
class WriteAheadLogMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double counter(String name) {
    return registry.get(name).tag("log", "orders").functionCounter().count();
  }

  private double gauge(String name) {
    return registry.get(name).tag("log", "orders").gauge().value();
  }

  private static WriteAheadLog open(MemoryStorage storage) {
    return WriteAheadLog.builder(storage).segmentSize(4096).maxRecordSize(1024)
        .durability(Durability.SYNC).open();
  }

  private static void append(WriteAheadLog log, int records) {
    List<CompletableFuture<?>> futures = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      futures.add(log.append(new byte[300]));
    }
    futures.forEach(CompletableFuture::join);
  }

  @Test
  void metersFollowTheLogsStats() {
    MemoryStorage storage = new MemoryStorage();
    try (WriteAheadLog log = open(storage)) {
      new WriteAheadLogMetrics(log, "orders", Tags.of("app", "test")).bindTo(registry);
      append(log, 40);

      assertThat(counter("zerowal.log.appends")).isEqualTo(40);
      assertThat(counter("zerowal.log.bytes")).isEqualTo(40 * 300);
      assertThat(counter("zerowal.log.groups")).isEqualTo(log.stats().groups()).isPositive();
      assertThat(counter("zerowal.log.syncs")).isEqualTo(log.stats().syncs()).isPositive();
      assertThat(counter("zerowal.log.segments.rolled")).isEqualTo(log.stats().segmentsRolled())
          .isPositive();
      assertThat(gauge("zerowal.log.group.records")).isEqualTo(log.stats().averageGroupSize());
      // A group's bytes are released just after its futures complete: wait for that, bounded.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (gauge("zerowal.log.pending.bytes") != 0 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      assertThat(gauge("zerowal.log.pending.bytes")).isZero();
      assertThat(gauge("zerowal.log.segments")).isEqualTo(log.stats().segments()).isGreaterThan(2);
      assertThat(gauge("zerowal.log.disk.bytes")).isEqualTo(log.stats().segmentBytes());
      assertThat(gauge("zerowal.log.sequence.first")).isZero();
      assertThat(gauge("zerowal.log.sequence.next")).isEqualTo(40);
      assertThat(registry.get("zerowal.log.appends").tags("log", "orders", "app", "test")
          .functionCounter()).isNotNull();
      assertThat(registry.get("zerowal.log.bytes").functionCounter().getId().getBaseUnit())
          .isEqualTo("bytes");

      io.zerowal.core.LatencySnapshot latency = log.stats().appendLatency();
      io.micrometer.core.instrument.FunctionTimer timer = registry.get("zerowal.log.append.latency")
          .tag("log", "orders").functionTimer();
      assertThat(timer.count()).isEqualTo(40);
      assertThat(timer.totalTime(TimeUnit.NANOSECONDS))
          .isCloseTo((double) latency.total().toNanos(), within(1.0)).isPositive();
      assertThat(registry.get("zerowal.log.append.latency.max").tag("log", "orders").timeGauge()
          .value(TimeUnit.NANOSECONDS)).isCloseTo((double) latency.max().toNanos(), within(1.0));
      assertThat(registry.get("zerowal.log.append.latency.percentile").tags("log", "orders",
          "phi", "0.99").timeGauge().value(TimeUnit.NANOSECONDS))
          .isCloseTo((double) latency.percentile(99).toNanos(), within(1.0)).isPositive();
      assertThat(registry.get("zerowal.log.append.latency.percentile").timeGauges()).hasSize(4);
    }
    assertThat(counter("zerowal.log.appends")).as("kept after close").isEqualTo(40);
  }

  @Test
  void recoveryReportOfTheOpenIsExported() {
    MemoryStorage storage = new MemoryStorage();
    WriteAheadLog first = open(storage);
    append(first, 25);
    first.append(new byte[300]); // not awaited: may be torn by the crash
    MemoryStorage crashed = storage.crash(7L);
    try {
      first.close(); // its storage is dead: the close may fail, the threads end
    } catch (RuntimeException expected) {
      // the crashed storage refuses the seal
    }

    try (WriteAheadLog log = open(crashed)) {
      new WriteAheadLogMetrics(log, "orders").bindTo(registry);
      var report = log.recoveryReport();

      assertThat(gauge("zerowal.log.recovery.records")).isEqualTo(report.records())
          .isGreaterThanOrEqualTo(25);
      assertThat(gauge("zerowal.log.recovery.bytes.truncated")).isEqualTo(report.bytesTruncated());
      assertThat(gauge("zerowal.log.recovery.torn.tail")).isEqualTo(report.tornTail() ? 1 : 0);
      assertThat(gauge("zerowal.log.recovery.records.skipped")).isZero();
      assertThat(gauge("zerowal.log.recovery.corrupt.segments")).isZero();
      // A TimeGauge converts through its base unit (seconds): 4118087 ns came back as
      // 4118087.0000000005 in a CI run: equal within a nanosecond, as the latency meters above.
      assertThat(registry.get("zerowal.log.recovery.duration").timeGauge().value(TimeUnit.NANOSECONDS))
          .isCloseTo((double) report.duration().toNanos(), within(1.0));
    }
  }
}
