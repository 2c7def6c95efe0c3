/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.ForwardingSegmentOutput;
import io.zerowal.core.storage.ForwardingStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** While stores are slow, the server stops reading instead of buffering what clients send. */
class BackPressureTest {
  private static final int RECORD = 100_000;

  /** A data storage whose syncs wait for {@link #open} once {@link #hold} was called. */
  static final class GatedStorage extends ForwardingStorage {
    final AtomicBoolean held = new AtomicBoolean();
    final CountDownLatch gate = new CountDownLatch(1);

    GatedStorage() {
      super(new MemoryStorage("gated"));
    }

    @Override
    public SegmentOutput create(String name, long preallocateBytes) throws IOException {
      return gated(super.create(name, preallocateBytes));
    }

    @Override
    public SegmentOutput openForWrite(String name, long position) throws IOException {
      return gated(super.openForWrite(name, position));
    }

    private SegmentOutput gated(SegmentOutput out) {
      return new ForwardingSegmentOutput(out) {
        @Override
        public void sync() throws IOException {
          try {
            if (held.get() && !gate.await(30, TimeUnit.SECONDS)) {
              throw new IOException("gate never opened");
            }
          } catch (InterruptedException e) {
            throw new InterruptedIOException("interrupted at the gate");
          }
          super.sync();
        }
      };
    }
  }

  @Test
  void readingPausesWhileStoresLagAndResumesWhenTheyDrain() throws Exception {
    GatedStorage data = new GatedStorage();
    try (IngestFixture f = IngestFixture.start(IngestServer.builder().maxPendingBytes(RECORD),
        b -> b.dataStorage(id -> data));
        IngestClient client = f.client().ackTimeout(Duration.ofSeconds(30)).maxInFlight(32).build()) {
      client.send(List.of(ByteBuffer.allocate(10))).get(10, TimeUnit.SECONDS);
      data.held.set(true);
      List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        acks.add(client.send(List.of(ByteBuffer.allocate(RECORD))));
      }
      // 30 batches of 100 kB sent, 3 MB: the server holds the first ones and reads no further.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (f.server.pendingBytes() <= RECORD && System.nanoTime() < deadline) {
        Thread.sleep(10); // until the server took more than its bound
      }
      Thread.sleep(300); // time for it to read on, were it not paused
      long pendingWhileHeld = f.server.pendingBytes();
      System.out.println("pending while held: " + pendingWhileHeld + " bytes");
      assertThat(pendingWhileHeld).isGreaterThan(RECORD).isLessThan(10L * RECORD);
      assertThat(acks).noneMatch(CompletableFuture::isDone);
      data.gate.countDown();
      for (CompletableFuture<BatchAck> a : acks) {
        // A DUPLICATE ack is fine: on a slow machine the client's ack timeout may pass while the
        // gate is shut, and its resent batches are then answered from the stores under way.
        assertThat(a.get(20, TimeUnit.SECONDS).sequence()).isPositive();
      }
      assertThat(f.server.pendingBytes()).isZero();
      assertThat(f.server.batchesStored()).isEqualTo(31);
    }
  }
}
