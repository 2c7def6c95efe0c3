/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A real consumer whose broker is down at start (a loopback port nobody listens on): the source
 * waits and retries without spinning, and stores nothing.
 */
class BrokerDownTest {

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void walReceiverWaitsForADownBrokerWithoutSpinning() throws Exception {
    Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:" + closedPort(),
        "group.id", "g", "reconnect.backoff.max.ms", "1000");
    assertSourceIdles(KafkaReceiver.builder(config).topics(List.of("t")).build(), null, "poll");
  }

  @Test
  void directReceiverRetriesADownBrokerWithBackoffWithoutSpinning() throws Exception {
    Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:" + closedPort());
    KafkaDirectSource source = KafkaDirectSource.builder(config).topics(List.of("t"))
        .rangeInterval(Duration.ofMillis(20)).requestTimeout(Duration.ofMillis(200))
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
    try {
      assertSourceIdles(source.receiver(), source, "ranges");
    } finally {
      source.close();
    }
  }

  private static void assertSourceIdles(Receiver receiver, KafkaDirectSource direct,
      String thread) throws Exception {
    AtomicLong processed = new AtomicLong();
    MicroBatchEngine engine = new MemoryStorages().configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(100)).receiver("kafka", receiver)
        .processor(direct == null
            ? KafkaReceiver.processor(b -> processed.addAndGet(b.records().count()))
            : direct.processor(b -> processed.addAndGet(b.records().count())))
        .build();
    engine.start();
    try {
      Thread.sleep(500); // let the thread start and meet the closed port
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long id = pollThread(thread);
      long cpuBefore = mx.getThreadCpuTime(id);
      long wallBefore = System.nanoTime();
      Thread.sleep(2_500);
      long cpu = mx.getThreadCpuTime(id) - cpuBefore;
      long wall = System.nanoTime() - wallBefore;
      System.out.printf("%s thread with the broker down: %.1f%% of a core%n", thread,
          100.0 * cpu / wall);
      assertThat(cpu).as("CPU of the %s thread over %d ms", thread, wall / 1_000_000)
          .isLessThan(wall / 4);
      assertThat(engine.isRunning()).isTrue();
      assertThat(processed.get()).isZero();
      assertThat(engine.receiverStats().get("kafka").records()).isZero();
    } finally {
      engine.stopNow();
    }
  }

  private static long pollThread(String suffix) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().endsWith("kafka-" + suffix)) {
        return t.getId();
      }
    }
    throw new AssertionError("no thread named *kafka-" + suffix + " among "
        + Thread.getAllStackTraces().keySet());
  }
}
