/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
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

  @Test
  void readsIntoTheBuffersArrayAndTheNextReadOverwritesIt() {
    RecordHandle first = append("first record");
    RecordHandle second = append("second");
    ByteBuffer buffer = ByteBuffer.allocate(64).position(3).limit(9);

    ByteBuffer a = log.read(first, buffer);

    assertThat(text(a)).isEqualTo("first record");
    assertThat(a.position()).isZero();
    assertThat(a.array()).isSameAs(buffer.array());
    assertThat(buffer.position()).isEqualTo(3); // the caller's position and limit are left alone
    assertThat(buffer.limit()).isEqualTo(9);

    ByteBuffer b = log.read(second, buffer);

    assertThat(text(b)).isEqualTo("second");
    assertThat(b.array()).isSameAs(buffer.array());
    assertThat(text(a)).isNotEqualTo("first record"); // documented: overwritten by the next read
  }

  @Test
  void aBufferThatCannotHoldTheFrameOrIsNotAPlainHeapBufferIsLeftAloneForANewOne() {
    RecordHandle h = append("x".repeat(100));
    ByteBuffer exact = ByteBuffer.allocate(100 + 17);
    ByteBuffer tooSmall = ByteBuffer.allocate(100 + 16); // the payload fits, the frame does not
    ByteBuffer direct = ByteBuffer.allocateDirect(4096);
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
