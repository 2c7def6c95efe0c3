/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A log reopened with a smaller maxRecordSize than it was written with must refuse clearly, never
 * take its larger records for a torn tail or for corruption.
 */
class MaxRecordSizeChangeTest {

  private static byte[] payload(int i) {
    byte[] b = new byte[2000];
    java.util.Arrays.fill(b, (byte) i);
    return b;
  }

  private static MemoryStorage crashedLogOfLargeRecords() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(1 << 20).maxRecordSize(4096).open();
    for (int i = 0; i < 10; i++) {
      log.append(payload(i)).get();
    }
    MemoryStorage survivor = mem.crash(3);
    log.close();
    return survivor;
  }

  @Test
  void reopeningAnUnsealedTailWithASmallerBoundFailsAndCutsNothing() throws Exception {
    MemoryStorage survivor = crashedLogOfLargeRecords();
    String segment = SegmentName.of(0);
    byte[] before = survivor.contents(segment);

    assertThatThrownBy(() -> WriteAheadLog.builder(survivor).maxRecordSize(1000).open())
        .isInstanceOf(RecordTooLargeException.class)
        .hasMessageContaining(segment)
        .hasMessageContaining("at least 2000");
    assertThat(survivor.contents(segment)).isEqualTo(before);

    try (WriteAheadLog log = WriteAheadLog.builder(survivor).maxRecordSize(4096).open()) {
      assertThat(log.recoveryReport().bytesTruncated()).isZero();
      List<byte[]> read = new ArrayList<>();
      try (LogReader r = log.readFrom(0)) {
        r.forEach(rec -> read.add(rec.payloadBytes()));
      }
      assertThat(read).hasSize(10);
      assertThat(read.get(9)).isEqualTo(payload(9));
    }
  }

  @Test
  void skipCorruptDoesNotSkipValidRecordsAboveTheBound() throws Exception {
    MemoryStorage survivor = crashedLogOfLargeRecords();
    assertThatThrownBy(() -> WriteAheadLog.builder(survivor).maxRecordSize(1000)
        .recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open())
        .isInstanceOf(RecordTooLargeException.class);
    assertThat(survivor.list()).noneMatch(n -> n.contains(".corrupt"));
  }

  @Test
  void readingSealedLargeRecordsWithASmallerBoundFailsClearly() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(mem).maxRecordSize(4096).open()) {
      log.append(payload(1)).get();
    }
    try (WriteAheadLog log = WriteAheadLog.builder(mem).maxRecordSize(1000).open();
        LogReader r = log.readFrom(0)) {
      assertThatThrownBy(() -> r.iterator().next())
          .isInstanceOf(RecordTooLargeException.class)
          .hasMessageContaining("at least 2000");
      assertThatThrownBy(log::verify).isInstanceOf(RecordTooLargeException.class);
    }
  }
}
