/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.receiver.FailureListener;
import io.zerowal.receiver.MicroBatchEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine under an {@link IngestServer} stopped from a client's ack callback, and its log
 * directory deleted while a client sends: no deadlock, the client's error names the cause, and
 * what the server acknowledged is processed.
 */
class HostileEngineTest {
  @TempDir Path dir;

  private final Set<String> processed = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Throwable> engineFailure = new AtomicReference<>();

  private MicroBatchEngine engine(IngestServer server, Duration interval, Runnable inProcessor) {
    return MicroBatchEngine.builder()
        .dataStorage(LocalStorage.under(dir))
        .metadataStorage(LocalStorage.under(dir).apply("metadata"))
        .dataSegmentSize(64 << 10).maxBlockBytes(60 << 10)
        .durability(Durability.SYNC)
        .batchInterval(interval)
        .gracefulStopTimeout(Duration.ofSeconds(10))
        .failureListener(new FailureListener() {
          @Override
          public void onEngineFailure(Throwable failure) {
            engineFailure.compareAndSet(null, failure);
          }
        })
        .receiver("ingest", server)
        .processor(batch -> {
          batch.records().forEach(r -> processed.add(StandardCharsets.UTF_8.decode(r).toString()));
          inProcessor.run();
        })
        .build();
  }

  private static List<ByteBuffer> batch(String id, int records, int size) {
    List<ByteBuffer> list = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      String s = id + "-r" + i + "-" + "x".repeat(size);
      list.add(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }
    return list;
  }

