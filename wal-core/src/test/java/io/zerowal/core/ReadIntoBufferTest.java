/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WriteAheadLog#read(RecordHandle, ByteBuffer)}: a read into the caller's buffer. */
class ReadIntoBufferTest {
  private WriteAheadLog log;

  @BeforeEach
  void open() {
    log = WriteAheadLog.builder(new MemoryStorage()).durability(Durability.NONE).open();
  }

  @AfterEach
  void close() {
    log.close();
  }

  private RecordHandle append(String text) {
    return log.append(text.getBytes(StandardCharsets.UTF_8)).join();
  }

  private static String text(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
  }

  /**
   * Reads two records into {@code buffer} and checks what every usable buffer promises: each read
   * gives exactly its payload at position 0, the caller's position and limit are left alone, and
   * the second read overwrites the first; returns both reads for the kind's own checks.
   */
  private ByteBuffer[] readTwiceInto(ByteBuffer buffer) {
    RecordHandle first = append("first record");
    RecordHandle second = append("second");
    int position = buffer.position();
    int limit = buffer.limit();

    ByteBuffer a = log.read(first, buffer);

    assertThat(text(a)).isEqualTo("first record");
    assertThat(a.position()).isZero();
    assertThat(a.remaining()).isEqualTo("first record".length());
    assertThat(buffer.position()).isEqualTo(position); // the caller's position and limit are kept
    assertThat(buffer.limit()).isEqualTo(limit);

    ByteBuffer b = log.read(second, buffer);

    assertThat(text(b)).isEqualTo("second");
    assertThat(text(a)).isNotEqualTo("first record"); // documented: overwritten by the next read
    return new ByteBuffer[] {a, b};
  }

  @Test
  void readsIntoTheBuffersArrayAndTheNextReadOverwritesIt() {
    ByteBuffer buffer = ByteBuffer.allocate(64).position(3).limit(9);

    ByteBuffer[] reads = readTwiceInto(buffer);

    assertThat(reads[0].array()).isSameAs(buffer.array());
    assertThat(reads[1].array()).isSameAs(buffer.array());
  }

  @Test
  void aBufferThatCannotHoldTheFrameOrIsNotAPlainHeapBufferIsLeftAloneForANewOne() {
    RecordHandle h = append("x".repeat(100));
    ByteBuffer exact = ByteBuffer.allocate(100 + 17);
    ByteBuffer tooSmall = ByteBuffer.allocate(100 + 16); // the payload fits, the frame does not
    ByteBuffer direct = ByteBuffer.allocateDirect(100 + 16);
    ByteBuffer readOnly = ByteBuffer.allocate(4096).asReadOnlyBuffer();
    ByteBuffer offset = ByteBuffer.allocate(4096).position(1).slice();

    assertThat(log.read(h, exact).array()).isSameAs(exact.array());
    for (ByteBuffer b : new ByteBuffer[] {tooSmall, direct, readOnly, offset}) {
      ByteBuffer payload = log.read(h, b);
      assertThat(text(payload)).isEqualTo("x".repeat(100));
      if (b.hasArray()) {
        assertThat(payload.array()).isNotSameAs(b.array());
      }
    }
    assertThat(tooSmall.array()).containsOnly((byte) 0);
  }

  @Test
  void readsIntoADirectBufferAndChecksTheRecordThere() {
    ByteBuffer[] reads = readTwiceInto(ByteBuffer.allocateDirect(64).position(5).limit(7));

    assertThat(reads[0].isDirect()).isTrue();
    assertThat(reads[1].isDirect()).isTrue();
    assertThat(reads[0].order()).isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);

    RecordHandle third = append("third record");
    ByteBuffer copy = log.read(third, ByteBuffer.allocateDirect(64).asReadOnlyBuffer());
    assertThat(text(copy)).isEqualTo("third record");
    assertThat(copy.isDirect()).isFalse(); // never written into a read-only buffer
  }

  @Test
  void aCorruptRecordReadIntoADirectBufferFailsItsCrc() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    try (WriteAheadLog w = WriteAheadLog.builder(storage).durability(Durability.NONE).open()) {
      RecordHandle h = w.append("payload that will be damaged".getBytes(StandardCharsets.UTF_8))
          .join();
      String segment = SegmentName.of(h.segment());
      try (SegmentOutput out = storage.openForWrite(segment, h.offset() + 17 + 3)) {
        out.write(ByteBuffer.wrap(new byte[] {'#'})); // a payload byte: the header still matches
        out.flush();
      }

      assertThatThrownBy(() -> w.read(h, ByteBuffer.allocateDirect(4096)))
          .isInstanceOf(CorruptLogException.class).hasMessageContaining("checksum mismatch")
          .hasMessageContaining(segment);
      assertThatThrownBy(() -> w.read(h, ByteBuffer.allocate(4096)))
          .isInstanceOf(CorruptLogException.class).hasMessageContaining("checksum mismatch");
    }
  }

  @Test
  void checksHandlesAndArgumentsAsTheAllocatingRead() {
    RecordHandle h = append("mine");
    try (WriteAheadLog other = WriteAheadLog.builder(new MemoryStorage()).open()) {
      RecordHandle foreign = other.append(new byte[4]).join();
      assertThatThrownBy(() -> log.read(foreign, ByteBuffer.allocate(64)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was not issued by");
    }
    assertThatThrownBy(() -> log.read(h, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("use read(handle)");
    assertThatThrownBy(() -> log.read(null, ByteBuffer.allocate(64)))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("handle");
    log.close();
    assertThatThrownBy(() -> log.read(h, ByteBuffer.allocate(64)))
        .isInstanceOf(LogClosedException.class);
  }
}
