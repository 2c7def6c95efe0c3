/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrackerEventTest {
  private static final List<RecordHandle> handles = new ArrayList<>();

  @BeforeAll
  static void makeHandles() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new MemoryStorage()).segmentSize(4096).maxRecordSize(2048).open()) {
      for (int i = 0; i < 50; i++) {
        handles.add(log.append(new byte[100 + i]).get());
      }
    }
  }

  private static BlockInfo block(String receiver, int i) {
    return new BlockInfo(receiver, i + 1, 100L + i, handles.get(i));
  }

  private static List<TrackerEvent> samples() {
    TreeMap<Long, List<BlockInfo>> uncompleted = new TreeMap<>();
    uncompleted.put(1_000L, List.of(block("a", 3), block("b", 4)));
    uncompleted.put(2_000L, List.of());
    return List.of(
        new TrackerEvent.BlockAdded(block("kafka-orders", 0)),
        new TrackerEvent.BlockAdded(block("ünïcödé", 1)),
        new TrackerEvent.BatchAllocated(1_700_000_000_000L, List.of(block("a", 1), block("b", 2))),
        new TrackerEvent.BatchAllocated(5L, List.of()),
        new TrackerEvent.BatchCompleted(1_700_000_000_000L),
        new TrackerEvent.Snapshot(2_000L, List.of(block("a", 5)), uncompleted),
        new TrackerEvent.Snapshot(TrackerEvent.NO_BATCH, List.of(), new TreeMap<>()),
        new TrackerEvent.BlockAdded(block("kafka-orders", 6), ByteBuffer.wrap(new byte[] {1, 2, 3})),
        new TrackerEvent.BlockAdded(block("a", 7), ByteBuffer.allocate(0)),
        new TrackerEvent.Snapshot(2_000L, List.of(block("a", 8)), uncompleted,
            java.util.Map.of("a", ByteBuffer.wrap(new byte[] {9}), "ünï", ByteBuffer.allocate(0))));
  }

  @Test
  void everyEventDecodesToWhatWasEncoded() {
    for (TrackerEvent e : samples()) {
      assertThat(TrackerEvent.decode(TrackerEvent.encode(e), "test")).isEqualTo(e);
    }
  }

  @Test
  void eventsWithoutMetadataKeepTheirOldTypesAndEventsWithItTakeNewOnes() {
    assertThat(TrackerEvent.encode(new TrackerEvent.BlockAdded(block("a", 0))).get(1))
        .isEqualTo((byte) 1);
    assertThat(TrackerEvent.encode(new TrackerEvent.BlockAdded(block("a", 0),
        ByteBuffer.wrap(new byte[] {7}))).get(1)).isEqualTo((byte) 5);
    assertThat(TrackerEvent.encode(new TrackerEvent.Snapshot(1L, List.of(), new TreeMap<>()))
        .get(1)).isEqualTo((byte) 4);
    assertThat(TrackerEvent.encode(new TrackerEvent.Snapshot(1L, List.of(), new TreeMap<>(),
        java.util.Map.of("a", ByteBuffer.wrap(new byte[] {7})))).get(1)).isEqualTo((byte) 6);
  }

  @Test
  void encodingStartsWithVersionAndTypeAndIsCompact() {
    ByteBuffer b = TrackerEvent.encode(new TrackerEvent.BatchCompleted(7));
    assertThat(b.remaining()).isEqualTo(10);
    assertThat(b.get(0)).isEqualTo((byte) 1);
    assertThat(b.get(1)).isEqualTo((byte) 3);
    assertThat(b.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(2)).isEqualTo(7);
    assertThat(TrackerEvent.encode(new TrackerEvent.BlockAdded(block("a", 0))).remaining())
        .isEqualTo(2 + 2 + 1 + 4 + 8 + RecordHandle.ENCODED_SIZE);
  }

  @Test
  void everyTruncationOfAnEventIsRejected() {
    for (TrackerEvent e : samples()) {
      ByteBuffer full = TrackerEvent.encode(e);
      for (int n = 0; n < full.remaining(); n++) {
        ByteBuffer cut = full.duplicate().limit(n);
        assertThatThrownBy(() -> TrackerEvent.decode(cut, "metadata record 9"))
            .as("%s cut to %d bytes", e, n)
            .isInstanceOf(CorruptMetadataException.class)
            .hasMessageStartingWith("metadata record 9 ");
      }
    }
  }

  @Test
  void unknownVersionTypeAndTrailingBytesAreRejectedWithClearMessages() {
    ByteBuffer good = TrackerEvent.encode(new TrackerEvent.BatchCompleted(7));
    ByteBuffer version = copy(good);
    version.put(0, (byte) 9);
    assertThatThrownBy(() -> TrackerEvent.decode(version, "r"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("unknown event version 9");
    ByteBuffer type = copy(good);
    type.put(1, (byte) 42);
    assertThatThrownBy(() -> TrackerEvent.decode(type, "r"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("unknown event type 42");
    ByteBuffer longer = ByteBuffer.allocate(good.remaining() + 1).put(good.duplicate()).rewind();
    assertThatThrownBy(() -> TrackerEvent.decode(longer, "r"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("1 bytes after its event");
  }

  @Test
  void aDamagedHandleOrAHugeCountIsRejected() {
    ByteBuffer added = TrackerEvent.encode(new TrackerEvent.BlockAdded(block("a", 0)));
    ByteBuffer flipped = copy(added);
    flipped.put(flipped.limit() - 10, (byte) (flipped.get(flipped.limit() - 10) ^ 1));
    assertThatThrownBy(() -> TrackerEvent.decode(flipped, "r"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("bad block handle");
    ByteBuffer allocated = TrackerEvent.encode(new TrackerEvent.BatchAllocated(1, List.of()));
    ByteBuffer huge = copy(allocated).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    huge.putInt(10, Integer.MAX_VALUE);
    assertThatThrownBy(() -> TrackerEvent.decode(huge, "r"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("claims 2147483647");
  }

  @Property(tries = 2000)
  void randomBytesNeverDecodeToAnythingButAnEventOrACorruptMetadataException(
      @ForAll @Size(max = 200) byte[] garbage) {
    try {
      TrackerEvent e = TrackerEvent.decode(ByteBuffer.wrap(garbage), "r");
      assertThat(TrackerEvent.encode(e)).isEqualTo(ByteBuffer.wrap(garbage));
    } catch (CorruptMetadataException expected) {
      assertThat(expected.getMessage()).startsWith("r ");
    }
  }

  @Test
  void replayRejectsEventsThatContradictTheState() {
    TrackerState state = new TrackerState();
    state.apply(new TrackerEvent.BlockAdded(block("a", 0)), "record 0");
    assertThatThrownBy(() -> state.apply(new TrackerEvent.BlockAdded(block("a", 0)), "record 1"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("a second time");
    assertThatThrownBy(() -> state.apply(
        new TrackerEvent.BatchAllocated(10, List.of(block("a", 1))), "record 1"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("not an unallocated block");
    assertThatThrownBy(() -> state.apply(new TrackerEvent.BatchCompleted(10), "record 1"))
        .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("not an allocated");
  }

  @Test
  void trackerRebuildsItsStateFromTheLogAloneAcrossCompaction() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    TrackerState expected;
    try (WriteAheadLog log = WriteAheadLog.builder(storage).segmentSize(4096).maxRecordSize(2048).open()) {
      BlockTracker tracker = new BlockTracker(log, new TrackerState(), 2048);
      for (int batch = 1; batch <= 40; batch++) {
        tracker.addBlock(block("a", batch), null).get();
        tracker.addBlock(block("b", batch), null).get();
        tracker.allocate(batch * 100L, Long.MAX_VALUE, Long.MAX_VALUE);
        if (batch % 3 != 0) {
          long snapshot = tracker.complete(batch * 100L);
          if (snapshot >= 0) {
            log.truncateBefore(snapshot); // as the LogCleaner does
          }
        }
      }
      tracker.addBlock(block("a", 49), null).get();
      assertThat(log.firstSequence()).as("compaction deleted old segments").isGreaterThan(0);
      expected = RecoveryReader.replay(log);
      assertThat(expected.uncompleted().keySet()).hasSize(13).allMatch(t -> t % 300 == 0);
      assertThat(expected.unallocated()).containsExactly(block("a", 49));
    }
    try (WriteAheadLog log = WriteAheadLog.builder(storage).segmentSize(4096).maxRecordSize(2048).open()) {
      TrackerState replayed = RecoveryReader.replay(log);
      assertThat(replayed.snapshot()).isEqualTo(expected.snapshot());
      assertThat(replayed.lastBatchTime()).isEqualTo(4000L);
    }
  }

  private static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocate(b.remaining());
    c.put(b.duplicate());
    return c.flip();
  }
}
