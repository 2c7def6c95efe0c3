/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.receiver.MemoryStorages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client retries through server restarts and settles every future when closed. */
class ClientRetryTest {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void clientReconnectsAfterAServerRestartAndEveryBatchIsStoredOnce() throws Exception {
    int port = freePort();
    MemoryStorages disks = new MemoryStorages();
    ConcurrentMap<Long, List<String>> batches = new ConcurrentHashMap<>();
    IngestFixture first = IngestFixture.start(disks, IngestServer.builder().port(port), batches);
    List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
    try (IngestClient client = IngestClient.builder(first.address())
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
        .deliveryTimeout(Duration.ofSeconds(30)).build()) {
      for (int b = 0; b < 50; b++) {
        acks.add(client.send(IngestFixture.records("restart-b" + b, 10)));
      }
      first.engine.stop(); // whatever was in flight is retried against the next server
      // Sends on while no server listens: it blocks once maxInFlight batches wait.
      CompletableFuture<List<CompletableFuture<BatchAck>>> more = CompletableFuture.supplyAsync(
          () -> {
            List<CompletableFuture<BatchAck>> later = new ArrayList<>();
            for (int b = 50; b < 100; b++) {
              try {
                later.add(client.send(IngestFixture.records("restart-b" + b, 10)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            }
            return later;
          });
      try (IngestFixture second = IngestFixture.start(disks, IngestServer.builder().port(port),
          batches)) {
        acks.addAll(more.get(30, TimeUnit.SECONDS));
        for (CompletableFuture<BatchAck> a : acks) {
          a.get(30, TimeUnit.SECONDS);
        }
        assertThat(client.retries()).isPositive();
        second.engine.stop();
        Map<String, Integer> counts = second.processedCounts();
        assertThat(counts).hasSize(1000).allSatisfy((k, v) -> assertThat(v).isOne());
      }
    }
    assertThat(acks).extracting(a -> a.join().sequence())
        .containsExactlyElementsOf(() -> java.util.stream.LongStream.rangeClosed(1, 100)
            .boxed().iterator());
  }

  @Test
  void closeWaitsForAcksThenFailsWhatIsLeft() throws Exception {
    InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
    IngestClient client = IngestClient.builder(nobody)
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    CompletableFuture<BatchAck> pending = client.send(IngestFixture.records("nobody", 1));
    long start = System.nanoTime();
    client.close(Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(
        Duration.ofMillis(300));
    assertThat(pending).isCompletedExceptionally();
    assertThatThrownBy(pending::get).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IngestException.class)
        .hasMessageContaining("closed before the server acknowledged");
    assertThatThrownBy(() -> client.send(IngestFixture.records("late", 1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void batchNotAckedWithinTheDeliveryTimeoutFailsTheClient() throws Exception {
    InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
    try (IngestClient client = IngestClient.builder(nobody).ackTimeout(Duration.ofMillis(40))
        .deliveryTimeout(Duration.ofMillis(200))
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build()) {
      CompletableFuture<BatchAck> pending = client.send(IngestFixture.records("late", 1));
      assertThat(pending).failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withMessageContaining("not acknowledged within deliveryTimeout");
      assertThatThrownBy(() -> client.send(IngestFixture.records("after", 1)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
    }
  }

  @Test
  void sendBlocksWhileMaxInFlightBatchesAreUnacked() throws Exception {
    InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
    try (IngestClient client = IngestClient.builder(nobody).maxInFlight(2)
        .maxBlockTime(Duration.ofMillis(100)).build()) {
      client.send(IngestFixture.records("w", 1));
      client.send(IngestFixture.records("w", 1));
      assertThatThrownBy(() -> client.send(IngestFixture.records("w", 1)))
          .isInstanceOf(IngestException.class).hasMessageContaining("2 batches stayed");
      client.close(Duration.ZERO);
    }
  }

  @Test
  void clientMaxInFlightOverTheServersFailsClearly() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder().maxInFlight(4));
        IngestClient client = f.client().maxInFlight(8).build()) {
      assertThat(client.send(IngestFixture.records("x", 1))).failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withMessageContaining("lower it to at most 4");
    }
  }
}
