/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.receiver.BatchProcessor;
import io.zerowal.receiver.MemoryStorages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flume.Context;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Transaction;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.conf.ConfigurationException;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.lifecycle.LifecycleState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Careless and hostile uses of the sink: processors that block, throw or stop the sink from
 * inside, and keys that contradict each other. Every wait is bounded.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZeroWalSinkHostileTest {
  private final MemoryStorages disks = new MemoryStorages();
  private MemoryChannel channel;
  private ZeroWalSink sink;
  @TempDir Path dir;

  @AfterEach
  void tearDown() throws Exception {
    ZeroWalSink s = sink;
    if (s != null) {
      endsWithin(10, "stop() after the test", s::stop);
    }
    if (channel != null) {
      channel.stop();
    }
  }

  private static MemoryChannel memoryChannel() {
    MemoryChannel ch = new MemoryChannel();
    ch.setName("c1");
    Configurables.configure(ch, new Context(Map.of("capacity", "100000",
        "transactionCapacity", "10000", "keep-alive", "0")));
    ch.start();
    return ch;
  }

  private ZeroWalSink startSink(BatchProcessor processor, Map<String, String> keys) {
    channel = memoryChannel();
    ZeroWalSink s = new ZeroWalSink(processor, disks::configure);
    s.setName("k1");
    s.setChannel(channel);
    Map<String, String> all = new HashMap<>(Map.of("directory", "in-memory",
        "batchIntervalMs", "10", "restartBackoffMs", "0"));
    all.putAll(keys);
    s.configure(new Context(all));
    s.start();
    sink = s;
    return s;
  }

  private static void put(MemoryChannel ch, int count) {
    Transaction tx = ch.getTransaction();
    tx.begin();
    for (int i = 0; i < count; i++) {
      ch.put(EventBuilder.withBody("event-" + i, StandardCharsets.UTF_8));
    }
    tx.commit();
    tx.close();
  }

  /** Runs {@code r} on a thread of its own; fails if it does not end within {@code seconds}. */
  private static void endsWithin(int seconds, String what, ThrowingRunnable r) throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        r.run();
      } catch (Throwable e) {
        thrown.set(e);
      }
    }, "hostile-" + what);
    t.setDaemon(true);
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(seconds));
    assertThat(t.isAlive()).as("%s ends within %d s", what, seconds).isFalse();
    if (thrown.get() != null) {
      throw new AssertionError(what + " threw", thrown.get());
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aProcessorThatStopsTheSinkFromInsideDoesNotDeadlock() throws Exception {
    AtomicReference<ZeroWalSink> self = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    ZeroWalSink s = startSink(batch -> {
      self.get().stop(); // from the engine's batch thread
      stopped.countDown();
    }, Map.of());
    self.set(s);
    put(channel, 5);
    s.process();

    assertThat(stopped.await(10, TimeUnit.SECONDS)).as("stop() returned inside the processor")
        .isTrue();
    assertThat(s.getLifecycleState()).isEqualTo(LifecycleState.STOP);
    assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
        .hasMessageContaining("not started");
    endsWithin(10, "a second stop()", s::stop);
    sink = null;
  }

  @Test
  void stopReturnsWithinStopTimeoutWhileTheProcessorBlocksInterruptibly() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    ZeroWalSink s = startSink(batch -> {
      inside.countDown();
      never.await(); // a processor waiting on an output that never answers
    }, Map.of("stopTimeoutMs", "300"));
    put(channel, 5);
    s.process();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    endsWithin(10, "stop() with a blocked processor", s::stop);
    sink = null;
  }

  @Test
  void stopReturnsWithinStopTimeoutWhileTheProcessorIgnoresInterrupts() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ZeroWalSink s = startSink(batch -> {
      inside.countDown();
      while (true) {
        try {
          if (release.await(60, TimeUnit.SECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          // a careless processor swallows the interrupt
        }
      }
    }, Map.of("stopTimeoutMs", "300"));
    put(channel, 5);
    s.process();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      endsWithin(10, "stop() with a processor ignoring interrupts", s::stop);
    } finally {
      release.countDown();
    }
    sink = null;
  }

  @Test
  void maxBlockBytesOverTheDataSegmentIsRefusedByConfigureNamingBothKeys() {
    ZeroWalSink s = new ZeroWalSink(batch -> { });
    s.setName("k1");
    // dataSegmentSize 65536 with the default maxBlockBytes (4 MiB): no block fits a segment.
    Context keys = new Context(Map.of("directory", dir.toString(), "dataSegmentSize", "65536"));

    assertThatThrownBy(() -> s.configure(keys)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.maxBlockBytes").hasMessageContaining("k1.dataSegmentSize")
        .hasMessageContaining("65536");
  }
}
