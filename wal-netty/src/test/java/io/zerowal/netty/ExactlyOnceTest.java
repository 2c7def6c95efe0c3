/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.receiver.MemoryStorages;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Batches are stored once per (producer, sequence), across retries and crashes. */
class ExactlyOnceTest {
  private static final long PRODUCER = 0x1234;

  @Test
  void clientBatchIsAckedAndProcessedOnce() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder());
        IngestClient client = f.client().build()) {
      BatchAck ack = client.send(IngestFixture.records("a", 3)).get(10, TimeUnit.SECONDS);
      assertThat(ack.sequence()).isEqualTo(1);
      assertThat(ack.duplicate()).isFalse();
      assertThat(ack.producerId()).isEqualTo(client.producerId());
      assertThat(f.awaitProcessed(3)).containsOnly(
          Map.entry("a-r0", 1), Map.entry("a-r1", 1), Map.entry("a-r2", 1));
    }
  }

  @Test
  void retriedBatchGetsDuplicateAckAndIsNotStoredAgain() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder());
        RawConnection c = new RawConnection(f.address())) {
      assertThat(c.handshake(PRODUCER, "").highestSequence()).isZero();
      byte[] batch = RawConnection.batch(PRODUCER, 1, IngestFixture.records("b", 2));
      c.write(batch);
      assertThat(c.read()).isEqualTo(new WireFormat.Ack(PRODUCER, 1, false));
      c.write(batch);
      assertThat(c.read()).isEqualTo(new WireFormat.Ack(PRODUCER, 1, true));
      assertThat(f.server.batchesStored()).isEqualTo(1);
      assertThat(f.server.duplicatesAnswered()).isEqualTo(1);
      f.engine.stop();
      assertThat(f.processedCounts()).containsOnly(Map.entry("b-r0", 1), Map.entry("b-r1", 1));
    }
  }

  @Test
  void sequenceGapIsRefusedAndNothingStored() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder());
        RawConnection c = new RawConnection(f.address())) {
      c.handshake(PRODUCER, "");
      c.write(RawConnection.batch(PRODUCER, 2, IngestFixture.records("gap", 1)));
      Object reply = c.read();
      assertThat(reply).isInstanceOf(WireFormat.ErrorFrame.class);
      WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) reply;
      assertThat(e.code()).isEqualTo(IngestError.SEQUENCE_GAP);
      assertThat(e.sequence()).isEqualTo(2);
      assertThat(e.message()).contains("batches 1 to 1 were not stored");
      assertThat(c.closedByServer()).isTrue();
      assertThat(f.server.batchesStored()).isZero();
    }
  }

  @Test
  void sequenceOlderThanTheWindowIsRefused() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder().maxInFlight(2));
        RawConnection c = new RawConnection(f.address())) {
      c.handshake(PRODUCER, "");
      for (long s = 1; s <= 4; s++) {
        c.write(RawConnection.batch(PRODUCER, s, IngestFixture.records("old" + s, 1)));
        assertThat(c.read()).isEqualTo(new WireFormat.Ack(PRODUCER, s, false));
      }
      c.write(RawConnection.batch(PRODUCER, 3, IngestFixture.records("old3", 1)));
      assertThat(c.read()).isEqualTo(new WireFormat.Ack(PRODUCER, 3, true));
      c.write(RawConnection.batch(PRODUCER, 2, IngestFixture.records("old2", 1)));
      WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) c.read();
      assertThat(e.code()).isEqualTo(IngestError.OLD_SEQUENCE);
      assertThat(e.message()).contains("stored up to 4 and remembers the last 2");
      assertThat(f.server.batchesStored()).isEqualTo(4);
    }
  }

  @Test
  void producerTableIsRebuiltFromTheLogAfterACrash() throws Exception {
    MemoryStorages disks = new MemoryStorages();
    ConcurrentMap<Long, List<String>> batches = new ConcurrentHashMap<>();
    MemoryStorages survived;
    IngestFixture first = IngestFixture.start(disks, IngestServer.builder(), batches);
    try (RawConnection c = new RawConnection(first.address())) {
      c.handshake(PRODUCER, "");
      for (long s = 1; s <= 3; s++) {
        c.write(RawConnection.batch(PRODUCER, s, IngestFixture.records("crash" + s, 2)));
        assertThat(c.read()).isEqualTo(new WireFormat.Ack(PRODUCER, s, false));
      }
      survived = disks.crashAll(42L);
    } finally {
      first.engine.stopNow();
    }
    try (IngestFixture second = IngestFixture.start(survived, IngestServer.builder(), batches);
        RawConnection c = new RawConnection(second.address())) {
      assertThat(c.handshake(PRODUCER, "").highestSequence()).isEqualTo(3);
      c.write(RawConnection.batch(PRODUCER, 3, IngestFixture.records("crash3", 2)));
      assertThat(c.read()).isEqualTo(new WireFormat.Ack(PRODUCER, 3, true));
      c.write(RawConnection.batch(PRODUCER, 4, IngestFixture.records("crash4", 2)));
      assertThat(c.read()).isEqualTo(new WireFormat.Ack(PRODUCER, 4, false));
      second.engine.stop();
      assertThat(second.processedCounts()).containsOnly(
          Map.entry("crash1-r0", 1), Map.entry("crash1-r1", 1),
          Map.entry("crash2-r0", 1), Map.entry("crash2-r1", 1),
          Map.entry("crash3-r0", 1), Map.entry("crash3-r1", 1),
          Map.entry("crash4-r0", 1), Map.entry("crash4-r1", 1));
    }
  }

  @Test
  void aNewClientWithAKnownProducerIdContinuesAfterItsHighestSequence() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder())) {
      try (IngestClient one = f.client().producerId(PRODUCER).build()) {
        one.send(IngestFixture.records("k1", 1)).get(10, TimeUnit.SECONDS);
      }
      try (IngestClient two = f.client().producerId(PRODUCER).build()) {
        BatchAck ack = two.send(IngestFixture.records("k2", 1)).get(10, TimeUnit.SECONDS);
        assertThat(ack.sequence()).isEqualTo(2);
      }
    }
  }

  @Test
  void aNewProducerBeyondMaxProducersIsRefusedAndKnownOnesGoOn() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder().maxProducers(1));
        RawConnection a = new RawConnection(f.address());
        RawConnection b = new RawConnection(f.address())) {
      a.handshake(1, "");
      a.write(RawConnection.batch(1, 1, IngestFixture.records("p1", 1)));
      assertThat(a.read()).isEqualTo(new WireFormat.Ack(1, 1, false));
      b.handshake(2, "");
      b.write(RawConnection.batch(2, 1, IngestFixture.records("p2", 1)));
      WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) b.read();
      assertThat(e.code()).isEqualTo(IngestError.TOO_MANY_PRODUCERS);
      assertThat(e.message()).contains("remembers 1 producers");
      assertThat(b.closedByServer()).isTrue();
      a.write(RawConnection.batch(1, 2, IngestFixture.records("p1b", 1)));
      assertThat(a.read()).isEqualTo(new WireFormat.Ack(1, 2, false));
      assertThat(f.server.batchesStored()).isEqualTo(2);
    }
  }
}
