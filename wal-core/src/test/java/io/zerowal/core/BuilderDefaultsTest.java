/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options left unset take values that work with the ones that are set. */
class BuilderDefaultsTest {
  private final MemoryStorage memory = new MemoryStorage();

  @Test
  void aSmallSegmentSizeAloneOpensWithTheLargestRecordThatFits() throws Exception {
    int fits = (int) ((256 << 10) - WriteAheadLog.Builder.SEGMENT_OVERHEAD);
    try (WriteAheadLog log = WriteAheadLog.builder(memory).segmentSize(256 << 10).open()) {
      RecordHandle h = await(log.append(payload(1, fits)));
      assertThat(bytes(log.read(h))).isEqualTo(payload(1, fits));
      assertThatThrownBy(() -> log.append(new byte[fits + 1]))
          .isInstanceOf(RecordTooLargeException.class)
          .hasMessageContaining(String.valueOf(fits));
    }
  }

  @Test
  void largeSegmentsKeepTheDefaultMaxRecordSize() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).segmentSize(1L << 30).open()) {
      assertThatThrownBy(() -> log.append(new byte[(16 << 20) + 1]))
          .isInstanceOf(RecordTooLargeException.class)
          .hasMessageContaining(String.valueOf(16 << 20));
    }
  }

  @Test
  void anExplicitMaxRecordSizeThatDoesNotFitStillFailsClearly() {
    assertThatThrownBy(() -> WriteAheadLog.builder(memory).segmentSize(256 << 10)
        .maxRecordSize(256 << 10).open())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRecordSize " + (256 << 10))
        .hasMessageContaining("segmentSize " + (256 << 10));
  }

  @Test
  void segmentSizeBeyondWhatTheFormatSupportsIsRejectedAtTheSetter() {
    assertThatThrownBy(() -> WriteAheadLog.builder(memory).segmentSize(5L << 29))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segmentSize")
        .hasMessageContaining(String.valueOf(Integer.MAX_VALUE))
        .hasMessageContaining(String.valueOf(5L << 29));
    assertThat(WriteAheadLog.builder(memory).segmentSize(Integer.MAX_VALUE)).isNotNull();
  }

  @Test
  void rollIntervalBeyondTheClockRangeIsRejectedAtTheSetterNamingTheRange() {
    assertThatThrownBy(() -> WriteAheadLog.builder(memory).rollInterval(Duration.ofDays(400 * 365L)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rollInterval")
        .hasMessageContaining("292 years");
    assertThat(WriteAheadLog.builder(memory).rollInterval(Duration.ofNanos(Long.MAX_VALUE)))
        .isNotNull();
  }
}
