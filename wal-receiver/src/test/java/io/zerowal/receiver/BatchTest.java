/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    stored.put(b, BlockFormat.encode(buffers, (int) BlockFormat.encodedSize(records.length, bytes)));
    return b;
  }

  private Batch batch(List<BlockInfo> blocks, boolean recovered) {
    return new Batch(42, blocks, recovered, b -> {
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
}