  private static List<String> ids(String id, int records, int size) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      list.add(id + "-r" + i + "-" + "x".repeat(size));
    }
    return list;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void engineStopFromAClientAckCallbackCompletes() throws Exception {
    IngestServer server = IngestServer.builder().stopTimeout(Duration.ofSeconds(5)).build();
    MicroBatchEngine engine = engine(server, Duration.ofMillis(50), () -> { });
    engine.start();
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (IngestClient client = IngestClient.builder(server.localAddress())
        .deliveryTimeout(Duration.ofSeconds(10)).build()) {
      List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
      for (int b = 0; b < 5; b++) {
        acks.add(client.send(batch("b" + b, 10, 10)));
      }
      acks.get(0).thenRun(() -> {
        try {
          engine.stop();
        } catch (Throwable t) {
          thrown.set(t);
        } finally {
          stopped.countDown();
        }
      });
      assertThat(stopped.await(30, TimeUnit.SECONDS)).as("engine.stop() returned").isTrue();
      assertThat(thrown.get()).isNull();
      assertThat(engine.awaitTermination(Duration.ofSeconds(10))).isTrue();
      client.close(Duration.ZERO);
      for (int b = 0; b < 5; b++) {
        if (!acks.get(b).isCompletedExceptionally()) {
          assertThat(processed).as("batch %d was acknowledged", b)
              .containsAll(ids("b" + b, 10, 10));
        }
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void deletedLogDirectoryFailsTheEngineAndTheClientsErrorNamesTheCause() throws Exception {
    IngestServer server = IngestServer.builder().stopTimeout(Duration.ofSeconds(5)).build();
    MicroBatchEngine engine = engine(server, Duration.ofMillis(50), () -> { });
    engine.start();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Set<String> ackedAfter = ConcurrentHashMap.newKeySet();
    List<String> failures = new ArrayList<>();
    try (IngestClient client = IngestClient.builder(server.localAddress())
        .deliveryTimeout(Duration.ofSeconds(3)).build()) {
      for (int b = 0; b < 10; b++) {
        String id = "before" + b;
        client.send(batch(id, 10, 1000)).get(10, TimeUnit.SECONDS);
        acked.addAll(ids(id, 10, 1000));
      }
      deleteRecursively(dir.resolve("ingest"));
      List<CompletableFuture<BatchAck>> after = new ArrayList<>();
      for (int b = 0; b < 40; b++) {
        String id = "after" + b;
        try {
          after.add(client.send(batch(id, 10, 1000)).whenComplete((ack, e) -> {
            if (e == null) {
              acked.addAll(ids(id, 10, 1000));
              ackedAfter.addAll(ids(id, 10, 1000));
            } else {
              synchronized (failures) {
                failures.add(e.toString());
              }
            }
          }));
        } catch (IllegalStateException | IngestException e) {
          failures.add(e.toString());
          break;
        }
      }
      CompletableFuture.allOf(after.toArray(new CompletableFuture<?>[0]))
          .exceptionally(e -> null).get(30, TimeUnit.SECONDS);
    }
    try {
      engine.stop();
    } catch (RuntimeException e) {
      System.out.println("stop: " + e);
    }
    System.out.println("engine failure: " + engineFailure.get());
    System.out.println("client failures: " + failures.size() + " first "
        + (failures.isEmpty() ? "-" : failures.get(0)));
    // Restart on what is left: whatever was acknowledged and not processed must come back.
    IngestServer again = IngestServer.builder().build();
    MicroBatchEngine second = engine(again, Duration.ofMillis(50), () -> { });
    try {
      second.start();
      second.stop();
    } catch (RuntimeException e) {
      System.out.println("restart: " + e);
    }
    Set<String> lost = new java.util.HashSet<>(ackedAfter);
    lost.removeAll(processed);
    System.out.println("acked " + acked.size() + " (after the deletion " + ackedAfter.size()
        + ") processed " + processed.size() + " lost after the deletion " + lost.size());
    // What was acknowledged before the deletion went with the directory. What the server
    // acknowledged after it should have been processed, as nothing after it is on disk; the
    // core's log still acknowledges the appends between the deletion and its next lock check
    // (about one batch in two runs of three here, then never processed): a wal-core defect,
    // reported to the lead and left to wal-core, so only printed here.
    assertThat(engineFailure.get()).as("the engine failed").isNotNull();
    assertThat(failures).as("the client's errors").isNotEmpty();
    // The engine fails on whichever notices first: the writer (zerowal.lock was deleted) or the
    // batch reading a block whose file is gone; the client then carries the server's refusal
    // (that storing failure, or "the receiver is stopping" when the engine stopped first).
    assertThat(engineFailure.get().toString()).contains("deleted");
    // Each error carries the last cause the client saw: the server's refusal if one came before
    // the server stopped (under load it may not: the engine stops the server first), else the
    // last connection error. Before, the timeout errors said only "not acknowledged".
    assertThat(failures).as("the client's errors carry the server's refusal or the connection's")
        .allMatch(f -> f.contains("the server last refused a batch with UNAVAILABLE")
            || f.contains("the last connection attempt failed with")
            || f.contains("UNAVAILABLE"), "names a cause");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aStoreBlockedByBackPressureDoesNotDeadlockTheAcksOfTheStoresBeforeIt() throws Exception {
    IngestServer server = IngestServer.builder().ioThreads(1).build();
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(LocalStorage.under(dir))
        .metadataStorage(LocalStorage.under(dir).apply("metadata"))
        .durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(20))
        .maxUnprocessedBytes(1) // every store waits until the ones before it are processed
        .gracefulStopTimeout(Duration.ofSeconds(5))
        .receiver("ingest", server)
        .processor(batch -> batch.records().forEach(
            r -> processed.add(StandardCharsets.UTF_8.decode(r).toString())))
        .build();
    engine.start();
    try (IngestClient client = IngestClient.builder(server.localAddress())
        .deliveryTimeout(Duration.ofSeconds(20)).build()) {
      List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
      for (int b = 0; b < 20; b++) {
        acks.add(client.send(batch("bp" + b, 2, 100)));
      }
      CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(15, TimeUnit.SECONDS);
    } finally {
      engine.stop(); // drains: what was acknowledged is processed before it returns
    }
    for (int b = 0; b < 20; b++) {
      assertThat(processed).containsAll(ids("bp" + b, 2, 100));
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void stopWhileASlowProcessorHoldsTheEventLoopInABlockedStoreIsBounded() throws Exception {
    IngestServer server = IngestServer.builder().ioThreads(1)
        .stopTimeout(Duration.ofSeconds(2)).build();
    CountDownLatch blocking = new CountDownLatch(1);
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(LocalStorage.under(dir))
        .metadataStorage(LocalStorage.under(dir).apply("metadata"))
        .durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(50))
        .maxUnprocessedBytes(32 << 10)
        .gracefulStopTimeout(Duration.ofSeconds(2))
        .receiver("ingest", server)
        .processor(batch -> {
          long[] n = {0};
          batch.records().forEach(r -> {
            processed.add(StandardCharsets.UTF_8.decode(r).toString());
            n[0]++;
          });
          if (n[0] > 0) {
            blocking.countDown();
            Thread.sleep(1_000); // a slow sink: every batch of records takes a second
          }
        })
        .build();
    engine.start();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    IngestClient client = IngestClient.builder(server.localAddress())
        .deliveryTimeout(Duration.ofSeconds(30)).build();
    for (int b = 0; b < 30; b++) {
      String id = "slow" + b;
      client.send(batch(id, 10, 1000)).thenRun(() -> acked.addAll(ids(id, 10, 1000)));
    }
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200); // lets the stores reach the bound: a state, not an event, to wait for
    long start = System.nanoTime();
    try {
      engine.stop();
    } catch (RuntimeException e) {
      System.out.println("stop: " + e);
    }
    long stopMillis = (System.nanoTime() - start) / 1_000_000;
    client.close(Duration.ZERO);
    System.out.println("stop took " + stopMillis + " ms; acked " + acked.size() + " processed "
        + processed.size());
    assertThat(stopMillis).as("stop with a slow processor and a blocked store").isLessThan(10_000);
    // Restart: what was acknowledged and not processed is processed now.
    MicroBatchEngine again = engine(IngestServer.builder().build(), Duration.ofMillis(50),
        () -> { });
    again.start();
    again.stop();
    Set<String> lost = new java.util.HashSet<>(acked);
    lost.removeAll(processed);
    assertThat(lost).as("acknowledged, never processed").isEmpty();
  }

  private static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
