/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.receiver.BatchProcessor;
import io.zerowal.receiver.MemoryStorages;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flume.Context;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Sink.Status;
import org.apache.flume.Transaction;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sink's logs lose power in the middle of its stores (every log as {@link MemoryStorages#crashAll}
 * leaves it: synced bytes kept, the rest cut at seeded points) while the channel, in-process,
 * survives: a new sink on what the disks kept, with the same channel, processes every event, none
 * lost. The transactions cut short roll back to the channel; the committed ones are durable.
 */
class ZeroWalSinkPowerLossTest {
  private static final int EVENTS = 20_000;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyEventSurvivesAPowerLossOfTheLogsDuringStores() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ZeroWalSinkPowerLossTest seed " + seed);
    Random random = new Random(seed);
    List<String> processed = new CopyOnWriteArrayList<>();
    // An output idempotent by batch time: a batch that re-runs replaces its earlier output.
    Map<Long, List<String>> byBatchTime = new ConcurrentHashMap<>();
    BatchProcessor recording = batch -> {
      List<String> events = batch.records().map(r -> new String(EventFormat.decode(r).getBody(),
          StandardCharsets.UTF_8)).toList();
      processed.addAll(events);
      byBatchTime.put(batch.batchTime(), events);
    };
    MemoryChannel channel = new MemoryChannel();
    channel.setName("c1");
    Configurables.configure(channel, new Context(Map.of("capacity", "100000",
        "transactionCapacity", "1000", "keep-alive", "0")));
    channel.start();
    Map<String, String> keys = Map.of("directory", "in-memory", "batchSize", "250",
        "batchIntervalMs", "5", "maxUnprocessedBytes", "20000", "restartBackoffMs", "0", "durability", "SYNC");

    MemoryStorages disks = new MemoryStorages();
    ZeroWalSink before = sink(recording, disks, channel, keys);
    AtomicBoolean stop = new AtomicBoolean();
    Thread runner = new Thread(() -> {
      while (!stop.get()) {
        try {
          before.process();
        } catch (EventDeliveryException e) {
          // rolled back: expected once the disks are gone
        }
      }
    }, "sink-runner");
    runner.start();

    // The source: transactions of 100; a put commits once the channel holds it.
    for (int i = 0; i < EVENTS; i += 100) {
      Transaction tx = channel.getTransaction();
      tx.begin();
      for (int j = i; j < i + 100; j++) {
        channel.put(EventBuilder.withBody("e" + j, StandardCharsets.UTF_8));
      }
      tx.commit();
      tx.close();
    }
    // Power loss once the sink has stored and processed some: it is storing the next ones.
    int crashAfter = 1_000 + random.nextInt(EVENTS - 6_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (processed.size() < crashAfter) {
      assertThat(System.nanoTime()).as("%d events processed in 30 s", crashAfter)
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
    MemoryStorages survived = disks.crashAll(seed);
    stop.set(true);
    runner.join(10_000);
    assertThat(runner.isAlive()).isFalse();
    before.stop();
    int processedByTheFirstSink = processed.size();

    ZeroWalSink after = sink(recording, survived, channel, keys);
    for (int calls = 0; after.process() == Status.READY; calls++) {
      assertThat(calls).isLessThan(10_000);
    }
    after.stop();
    channel.stop();

    Set<String> distinct = new HashSet<>(processed);
    long lost = 0;
    for (int j = 0; j < EVENTS; j++) {
      if (!distinct.contains("e" + j)) {
        lost++;
      }
    }
    long output = byBatchTime.values().stream().mapToLong(List::size).sum();
    System.out.printf("ZeroWalSinkPowerLossTest: produced %d, crash after %d processed, processed"
        + " by the first sink %d, processed %d, duplicates %d (re-run batches and re-delivered"
        + " transactions), after de-duplication by batch time %d, lost %d%n", EVENTS, crashAfter,
        processedByTheFirstSink, processed.size(), processed.size() - distinct.size(),
        output - distinct.size(), lost);
    assertThat(lost).as("events lost (seed %d)", seed).isZero();
    assertThat(distinct).hasSize(EVENTS);
  }

  private static ZeroWalSink sink(BatchProcessor processor, MemoryStorages disks,
      MemoryChannel channel, Map<String, String> keys) {
    ZeroWalSink s = new ZeroWalSink(processor, disks::configure);
    s.setName("k1");
    s.setChannel(channel);
    s.configure(new Context(keys));
    s.start();
    return s;
  }
}
