/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link RecordHandle}: a value type whose bytes survive a round trip and reject damage. */
class RecordHandleTest {

  @Provide
  Arbitrary<RecordHandle> handles() {
    Arbitrary<Long> segment = Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
    Arbitrary<Long> offset = Arbitraries.longs().between(SegmentHeader.SIZE, Long.MAX_VALUE);
    Arbitrary<Integer> length = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<Long> distance = Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
    return Combinators.combine(segment, offset, length, distance)
        .as((s, o, l, d) -> new RecordHandle(s, o, l, s + d, 0));
  }

  @Property(tries = 500)
  void toBytesThenFromBytesGivesAnEqualHandle(@ForAll("handles") RecordHandle h) {
    byte[] encoded = h.toBytes();

    assertThat(encoded).hasSize(RecordHandle.ENCODED_SIZE);
    RecordHandle decoded = RecordHandle.fromBytes(encoded);
    assertThat(decoded).isEqualTo(h).hasSameHashCodeAs(h);
    assertThat(decoded.segment()).isEqualTo(h.segment());
    assertThat(decoded.offset()).isEqualTo(h.offset());
    assertThat(decoded.length()).isEqualTo(h.length());
    assertThat(decoded.sequence()).isEqualTo(h.sequence());
  }

  @Test
  void handlesTheLogProducesRoundTripAndStillRead() throws Exception {
    MemoryStorage memory = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(memory).segmentSize(4096).maxRecordSize(1000)
        .open()) {
      List<RecordHandle> handles = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        handles.add(await(log.append(TestLogs.payload(i, i * 7 % 300))));
      }
      for (int i = 0; i < handles.size(); i++) {
        RecordHandle decoded = RecordHandle.fromBytes(handles.get(i).toBytes());
        assertThat(decoded).isEqualTo(handles.get(i));
        assertThat(TestLogs.bytes(log.read(decoded))).isEqualTo(TestLogs.payload(i, i * 7 % 300));
      }
    }
  }

  @Property(tries = 264)
  void everyFlippedBitIsRejected(@ForAll("handles") RecordHandle h,
      @ForAll @IntRange(min = 0, max = RecordHandle.ENCODED_SIZE * 8 - 1) int bit) {
    byte[] damaged = h.toBytes();
    damaged[bit / 8] ^= (byte) (1 << (bit % 8));

    if (bit < 8) {
      assertThatThrownBy(() -> RecordHandle.fromBytes(damaged))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    } else {
      assertThatThrownBy(() -> RecordHandle.fromBytes(damaged))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checksum mismatch");
    }
  }

  @Test
  void eachSingleBitFlipOfOneHandleIsRejected() {
    byte[] good = new RecordHandle(4096, 12345, 678, 4100, 0).toBytes();
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] damaged = good.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      int at = bit;
      assertThatThrownBy(() -> RecordHandle.fromBytes(damaged)).as("bit %d", at)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void nullBytesAreRejected() {
    assertThatThrownBy(() -> RecordHandle.fromBytes(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
  }

  @Property(tries = 100)
  void bytesOfTheWrongLengthAreRejected(@ForAll @Size(max = 100) byte[] bytes) {
    if (bytes.length == RecordHandle.ENCODED_SIZE) {
      return;
    }
    assertThatThrownBy(() -> RecordHandle.fromBytes(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(RecordHandle.ENCODED_SIZE))
        .hasMessageContaining("got " + bytes.length);
  }

  @Test
  void anUnknownVersionIsRejectedNamingIt() {
    byte[] bytes = new RecordHandle(0, 40, 1, 0, 0).toBytes();
    bytes[0] = 3;

    assertThatThrownBy(() -> RecordHandle.fromBytes(bytes))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 3");
  }

  @Test
  void impossibleFieldsWithAValidChecksumAreRejected() {
    List<RecordHandle> impossible = List.of(
        new RecordHandle(-1, 40, 1, 5, 0),
        new RecordHandle(0, SegmentHeader.SIZE - 1, 1, 5, 0),
        new RecordHandle(0, 40, -1, 5, 0),
        new RecordHandle(10, 40, 1, 9, 0));
    for (RecordHandle h : impossible) {
      assertThatThrownBy(() -> RecordHandle.fromBytes(h.toBytes())).as("%s", h)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impossible");
    }
  }

  @Test
  void equalsComparesEveryField() {
    RecordHandle h = new RecordHandle(100, 200, 300, 400, 0);

    assertThat(h).isEqualTo(new RecordHandle(100, 200, 300, 400, 0))
        .hasSameHashCodeAs(new RecordHandle(100, 200, 300, 400, 0))
        .isNotEqualTo(new RecordHandle(101, 200, 300, 400, 0))
        .isNotEqualTo(new RecordHandle(100, 201, 300, 400, 0))
        .isNotEqualTo(new RecordHandle(100, 200, 301, 400, 0))
        .isNotEqualTo(new RecordHandle(100, 200, 300, 401, 0))
        .isNotEqualTo(new RecordHandle(100, 200, 300, 400, 1))
        .isNotEqualTo(null)
        .isNotEqualTo("RecordHandle");
  }

  @Test
  void toStringNamesSequenceSegmentOffsetAndLength() {
    RecordHandle h = new RecordHandle(100, 200, 300, 400, 0);

    assertThat(h.toString()).contains("sequence=400").contains(SegmentName.of(100))
        .contains("offset=200").contains("length=300");
  }
}
