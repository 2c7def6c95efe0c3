/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.receiver.Batch;
import io.zerowal.receiver.BatchProcessor;
import io.zerowal.receiver.MemoryStorages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Sink.Status;
import org.apache.flume.Transaction;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeroWalSinkTest {
  private final MemoryStorages disks = new MemoryStorages();
  private final List<String> processed = new CopyOnWriteArrayList<>();
  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final BatchProcessor recording = batch -> {
    batch.records().forEach(r -> processed.add(
        new String(EventFormat.decode(r).getBody(), StandardCharsets.UTF_8)));
    batches.add(batch);
  };
  private MemoryChannel channel;
  private ZeroWalSink sink;

  @AfterEach
  void tearDown() {
    if (sink != null) {
      sink.stop();
    }
    if (channel != null) {
      channel.stop();
    }
  }

  private static MemoryChannel memoryChannel() {
    MemoryChannel ch = new MemoryChannel();
    ch.setName("c1");
    // keep-alive=0: an empty take returns at once instead of blocking 3 s.
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

  private static void put(Channel ch, int from, int count, int bodyBytes) {
    Transaction tx = ch.getTransaction();
    tx.begin();
    for (int i = from; i < from + count; i++) {
      String id = "event-" + i;
      String body = bodyBytes <= 0 ? id : id + "x".repeat(Math.max(0, bodyBytes - id.length()));
      ch.put(EventBuilder.withBody(body, StandardCharsets.UTF_8, Map.of("id", id)));
    }
    tx.commit();
    tx.close();
  }

  /** Takes everything the channel holds, in one transaction, and gives it back (rollback). */
  private static List<String> peek(Channel ch) {
    List<String> ids = new ArrayList<>();
    Transaction tx = ch.getTransaction();
    tx.begin();
    try {
      Event e;
      while ((e = ch.take()) != null) {
        ids.add(e.getHeaders().get("id"));
      }
    } finally {
      tx.rollback();
      tx.close();
    }
    return ids;
  }

  private static int drain(ZeroWalSink s) throws EventDeliveryException {
    int transactions = 0;
    while (s.process() == Status.READY) {
      assertThat(++transactions).as("transactions").isLessThan(10_000);
    }
    return transactions;
  }

  private static List<String> ids(int from, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      ids.add("event-" + i);
    }
    return ids;
  }

  @Test
  void eventsAreCommittedAfterTheStoreAndProcessedInOrder() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of("batchSize", "7"));
    put(channel, 0, 50, 0);

    assertThat(drain(s)).isEqualTo(8); // 7 full transactions and one of 1
    assertThat(peek(channel)).isEmpty();
    s.stop(); // graceful: what was stored is processed
    sink = null;

    assertThat(processed).containsExactlyElementsOf(ids(0, 50));
  }

  @Test
  void aFailedStoreRollsBackAndTheChannelKeepsTheEvents() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of("batchSize", "20"));
    put(channel, 0, 20, 0);
    disks.data(ZeroWalSink.RECEIVER_ID).failNextSync();

    assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
        .hasMessageContaining("rolled back");

    assertThat(peek(channel)).containsExactlyElementsOf(ids(0, 20));
    // restartBackoffMs = 0: the next process() starts a new engine on the recovered logs.
    drain(s);
    assertThat(peek(channel)).isEmpty();
    s.stop();
    sink = null;
    assertThat(processed).containsExactlyElementsOf(ids(0, 20));
  }

  @Test
  void aFailedWriteRollsBackToo() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of("batchSize", "5"));
    put(channel, 0, 5, 0);
    disks.data(ZeroWalSink.RECEIVER_ID).failNextWrite();

    assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class);

    assertThat(peek(channel)).containsExactlyElementsOf(ids(0, 5));
  }

  @Test
  void aFailingProcessorStopsTheEngineAndTheBatchReRunsInANewOne() throws Exception {
    AtomicBoolean failedOnce = new AtomicBoolean();
    ZeroWalSink s = startSink(batch -> {
      if (failedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("output down");
      }
      recording.process(batch);
    }, Map.of("batchSize", "10"));
    put(channel, 0, 10, 0);
    assertThat(s.process()).isEqualTo(Status.READY); // durable, committed: the batch fails later
    awaitEngineDown(s);
    put(channel, 10, 10, 0);

    // A new engine re-runs the failed batch first, then takes the new events.
    drain(s);
    s.stop();
    sink = null;

    assertThat(processed).containsExactlyElementsOf(ids(0, 20));
    assertThat(batches.get(0).isRecovered()).isTrue();
  }

  private static void awaitEngineDown(ZeroWalSink s) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (s.engine().isRunning()) {
      assertThat(System.nanoTime()).as("the engine fails within 10 s").isLessThan(deadline);
      s.engine().awaitTermination(java.time.Duration.ofMillis(50));
    }
  }

  @Test
  void whileTheEngineIsDownWithinTheBackoffNothingIsTaken() throws Exception {
    ZeroWalSink s = startSink(batch -> {
      throw new IllegalStateException("output down");
    }, Map.of("batchSize", "10", "restartBackoffMs", "600000"));
    put(channel, 0, 3, 0);
    assertThat(s.process()).isEqualTo(Status.READY);
    awaitEngineDown(s);

    // The first call after the failure starts a new engine at once; its re-run fails again.
    try {
      s.process();
    } catch (EventDeliveryException e) {
      // the new engine may be down already
    }
    awaitEngineDown(s);
    put(channel, 3, 3, 0);

    // Within restartBackoffMs: no new engine, nothing taken, a message naming the key.
    assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
        .hasMessageContaining("k1.restartBackoffMs").hasMessageContaining("output down");
    assertThat(peek(channel)).containsExactlyElementsOf(ids(3, 3));
  }

  @Test
  void anOversizeEventRollsBackByDefaultAndNamesTheKey() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of("batchSize", "10", "maxBlockBytes", "4096"));
    put(channel, 0, 2, 0);
    put(channel, 2, 1, 5000);
    put(channel, 3, 2, 0);

    assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
        .hasMessageContaining("k1.maxBlockBytes = 4096")
        .hasMessageContaining("k1.oversizeEvents = drop");

    assertThat(peek(channel)).containsExactlyElementsOf(ids(0, 5));
  }

  @Test
  void anOversizeEventIsDroppedWhenConfiguredAndTheOthersDelivered() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of("batchSize", "10", "maxBlockBytes", "4096",
        "oversizeEvents", "drop"));
    put(channel, 0, 2, 0);
    put(channel, 2, 1, 5000);
    put(channel, 3, 2, 0);

    drain(s);
    s.stop();
    sink = null;

    assertThat(s.oversizeDropped()).isEqualTo(1);
    assertThat(processed).containsExactly("event-0", "event-1", "event-3", "event-4");
  }

  @Test
  void anEventTheFormatCannotHoldFollowsTheOversizePolicy() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of("oversizeEvents", "drop"));
    put(channel, 0, 1, 0);
    Transaction tx = channel.getTransaction();
    tx.begin();
    channel.put(EventBuilder.withBody(new byte[1], Map.of("k".repeat(70_000), "v")));
    tx.commit();
    tx.close();
    put(channel, 1, 1, 0);

    drain(s);
    s.stop();
    sink = null;

    assertThat(s.oversizeDropped()).isEqualTo(1);
    assertThat(processed).containsExactly("event-0", "event-1");
  }

  @Test
  void aTransactionLargerThanABlockIsStoredAsSeveralBlocks() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of("batchSize", "100", "maxBlockBytes", "8192"));
    put(channel, 0, 100, 1000);

    assertThat(drain(s)).isEqualTo(1);
    s.stop();
    sink = null;

    assertThat(processed).hasSize(100);
    assertThat(processed.get(99)).startsWith("event-99x");
    long blocks = batches.stream().mapToLong(b -> b.blocks().size()).sum();
    assertThat(blocks).isGreaterThanOrEqualTo(100 * 1000 / 8192 + 1);
  }

  @Test
  void logsLockedAtStartAreRetriedWithBackoffAndTheChannelKeepsTheEvents(@TempDir Path dir)
      throws Exception {
    Map<String, String> keys = Map.of("directory", dir.toString(), "batchIntervalMs", "10",
        "restartBackoffMs", "0");
    ZeroWalSink first = new ZeroWalSink(batch -> { });
    first.setName("other");
    first.setChannel(memoryChannel());
    first.configure(new Context(keys));
    first.start(); // holds the logs' locks

    channel = memoryChannel();
    ZeroWalSink s = new ZeroWalSink(recording);
    s.setName("k1");
    s.setChannel(channel);
    s.configure(new Context(keys));
    s.start(); // does not throw: logged, retried by process()
    sink = s;
    put(channel, 0, 3, 0);

    assertThatThrownBy(s::process).isInstanceOf(EventDeliveryException.class)
        .hasMessageContaining("could not start").hasMessageContaining("locked");
    assertThat(peek(channel)).containsExactlyElementsOf(ids(0, 3));

    first.stop(); // the locks are free: the next call starts the engine and delivers
    drain(s);
    s.stop();
    sink = null;
    assertThat(processed).containsExactlyElementsOf(ids(0, 3));
  }

  @Test
  void anEmptyChannelBacksOff() throws Exception {
    ZeroWalSink s = startSink(recording, Map.of());
    assertThat(s.process()).isEqualTo(Status.BACKOFF);
  }
}
