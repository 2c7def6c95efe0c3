/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.LogFixture.builder;
import static io.zerowal.core.LogFixture.readAll;
import static io.zerowal.core.LogFixture.sequences;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * SKIP_CORRUPT repair converges (issue 10, item 5): after one repairing open, the next open finds
 * nothing to repair, STRICT opens the log, and {@code verify()} passes.
 */
class SalvageTest {
  private static final int RECORDS = 40;
  private static final int PAYLOAD = 300;

  private final LogFixture closed = LogFixture.closedAfter(RECORDS, PAYLOAD);

  @Test
  void overlappingSegmentIsRepairedOnceAndTheRepairedLogOpensStrict() throws IOException {
    MemoryStorage mem = closed.storage();
    List<String> names = closed.segments();
    String second = names.get(1);
    long base = SegmentName.parse(second);
    long last = SegmentName.parse(names.get(2)) - 1;
    // The second segment also holds the first segment's last three records: it starts 3 early.
    mem.delete(second);
    String overlapping = SegmentName.of(base - 3);
    mem.create(overlapping, 0).close();
    mem.replaceContents(overlapping, segment(base - 3, last));
    mem.syncDirectory();

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().corruptSegments()).containsExactly(overlapping + ".corrupt");
      assertThat(log.recoveryReport().recordsSkipped()).isZero();
      assertThat(sequences(readAll(log))).containsExactlyElementsOf(LogFixture.range(0, RECORDS));
    }
    assertThat(mem.list()).contains(second).doesNotContain(overlapping);

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().corruptSegments()).isEmpty();
      assertThat(log.recoveryReport().recordsSkipped()).isZero();
    }
    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.verify()).isEqualTo(RECORDS);
      List<LogRecord> records = readAll(log);
      assertThat(sequences(records)).containsExactlyElementsOf(LogFixture.range(0, RECORDS));
      for (LogRecord r : records) {
        assertThat(r.payloadBytes()).isEqualTo(closed.payloads.get((int) r.sequence()));
      }
    }
  }

  @Test
  void overlappingLastSegmentIsRepairedOnce() throws IOException {
    MemoryStorage mem = closed.storage();
    List<String> names = closed.segments();
    String lastName = names.get(names.size() - 1);
    long base = SegmentName.parse(lastName);
    mem.delete(lastName);
    String overlapping = SegmentName.of(base - 2);
    mem.create(overlapping, 0).close();
    mem.replaceContents(overlapping, segment(base - 2, RECORDS - 1));
    mem.syncDirectory();

    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().corruptSegments()).containsExactly(overlapping + ".corrupt");
      assertThat(sequences(readAll(log))).containsExactlyElementsOf(LogFixture.range(0, RECORDS));
    }
    try (WriteAheadLog log = builder(mem).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open()) {
      assertThat(log.recoveryReport().corruptSegments()).isEmpty();
    }
    try (WriteAheadLog log = builder(mem).open()) {
      assertThat(log.verify()).isEqualTo(RECORDS);
    }
  }

  /** A sealed segment of base {@code from} holding the fixture's records {@code from..to}. */
  private byte[] segment(long from, long to) {
    ByteBuffer b = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new SegmentHeader(from, 0, LogFixture.LOG_ID).encode());
    FramesCrc framesCrc = new FramesCrc();
    CRC32C crc = new CRC32C();
    for (long s = from; s <= to; s++) {
      byte[] p = closed.payloads.get((int) s);
      framesCrc.add(p.length, RecordFrame.putRecord(b, crc, s, ByteBuffer.wrap(p)));
    }
    b.put(RecordFrame.encodeFooter(to, to - from + 1, framesCrc.value()));
    byte[] bytes = new byte[b.position()];
    b.flip().get(bytes);
    return bytes;
  }
}
