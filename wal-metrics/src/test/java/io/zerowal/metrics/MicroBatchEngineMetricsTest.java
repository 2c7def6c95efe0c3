/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zerowal.core.Durability;
import io.zerowal.receiver.BatchStats;
import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import io.zerowal.receiver.ReceiverStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The meters of an engine, read from a SimpleMeterRegistry against the engine's own stats. */
class MicroBatchEngineMetricsTest {
  private static final long WAIT = 30;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** A receiver the test drives through its context. */
  static final class Source implements Receiver {
    volatile ReceiverContext context;

    @Override
    public void onStart(ReceiverContext context) {
      this.context = context;
    }

    @Override
    public void onStop() {}

    void store(String... records) throws Exception {
      List<ByteBuffer> list = Stream.of(records)
          .map(r -> ByteBuffer.wrap(r.getBytes(StandardCharsets.UTF_8))).toList();
      context.store(list).get(WAIT, TimeUnit.SECONDS);
    }
  }

  private MicroBatchEngine.Builder engine(MemoryStorages disks, Source clicks, Source orders) {
    return disks.configure(MicroBatchEngine.builder()).name("shop")
        .receiver("clicks", clicks).receiver("orders", orders).durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(20)).blockInterval(Duration.ofMillis(5));
  }

  private double receiverCounter(String name, String receiver) {
    return registry.get(name).tags("engine", "shop", "receiver", receiver).functionCounter()
        .count();
  }

  @Test
  void metersFollowTheEnginesStatsAndEveryBatch() throws Exception {
    MemoryStorages disks = new MemoryStorages();
    Source clicks = new Source();
    Source orders = new Source();
    CountDownLatch processed = new CountDownLatch(4);
    MicroBatchEngine engine = engine(disks, clicks, orders).processor(batch -> {
      for (int i = 0; i < batch.blocks().size(); i++) {
        processed.countDown();
      }
    }).build();
    new MicroBatchEngineMetrics(engine, Tags.of("app", "test")).bindTo(registry);
    List<BatchStats> seen = new CopyOnWriteArrayList<>(); // called after the metrics' listener
    engine.addBatchListener(seen::add);

    assertThat(receiverCounter("zerowal.engine.receiver.records", "clicks")).isZero();
    assertThat(registry.get("zerowal.engine.receiver.buffered.bytes").tag("receiver", "clicks")
        .gauge().value()).as("before start").isNaN();

    engine.start();
    try {
      clicks.store("c-1", "c-2");
      clicks.store("c-3");
      clicks.store("c-4");
      orders.store("o-1");
      assertThat(processed.await(WAIT, TimeUnit.SECONDS)).isTrue();
      // The engine's logs, as zerowal.log.* meters, tag log=<engine>.<log>; read while the
      // engine runs (a closed log's stats are those last read).
      assertThat(registry.get("zerowal.log.appends").tags("log", "shop.clicks", "app", "test")
          .functionCounter().count()).isEqualTo(3);
      assertThat(registry.get("zerowal.log.appends").tag("log", "shop.metadata").functionCounter()
          .count()).isGreaterThanOrEqualTo(4 + 1); // BlockAdded x4, at least one allocation
      assertThat(registry.get("zerowal.log.append.latency").tag("log", "shop.orders")
          .functionTimer().count()).isEqualTo(1);
      assertThat(registry.get("zerowal.log.recovery.records").tag("log", "shop.metadata").gauge()
          .value()).isZero();
    } finally {
      engine.stop();
    }

    ReceiverStats c = engine.receiverStats().get("clicks");
    assertThat(receiverCounter("zerowal.engine.receiver.records", "clicks")).isEqualTo(4)
        .isEqualTo(c.records());
    assertThat(receiverCounter("zerowal.engine.receiver.bytes", "clicks")).isEqualTo(12);
    assertThat(receiverCounter("zerowal.engine.receiver.blocks", "clicks")).isEqualTo(3);
    assertThat(receiverCounter("zerowal.engine.receiver.records", "orders")).isEqualTo(1);
    var store = registry.get("zerowal.engine.receiver.store.latency")
        .tags("engine", "shop", "receiver", "clicks", "app", "test").functionTimer();
    assertThat(store.count()).isEqualTo(3);
    assertThat(store.totalTime(TimeUnit.NANOSECONDS)).isPositive()
        .isCloseTo((double) c.totalStoreLatency().toNanos(), within(1.0)); // seconds and back
    assertThat(registry.get("zerowal.engine.receiver.store.latency.percentile")
        .tags("receiver", "clicks", "phi", "0.99").timeGauge().value(TimeUnit.NANOSECONDS))
        .isCloseTo((double) c.storeLatencyPercentile(99).toNanos(), within(1.0)).isPositive();
    assertThat(registry.get("zerowal.engine.receiver.buffered.bytes").tag("receiver", "clicks")
        .gauge().value()).isZero();
    assertThat(registry.get("zerowal.engine.receiver.unprocessed.bytes").tag("receiver", "orders")
        .gauge().value()).isZero();

    assertThat(registry.get("zerowal.engine.batches").tag("engine", "shop").functionCounter()
        .count()).isEqualTo(engine.batchesCompleted()).isEqualTo(seen.size());
    assertThat(registry.get("zerowal.engine.records.processed").functionCounter().count())
        .isEqualTo(5);
    assertThat(registry.get("zerowal.engine.batch.processing.time").timer().count())
        .isEqualTo(seen.size());
    assertThat(registry.get("zerowal.engine.batch.latency").timer().count())
        .isEqualTo(seen.size());
    assertThat(registry.get("zerowal.engine.batch.scheduling.delay").timer().count())
        .isEqualTo(seen.stream().filter(s -> !s.schedulingDelay().isNegative()).count());
    assertThat(registry.get("zerowal.engine.batch.records").summary().totalAmount()).isEqualTo(5);
    assertThat(registry.get("zerowal.engine.batch.bytes").summary().totalAmount()).isEqualTo(15);
    assertThat(registry.get("zerowal.engine.batch.reruns").counter().count()).isZero();
    assertThat(registry.get("zerowal.engine.unprocessed.bytes").gauge().value()).isZero();
    assertThat(registry.get("zerowal.engine.blocks.unallocated").gauge().value()).isZero();
    assertThat(registry.get("zerowal.engine.batches.pending").gauge().value()).isZero();

  }

  @Test
  void aBatchReRunAfterACrashIsCountedAsARerun() throws Exception {
    MemoryStorages disks = new MemoryStorages();
    Source clicks = new Source();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine first = engine(disks, clicks, new Source()).processor(batch -> {
      if (!batch.blocks().isEmpty()) {
        held.countDown();
        release.await(WAIT, TimeUnit.SECONDS);
      }
    }).build();
    first.start();
    try {
      clicks.store("c-1");
      assertThat(held.await(WAIT, TimeUnit.SECONDS)).isTrue();
    } finally {
      disks = disks.crashAll(7L);
      release.countDown();
      first.stopNow();
    }

    CountDownLatch rerun = new CountDownLatch(1);
    MicroBatchEngine second = engine(disks, new Source(), new Source()).processor(batch -> { })
        .build();
    new MicroBatchEngineMetrics(second).bindTo(registry);
    second.addBatchListener(s -> {
      if (s.recovered()) {
        rerun.countDown();
      }
    });
    second.start();
    try {
      assertThat(rerun.await(WAIT, TimeUnit.SECONDS)).isTrue();
    } finally {
      second.stop();
    }

    assertThat(registry.get("zerowal.engine.batch.reruns").tag("engine", "shop").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("zerowal.engine.records.processed").functionCounter().count())
        .isEqualTo(1);
  }

  @Test
  void nullArgumentsAreRefusedNamingThem() {
    assertThatThrownBy(() -> new MicroBatchEngineMetrics(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("engine");
  }
}
