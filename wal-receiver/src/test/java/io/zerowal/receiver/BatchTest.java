/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BatchTest {
  private final List<BlockInfo> handles = Blocks.of("r1", 2);
  private final Map<BlockInfo, ByteBuffer> stored = new HashMap<>();
  private final List<BlockInfo> read = new ArrayList<>();

  private BlockInfo block(int i, String... records) {
    List<ByteBuffer> buffers = new ArrayList<>();
    long bytes = 0;
    for (String r : records) {
      buffers.add(ByteBuffer.wrap(r.getBytes(StandardCharsets.UTF_8)));
      bytes += r.length();
    }
    BlockInfo b = new BlockInfo("r1", records.length, bytes, handles.get(i).handle());
    stored.put(b, BlockFormat.encode(buffers,
        ByteBuffer.allocate((int) BlockFormat.encodedSize(records.length, bytes))));
    return b;
  }

  private Batch batch(List<BlockInfo> blocks, boolean recovered) {
    return new Batch(42, blocks, recovered, (b, into) -> {
      read.add(b);
      return stored.get(b);
    });
  }

  @Test
  void countsAndBytesAreTheSumsOfItsBlocks() {
    Batch batch = batch(List.of(block(0, "a", "bc"), block(1, "def")), false);
    assertThat(batch.batchTime()).isEqualTo(42);
    assertThat(batch.recordCount()).isEqualTo(3);
    assertThat(batch.bytes()).isEqualTo(6);
    assertThat(batch.isRecovered()).isFalse();
    assertThat(batch).hasToString("Batch{time=42, blocks=2, records=3}");
    assertThat(read).as("nothing read for counting").isEmpty();
  }

  @Test
  void recordsStreamBlockByBlockInAllocationOrder() {
    BlockInfo first = block(1, "x", "y");
    BlockInfo second = block(0, "z");
    Batch batch = batch(List.of(first, second), true);
    assertThat(batch.records().map(ManualReceiver::text)).containsExactly("x", "y", "z");
    assertThat(read).containsExactly(first, second);
    assertThat(batch).hasToString("Batch{time=42, blocks=2, records=3, recovered}");
  }

  @Test
  void theBlocksAreACopy() {
    List<BlockInfo> blocks = new ArrayList<>(List.of(block(0, "a")));
    Batch batch = batch(blocks, false);
    blocks.clear();
    assertThat(batch.blocks()).hasSize(1);
  }

  @Test
  void visitHandsEveryRecordWithItsBlockInOrderAsReadOnlyViews() {
    BlockInfo first = block(1, "x", "y");
    BlockInfo second = block(0, "z");
    List<String> seen = new ArrayList<>();
    batch(List.of(first, second), false).visit((block, record) -> {
      assertThat(record.isReadOnly()).isTrue();
      assertThat(record.position()).isZero();
      seen.add(block.blockId() + ":" + ManualReceiver.text(record));
    });
    assertThat(seen).containsExactly(first.blockId() + ":x", first.blockId() + ":y",
        second.blockId() + ":z");
    assertThat(read).containsExactly(first, second);
  }

  @Test
  void aBlockThatDoesNotDecodeIsRejectedBeforeAnyOfItsRecordsIsVisited() {
    BlockInfo good = block(0, "a");
    BlockInfo bad = block(1, "b", "c");
    ByteBuffer bytes = stored.get(bad);
    bytes.put(bytes.limit() - 2, (byte) 100); // the last record's length now overruns the block
    List<String> seen = new ArrayList<>();
    Batch batch = batch(List.of(good, bad), false);
    assertThatThrownBy(() -> batch.visit((block, record) -> seen.add(ManualReceiver.text(record))))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("block " + bad.blockId() + " of receiver r1");
    assertThat(seen).containsExactly("a");
    assertThatThrownBy(() -> batch.visit(null)).isInstanceOf(NullPointerException.class);
  }

  /** A batch whose reader fills the buffer it is given, as the data logs' read does. */
  private Batch intoBuffer(List<BlockInfo> blocks, AtomicReference<ByteBuffer> kept,
      List<ByteBuffer> buffersSeen) {
    return new Batch(42, blocks, false, (b, into) -> {
      buffersSeen.add(into);
      ByteBuffer block = stored.get(b).duplicate();
      ByteBuffer target = into.duplicate().clear();
      target.put(block);
      return target.flip();
    }, kept);
  }

  @Test
  void visitReadsIntoOneDirectBufferKeptFromBatchToBatch() {
    AtomicReference<ByteBuffer> kept = new AtomicReference<>();
    List<ByteBuffer> seen = new ArrayList<>();
    List<BlockInfo> blocks = List.of(block(0, "a", "bc"), block(1, "def"));
    List<String> records = new ArrayList<>();

    intoBuffer(blocks, kept, seen).visit((b, r) -> records.add(ManualReceiver.text(r)));
    intoBuffer(blocks, kept, seen).visit((b, r) -> records.add(ManualReceiver.text(r)));

    assertThat(records).containsExactly("a", "bc", "def", "a", "bc", "def");
    assertThat(seen).hasSize(4).allSatisfy(b -> assertThat(b).isSameAs(seen.get(0)));
    assertThat(seen.get(0).isDirect()).isTrue();
    assertThat(kept.get()).isSameAs(seen.get(0));
  }

  @Test
  void aVisitorThatVisitsAgainGetsABufferOfItsOwnAndTheOuterRecordsStayIntact() {
    AtomicReference<ByteBuffer> kept = new AtomicReference<>();
    List<ByteBuffer> seen = new ArrayList<>();
    Batch batch = intoBuffer(List.of(block(0, "outer-1", "outer-2"), block(1, "inner")), kept,
        seen);
    List<String> outer = new ArrayList<>();
    List<String> inner = new ArrayList<>();

    batch.visit((b, r) -> {
      String before = ManualReceiver.text(r);
      if (outer.isEmpty()) {
        batch.visit((b2, r2) -> inner.add(ManualReceiver.text(r2)));
      }
      assertThat(ManualReceiver.text(r)).as("the outer record after the inner visit")
          .isEqualTo(before);
      outer.add(before);
    });

    assertThat(outer).containsExactly("outer-1", "outer-2", "inner");
    assertThat(inner).containsExactly("outer-1", "outer-2", "inner");
    assertThat(seen.get(0)).isNotSameAs(seen.get(1)); // the outer visit's, then the inner's
  }

  @Test
  void aVisitorThatThrowsStillLeavesTheBufferForTheNextBatch() {
    AtomicReference<ByteBuffer> kept = new AtomicReference<>();
    List<ByteBuffer> seen = new ArrayList<>();
    Batch batch = intoBuffer(List.of(block(0, "a")), kept, seen);

    assertThatThrownBy(() -> batch.visit((b, r) -> {
      throw new IllegalStateException("processor failed");
    })).isInstanceOf(IllegalStateException.class).hasMessage("processor failed");

    assertThat(kept.get()).isSameAs(seen.get(0));
  }
}
