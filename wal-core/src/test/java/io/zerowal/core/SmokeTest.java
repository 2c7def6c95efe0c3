/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void appendReadReopenAcrossSegments() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    List<RecordHandle> handles = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(8192).maxRecordSize(1000).open()) {
      List<CompletableFuture<RecordHandle>> fs = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        fs.add(log.append(("record-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (CompletableFuture<RecordHandle> f : fs) {
        handles.add(f.get());
      }
      assertThat(handles.get(499).sequence()).isEqualTo(499);
      assertThat(StandardCharsets.UTF_8.decode(log.read(handles.get(123))).toString()).isEqualTo("record-123");
      assertThat(log.stats().segmentsRolled()).isGreaterThan(0);
    }
    try (WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(8192).maxRecordSize(1000).open()) {
      assertThat(log.recoveryReport().records()).isEqualTo(500);
      assertThat(log.nextSequence()).isEqualTo(500);
      int i = 0;
      try (LogReader r = log.readFrom(0)) {
        for (LogRecord rec : r) {
          assertThat(rec.sequence()).isEqualTo(i);
          assertThat(new String(rec.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("record-" + i);
          i++;
        }
      }
      assertThat(i).isEqualTo(500);
      assertThat(log.verify()).isEqualTo(500);
      log.append(new byte[] {1}).get();
      assertThat(log.truncateBefore(400)).isGreaterThan(0);
      assertThat(log.firstSequence()).isLessThanOrEqualTo(400);
    }
    try (WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(8192).maxRecordSize(1000).open()) {
      assertThat(log.nextSequence()).isEqualTo(501);
    }
  }

  @Test
  void crashThenRecover() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(8192).maxRecordSize(1000).open();
    for (int i = 0; i < 300; i++) {
      log.append(new byte[i % 50]).get();
    }
    for (int i = 0; i < 50; i++) {
      log.append(new byte[10]);
    }
    MemoryStorage survived = mem.crash(7);
    try (WriteAheadLog again = WriteAheadLog.builder(survived).segmentSize(8192).maxRecordSize(1000).open()) {
      assertThat(again.nextSequence()).isGreaterThanOrEqualTo(300);
      assertThat(again.verify()).isEqualTo(again.nextSequence());
    }
    log.close();
  }

  @Test
  void localStorageSync() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).preallocate(true)
        .segmentSize(1 << 20).maxRecordSize(100_000).open()) {
      List<CompletableFuture<RecordHandle>> fs = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        fs.add(log.append(new byte[i % 3 == 0 ? 70_000 : 100]));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get();
      System.out.println(log.stats());
    }
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(1 << 20).maxRecordSize(100_000).open()) {
      assertThat(log.verify()).isEqualTo(2000);
      System.out.println(log.recoveryReport());
    }
  }
}
