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
    put(ch, count, 0);
  }

  private static void put(MemoryChannel ch, int count, int padding) {
    Transaction tx = ch.getTransaction();
    tx.begin();
    for (int i = 0; i < count; i++) {
      ch.put(EventBuilder.withBody("event-" + i + "x".repeat(padding), StandardCharsets.UTF_8));
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

  @Test
  void theLogDirectoryDeletedUnderARunningSinkFailsTheStoresAndNothingIsCommitted()
      throws Exception {
    channel = memoryChannel();
    ZeroWalSink s = new ZeroWalSink(batch -> { });
    s.setName("k1");
    s.setChannel(channel);
    Path wal = dir.resolve("wal");
    s.configure(new Context(Map.of("directory", wal.toString(), "batchIntervalMs", "600000",
        "restartBackoffMs", "600000", "durability", "SYNC")));
    s.start();
    sink = s;
    put(channel, 10);
    assertThat(s.process()).isEqualTo(org.apache.flume.Sink.Status.READY);

    deleteTree(wal); // a careless cleanup while the agent runs

    // Within a few transactions the logs notice: stores fail, the transactions roll back.
    int committedAfterDelete = 0;
    EventDeliveryException failure = null;
    for (int i = 0; i < 50 && failure == null; i++) {
      put(channel, 10);
      try {
        s.process();
        committedAfterDelete += 10;
      } catch (EventDeliveryException e) {
        failure = e;
      }
    }
    System.out.println("committed after the delete: " + committedAfterDelete + "; " + failure);
    assertThat(failure).as("a store fails once the directory is gone").isNotNull();
    assertThat(failure).hasMessageContaining(wal.toString());
    // The core checks its lock every 100 ms: a commit in that window would acknowledge events
    // written to files that no longer exist.
    assertThat(committedAfterDelete).as("events committed after the delete").isZero();
    assertThat(channelSize()).as("the failed transaction rolled back").isEqualTo(10);
  }

  @Test
  void aSegmentDeletedBeforeARestartIsNamedAndNothingIsTakenFromTheChannel() throws Exception {
    channel = memoryChannel();
    Path wal = dir.resolve("wal");
    Map<String, String> keys = Map.of("directory", wal.toString(), "batchIntervalMs", "600000",
        "restartBackoffMs", "0", "dataSegmentSize", "16384", "maxBlockBytes", "8192");
    ZeroWalSink s = new ZeroWalSink(batch -> { });
    s.setName("k1");
    s.setChannel(channel);
    s.configure(new Context(keys));
    s.start();
    sink = s;
    for (int i = 0; i < 10; i++) {
      put(channel, 10, 500);
      s.process();
    }
    s.engine().stopNow(); // as a crash: nothing processed, every block acknowledged
    s.stop();
    Path first = wal.resolve("flume").resolve(String.format("%020d.wal", 0));
    assertThat(first).exists();
    java.nio.file.Files.delete(first);

    ZeroWalSink restarted = new ZeroWalSink(batch -> { });
    restarted.setName("k1");
    restarted.setChannel(channel);
    restarted.configure(new Context(keys));
    restarted.start();
    sink = restarted;
    put(channel, 5);
    assertThatThrownBy(restarted::process).isInstanceOf(EventDeliveryException.class)
        .hasMessageContaining("could not start");
    assertThat(channelSize()).isEqualTo(5);
  }

  private int channelSize() {
    int n = 0;
    Transaction tx = channel.getTransaction();
    tx.begin();
    try {
      while (channel.take() != null) {
        n++;
      }
    } finally {
      tx.rollback();
      tx.close();
    }
    return n;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = java.nio.file.Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }

  @Test
  void aSinkBuiltInCodeWithoutANameGetsMessagesWithoutNull() {
    ZeroWalSink s = new ZeroWalSink(batch -> { });

    assertThatThrownBy(() -> s.configure(new Context(Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("directory is required").hasMessageNotContaining("null");
    assertThatThrownBy(() -> s.configure(new Context(Map.of("directory", dir.toString(),
        "batchSize", "-1")))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("batchSize = \"-1\" is out of range")
        .hasMessageNotContaining("null");
  }

  @Test
  void aDirectoryThatIsAFileIsNamedWhenTheSinkTriesToStart() throws Exception {
    Path file = dir.resolve("not-a-directory");
    java.nio.file.Files.writeString(file, "x");
    channel = memoryChannel();
    ZeroWalSink s = new ZeroWalSink(batch -> { });
    s.setName("k1");
    s.setChannel(channel);
    s.configure(new Context(Map.of("directory", file.toString(), "restartBackoffMs", "0")));
    s.start();
    sink = s;
    put(channel, 3);

    assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
        .hasMessageContaining("could not start").hasMessageContaining(file.toString());
    assertThat(channelSize()).isEqualTo(3);
  }
}
