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
import io.zerowal.core.storage.SegmentOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** {@link WriteAheadLog#read} returns only records this log wrote, at the handles it gave out. */
class HandleBindingTest {
  private final MemoryStorage memory = new MemoryStorage();
  private final MemoryStorage otherMemory = new MemoryStorage();

  private static WriteAheadLog.Builder small(MemoryStorage storage) {
    return WriteAheadLog.builder(storage).segmentSize(4096).maxRecordSize(1000);
  }

  private static List<RecordHandle> appendSame(WriteAheadLog log, int count) throws Exception {
    List<RecordHandle> handles = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      handles.add(await(log.append(payload(i, 500))));
    }
    return handles;
  }

  @Test
  void aHandleOfAnotherLogWithTheSameLayoutIsRefused() throws Exception {
    try (WriteAheadLog a = small(memory).open(); WriteAheadLog b = small(otherMemory).open()) {
      RecordHandle fromA = appendSame(a, 3).get(1);
      RecordHandle fromB = appendSame(b, 3).get(1);
      assertThat(fromA.segment()).isEqualTo(fromB.segment());
      assertThat(fromA.offset()).isEqualTo(fromB.offset());

      assertThatThrownBy(() -> b.read(fromA)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not issued by log");
      assertThatThrownBy(() -> b.read(RecordHandle.fromBytes(fromA.toBytes())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another log");
    }
  }

  @Test
  void aHandleForgedToPointAtACraftedFrameInsideAPayloadIsRefused() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      // A payload that holds a complete, valid frame of "evil" at sequence 0.
      byte[] evil = "evil".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      ByteBuffer crafted = ByteBuffer.allocate(RecordFrame.HEADER_SIZE + evil.length)
          .order(ByteOrder.LITTLE_ENDIAN);
      RecordFrame.putRecord(crafted, new CRC32C(), 0, ByteBuffer.wrap(evil));
      RecordHandle real = await(log.append(crafted.array()));
      byte[] forgedBytes = new RecordHandle(real.segment(),
          real.offset() + RecordFrame.HEADER_SIZE, evil.length, 0, real.tag()).toBytes();

      RecordHandle forged = RecordHandle.fromBytes(forgedBytes); // well-formed bytes
      assertThatThrownBy(() -> log.read(forged)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not issued by log");
      assertThat(bytes(log.read(real))).isEqualTo(crafted.array());
    }
  }

  @Test
  void storedHandlesStillReadAfterReopen() throws Exception {
    List<byte[]> stored = new ArrayList<>();
    try (WriteAheadLog log = small(memory).open()) {
      for (RecordHandle h : appendSame(log, 20)) {
        stored.add(h.toBytes());
      }
    }
    try (WriteAheadLog log = small(memory).open()) {
      for (int i = 0; i < stored.size(); i++) {
        assertThat(bytes(log.read(RecordHandle.fromBytes(stored.get(i)))))
            .isEqualTo(payload(i, 500));
      }
      RecordHandle after = await(log.append(payload(99, 5)));
      assertThat(bytes(log.read(RecordHandle.fromBytes(after.toBytes()))))
          .isEqualTo(payload(99, 5));
    }
  }

  @Test
  void aSegmentOfAnotherLogMixedIntoTheDirectoryIsCorruption() throws Exception {
    List<RecordHandle> handles;
    try (WriteAheadLog a = small(memory).open(); WriteAheadLog b = small(otherMemory).open()) {
      handles = appendSame(a, 20);
      appendSame(b, 20);
    }
    String middle = SegmentName.of(handles.get(10).segment());
    replaceWithOthers(middle);

    assertThatThrownBy(() -> small(memory).open()).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(middle).hasMessageContaining("another log");
  }

  @Test
  void aSegmentOfAnotherLogCopiedOverTheFirstOneIsTheOneJudgedForeign() throws Exception {
    List<RecordHandle> handles;
    try (WriteAheadLog a = small(memory).open(); WriteAheadLog b = small(otherMemory).open()) {
      handles = appendSame(a, 20);
      appendSame(b, 20);
    }
    String first = SegmentName.of(handles.get(0).segment());
    replaceWithOthers(first);

    // The first readable header must not decide whose log this is: the other segments outvote it.
    assertThatThrownBy(() -> small(memory).open()).isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(first).hasMessageContaining("another log");
  }

  @Test
  void skipCorruptKeepsNoRecordOfASegmentOfAnotherLog() throws Exception {
    List<RecordHandle> handles;
    try (WriteAheadLog a = small(memory).open(); WriteAheadLog b = small(otherMemory).open()) {
      handles = appendSame(a, 20);
      for (int i = 0; i < 20; i++) {
        await(b.append(payload(1000 + i, 500))); // same layout, other bytes
      }
    }
    RecordHandle firstOfMiddle = handles.get(10);
    String middle = SegmentName.of(firstOfMiddle.segment());
    replaceWithOthers(middle);

    try (WriteAheadLog log = small(memory).recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open();
        LogReader r = log.readFrom(log.firstSequence())) {
      List<LogRecord> records = new ArrayList<>();
      r.forEach(records::add);
      assertThat(records).isNotEmpty();
      for (LogRecord rec : records) {
        assertThat(rec.payloadBytes()).isEqualTo(payload((int) rec.sequence(), 500));
      }
      assertThat(log.recoveryReport().recordsSkipped()).isPositive();
    }
  }

  /** Puts the other log's file of the same name in place of {@code name}. */
  private void replaceWithOthers(String name) throws Exception {
    byte[] foreign = otherMemory.contents(name);
    memory.delete(name);
    try (SegmentOutput out = memory.create(name, 0)) {
      out.write(ByteBuffer.wrap(foreign));
      out.sync();
    }
    memory.syncDirectory();
  }

  @Test
  void aHandleOffsetNearLongMaxIsNotInThisLogRatherThanAnIoFailure() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      RecordHandle h = await(log.append(payload(1, 5)));
      RecordHandle far = log.handle(h.segment(), Long.MAX_VALUE - 3, 5, h.sequence()); // signed

      assertThatThrownBy(() -> log.read(far)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("another log");
    }
  }
}
