/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.appendAll;
import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.eventually;
import static io.zerowal.core.TestLogs.payload;
import static io.zerowal.core.TestLogs.payloads;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.LocalStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** When the log starts a new segment (by size, by age), and preallocated segments on local disk. */
class SegmentRollTest {
  @TempDir Path dir;
  @RegisterExtension final TestLogs.OpenLogs logs = new TestLogs.OpenLogs();

  @Test
  void segmentsRollBySize() throws Exception {
    WriteAheadLog log = logs.openSmallSegments();

    List<RecordHandle> handles = appendAll(log, payloads(100, 200));

    LogStats stats = log.stats();
    assertThat(stats.segmentsRolled()).isPositive();
    assertThat(stats.segments()).isEqualTo(stats.segmentsRolled() + 1);
    assertThat(handles.stream().map(RecordHandle::segment).distinct().count())
        .isEqualTo(stats.segments());
    for (RecordHandle h : handles) {
      assertThat(h.offset() + RecordFrame.frameSize(h.length())).isLessThanOrEqualTo(4096);
    }
  }

  @Test
  void segmentsRollByAge() throws Exception {
    WriteAheadLog log = logs.open(
        WriteAheadLog.builder(logs.memory).rollInterval(Duration.ofMillis(50)));
    RecordHandle first = await(log.append(payload(0, 10)));

    assertThat(eventually(() -> log.stats().segmentsRolled() >= 1)).isTrue();
    RecordHandle second = await(log.append(payload(1, 10)));

    assertThat(second.segment()).isGreaterThan(first.segment());
    assertThat(bytes(log.read(first))).isEqualTo(payload(0, 10));
    assertThat(log.truncateBefore(second.sequence())).isEqualTo(1);
  }

  @Test
  void preallocatedLocalSegmentsWorkAndReopen() throws Exception {
    List<byte[]> data = payloads(120, 300);
    List<RecordHandle> handles;
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).preallocate(true)
        .segmentSize(16 << 10).maxRecordSize(1000).open()) {
      handles = appendAll(log, data);
      assertThat(log.stats().segmentsRolled()).isPositive();
    }
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).preallocate(true)
        .segmentSize(16 << 10).maxRecordSize(1000).open()) {
      assertThat(log.recoveryReport().tornTail()).isFalse();
      assertThat(log.nextSequence()).isEqualTo(120);
      assertThat(log.verify()).isEqualTo(120);
      for (int i = 0; i < data.size(); i++) {
        assertThat(bytes(log.read(handles.get(i)))).isEqualTo(data.get(i));
      }
      RecordHandle next = await(log.append(payload(120, 300)));
      assertThat(next.sequence()).isEqualTo(120);
    }
  }
}
