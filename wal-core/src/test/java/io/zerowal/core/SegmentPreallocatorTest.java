/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentPreallocatorTest {
  @TempDir Path dir;

  private static byte[] payload(int i) {
    byte[] b = new byte[700];
    for (int j = 0; j < b.length; j++) {
      b[j] = (byte) (i * 7 + j);
    }
    return b;
  }

  @Test
  void rolledSegmentsComeFromTheSpareAndReadBack() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).preallocate(true)
        .segmentSize(8192).maxRecordSize(1024).open()) {
      for (int i = 0; i < 40; i++) {
        log.append(payload(i)).get();
      }
      assertThat(log.stats().segmentsRolled()).isGreaterThanOrEqualTo(3);
      List<byte[]> read = new ArrayList<>();
      try (LogReader r = log.readFrom(0)) {
        r.forEach(rec -> read.add(rec.payloadBytes()));
      }
      assertThat(read).hasSize(40);
      for (int i = 0; i < 40; i++) {
        assertThat(read.get(i)).isEqualTo(payload(i));
      }
      // the segment being written was preallocated to the full segment size
      long active = log.stats().nextSequence();
      assertThat(Files.size(dir.resolve(SegmentName.of(lastSegmentBase(dir))))).isEqualTo(8192);
      assertThat(active).isEqualTo(40);
    }
    assertThat(Files.exists(dir.resolve(SegmentPreallocator.SPARE))).isFalse();
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(8192)
        .maxRecordSize(1024).open()) {
      assertThat(log.verify()).isEqualTo(40);
    }
  }

  @Test
  void aLeftoverSpareIsDeletedOnOpen() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    try (SegmentOutput out = mem.create(SegmentPreallocator.SPARE, 4096)) {
      out.write(ByteBuffer.wrap(new byte[0]));
    }
    mem.syncDirectory();
    try (WriteAheadLog log = WriteAheadLog.builder(mem).open()) {
      assertThat(mem.list()).doesNotContain(SegmentPreallocator.SPARE);
      assertThat(log.recoveryReport().records()).isZero();
    }
  }

  @Test
  void aPowerLossWithASpareInPlaceRecoversEveryAcknowledgedRecord() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog log = WriteAheadLog.builder(mem).preallocate(true).segmentSize(8192)
        .maxRecordSize(1024).open();
    for (int i = 0; i < 25; i++) {
      log.append(payload(i)).get();
    }
    MemoryStorage survivor = mem.crash(11);
    log.close();
    try (WriteAheadLog again = WriteAheadLog.builder(survivor).segmentSize(8192)
        .maxRecordSize(1024).open()) {
      assertThat(again.nextSequence()).isEqualTo(25);
      assertThat(again.verify()).isEqualTo(25);
      assertThat(survivor.list()).doesNotContain(SegmentPreallocator.SPARE);
    }
  }

  private static long lastSegmentBase(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> SegmentName.parse(p.getFileName().toString())).filter(b -> b >= 0)
          .max(Long::compare).orElseThrow();
    }
  }
}
