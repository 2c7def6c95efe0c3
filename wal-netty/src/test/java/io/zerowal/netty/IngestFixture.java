/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.zerowal.core.Durability;
import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * An engine on in-memory disks with one {@link IngestServer} ({@code ingest}) and a processor that
 * keeps each batch's records by batch time, so that a batch re-run after a crash replaces its
 * own entry instead of counting twice.
 */
final class IngestFixture implements AutoCloseable {
  final MemoryStorages disks;
  final IngestServer server;
  final MicroBatchEngine engine;
  final ConcurrentMap<Long, List<String>> batches;

  private IngestFixture(MemoryStorages disks, IngestServer server,
      ConcurrentMap<Long, List<String>> batches, Durability durability,
      UnaryOperator<MicroBatchEngine.Builder> options) {
    this.disks = disks;
    this.server = server;
    this.batches = batches;
    this.engine = options.apply(disks.configure(MicroBatchEngine.builder()))
        .durability(durability)
        .batchInterval(Duration.ofMillis(50))
        .gracefulStopTimeout(Duration.ofSeconds(20))
        .receiver("ingest", server)
        .processor(batch -> {
          List<String> records = new ArrayList<>();
          batch.records().forEach(r -> records.add(StandardCharsets.UTF_8.decode(r).toString()));
          batches.put(batch.batchTime(), records);
        })
        .build();
    engine.start();
  }

  static IngestFixture start(IngestServer.Builder server) {
    return start(new MemoryStorages(), server, new ConcurrentHashMap<>());
  }

  static IngestFixture start(MemoryStorages disks, IngestServer.Builder server,
      ConcurrentMap<Long, List<String>> batches) {
    return new IngestFixture(disks, server.build(), batches, Durability.SYNC, b -> b);
  }

  /** As {@link #start(IngestServer.Builder)}, with more engine options set by {@code options}. */
  static IngestFixture start(IngestServer.Builder server,
      UnaryOperator<MicroBatchEngine.Builder> options) {
    return new IngestFixture(new MemoryStorages(), server.build(), new ConcurrentHashMap<>(),
        Durability.SYNC, options);
  }

  InetSocketAddress address() {
    return server.localAddress();
  }

  IngestClient.Builder client() {
    return IngestClient.builder(address()).ackTimeout(Duration.ofSeconds(5))
        .deliveryTimeout(Duration.ofSeconds(60));
  }

  /** How many times each record was processed. */
  Map<String, Integer> processedCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (List<String> records : batches.values()) {
      for (String r : records) {
        counts.merge(r, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Waits (bounded) until {@code expected} records were processed; returns the counts. */
  Map<String, Integer> awaitProcessed(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, Integer> counts = processedCounts();
    while (counts.values().stream().mapToInt(Integer::intValue).sum() < expected
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling the processor's output, bounded: no latch can see a batch time
      counts = processedCounts();
    }
    return counts;
  }

  static List<ByteBuffer> records(String prefix, int count) {
    List<ByteBuffer> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(ByteBuffer.wrap((prefix + "-r" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return list;
  }

  @Override
  public void close() {
    engine.stop();
  }
}
