/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Careless uses of the client from its own ack callbacks (which run on its I/O thread): closing
 * it, or sending more than {@code maxInFlight}. Neither may deadlock or throw Netty's internals at
 * the caller.
 */
class HostileCallbackTest {
  private static final String IO_THREAD = "zerowal-ingest-client";

  @Test
  void closeFromTheOnlyBatchsAckCallbackReturnsWithoutError() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder())) {
      IngestClient client = f.client().build();
      AtomicReference<String> thread = new AtomicReference<>();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicLong closeMillis = new AtomicLong(-1);
      CountDownLatch closed = new CountDownLatch(1);
      client.send(IngestFixture.records("only", 1)).thenRun(() -> {
        thread.set(Thread.currentThread().getName());
        long start = System.nanoTime();
        try {
          client.close();
        } catch (Throwable t) {
          thrown.set(t);
        } finally {
          closeMillis.set((System.nanoTime() - start) / 1_000_000);
          closed.countDown();
        }
      });
      assertThat(closed.await(10, TimeUnit.SECONDS)).as("close() from the callback returned")
          .isTrue();
      assertThat(thread.get()).startsWith(IO_THREAD);
      assertThat(thrown.get()).as("close() from the ack callback threw").isNull();
      assertThat(closeMillis.get()).as("close() on the I/O thread waited for that thread to stop")
          .isLessThan(2_000);
      assertThatThrownBy(() -> client.send(IngestFixture.records("after", 1)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertThat(f.awaitProcessed(1)).containsKey("only-r0");
    }
  }

  @Test
  void closeFromAnAckCallbackWithBatchesInFlightReturnsAndTheyAreStillAcknowledged()
      throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder())) {
      IngestClient client = f.client().deliveryTimeout(Duration.ofSeconds(20)).build();
      AtomicReference<String> thread = new AtomicReference<>();
      AtomicLong closeMillis = new AtomicLong(-1);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      CountDownLatch closed = new CountDownLatch(1);
      CompletableFuture<BatchAck> first = client.send(IngestFixture.records("first", 1));
      CompletableFuture<BatchAck> second = client.send(IngestFixture.records("second", 1));
      CompletableFuture<BatchAck> third = client.send(IngestFixture.records("third", 1));
      first.thenRun(() -> {
        thread.set(Thread.currentThread().getName());
        long start = System.nanoTime();
        try {
          client.close();
        } catch (Throwable t) {
          thrown.set(t);
        } finally {
          closeMillis.set((System.nanoTime() - start) / 1_000_000);
          closed.countDown();
        }
      });
      assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(thread.get()).startsWith(IO_THREAD);
      assertThat(thrown.get()).isNull();
      assertThat(closeMillis.get()).as("close() on the I/O thread must not wait for ACKs only"
          + " that thread can read").isLessThan(2_000);
      // The close still waits for them, elsewhere: the batches sent are delivered, not failed.
      assertThat(second.get(10, TimeUnit.SECONDS).sequence()).isEqualTo(2);
      assertThat(third.get(10, TimeUnit.SECONDS).sequence()).isEqualTo(3);
      assertThat(f.awaitProcessed(3)).containsKeys("first-r0", "second-r0", "third-r0");
    }
  }

  @Test
  void sendFromAnAckCallbackWithNoFreeSlotFailsAtOnceInsteadOfDeadlocking() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder())) {
      IngestClient client = f.client().maxInFlight(1).maxBlockTime(Duration.ofSeconds(20))
          .build();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicLong sendMillis = new AtomicLong(-1);
      CountDownLatch done = new CountDownLatch(1);
      AtomicReference<CompletableFuture<BatchAck>> second = new AtomicReference<>();
      client.send(IngestFixture.records("one", 1)).thenRun(() -> {
        long start = System.nanoTime();
        try {
          second.set(client.send(IngestFixture.records("two", 1))); // the slot just freed
          client.send(IngestFixture.records("three", 1)); // no slot: only this thread frees one
        } catch (Throwable t) {
          thrown.set(t);
        } finally {
          sendMillis.set((System.nanoTime() - start) / 1_000_000);
          done.countDown();
        }
      });
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(sendMillis.get()).as("send() on the I/O thread without a slot must not wait")
          .isLessThan(2_000);
      assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("I/O thread").hasMessageContaining("maxInFlight 1");
      assertThat(second.get().get(10, TimeUnit.SECONDS).sequence()).isEqualTo(2);
      client.close();
    }
  }

  @Test
  void hugeDurationsAreRefusedNamingTheOption() {
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    Duration centuries = Duration.ofDays(365L * 1000);
    for (Duration d : List.of(huge, centuries)) {
      assertThatThrownBy(() -> IngestServer.builder().frameTimeout(d))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frameTimeout")
          .hasMessageContaining("at most");
      assertThatThrownBy(() -> IngestServer.builder().idleTimeout(d))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
      assertThatThrownBy(() -> IngestServer.builder().stopTimeout(d))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stopTimeout");
      IngestClient.Builder c = IngestClient.builder(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 1));
      assertThatThrownBy(() -> c.ackTimeout(d))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ackTimeout");
      assertThatThrownBy(() -> c.deliveryTimeout(d))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryTimeout");
      assertThatThrownBy(() -> c.maxBlockTime(d))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBlockTime");
      assertThatThrownBy(() -> c.reconnectBackoff(Duration.ofMillis(1), d))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnectBackoff");
    }
  }

  @Test
  void closeWithAHugeWaitOnAnIdleClientReturns() {
    IngestClient client = IngestClient.builder(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 1)).build();
    client.close(Duration.ofSeconds(Long.MAX_VALUE));
    assertThatThrownBy(() -> client.send(List.of(ByteBuffer.allocate(1))))
        .isInstanceOf(IllegalStateException.class);
  }
}
