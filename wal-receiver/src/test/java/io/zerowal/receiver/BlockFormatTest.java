/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockFormatTest {
  private final BlockInfo two = new BlockInfo("r1", 2, 3, Blocks.of("r1", 1).get(0).handle());

  private static ByteBuffer text(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void aBlockIsVersionCountThenLengthPrefixedRecordsLittleEndian() {
    ByteBuffer block = BlockFormat.encode(List.of(text("ab"), text("c")), ByteBuffer.allocate(16));
    assertThat(bytes(block)).containsExactly(
        1, 2, 0, 0, 0, // version 1, count 2
        2, 0, 0, 0, 'a', 'b',
        1, 0, 0, 0, 'c');
    assertThat(BlockFormat.encodedSize(2, 3)).isEqualTo(16);
  }

  @Test
  void encodingDoesNotMoveTheRecordsPositions() {
    ByteBuffer record = text("abc");
    BlockFormat.encode(List.of(record), ByteBuffer.allocate(12));
    assertThat(record.position()).isZero();
  }

  @Test
  void decodeReturnsReadOnlyViewsOfEachRecord() {
    ByteBuffer[] records = BlockFormat.decode(
        BlockFormat.encode(List.of(text("ab"), text("c")), ByteBuffer.allocate(16)), two);
    assertThat(Arrays.stream(records).map(ManualReceiver::text)).containsExactly("ab", "c");
    assertThat(records[0].isReadOnly()).isTrue();
  }

  @Test
  void theEncoderGrowsUpToItsBoundAndWritesTheSameBytesAsEncode() {
    BlockFormat.Encoder e = new BlockFormat.Encoder(ByteBuffer.allocate(8), 1000);
    e.add(text("ab"));
    e.add(text("c".repeat(100)));
    assertThat(e.count()).isEqualTo(2);
    assertThat(e.size()).isEqualTo(BlockFormat.encodedSize(2, 102));
    assertThat(e.fits(1000 - e.size() - 4)).isTrue();
    assertThat(e.fits(1000 - e.size() - 3)).isFalse();
    assertThat(bytes(e.finish())).containsExactly(
        bytes(BlockFormat.encode(List.of(text("ab"), text("c".repeat(100))),
            ByteBuffer.allocate(115))));
  }

  @Test
  void decodeRejectsBytesThatAreNotTheBlockTheMetadataDescribes() {
    byte[] good =
        bytes(BlockFormat.encode(List.of(text("ab"), text("c")), ByteBuffer.allocate(16)));
    byte[] version = good.clone();
    version[0] = 2;
    assertThatThrownBy(() -> BlockFormat.decode(ByteBuffer.wrap(version), two))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("block 0 of receiver r1 has unknown block format version 2");
    byte[] length = good.clone();
    length[11] = 9;
    assertThatThrownBy(() -> BlockFormat.decode(ByteBuffer.wrap(length), two))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("has record 1 of length 9 with only 1 bytes left");
    BlockInfo three = new BlockInfo("r1", 3, 3, two.handle());
    assertThatThrownBy(() -> BlockFormat.decode(ByteBuffer.wrap(good), three))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("holds 2 records where its BlockAdded event says 3");
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> BlockFormat.decode(ByteBuffer.wrap(longer), two))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("has 1 bytes after its last record");
    assertThatThrownBy(() -> BlockFormat.decode(ByteBuffer.wrap(new byte[3]), two))
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageContaining("shorter than a block header");
  }
}
