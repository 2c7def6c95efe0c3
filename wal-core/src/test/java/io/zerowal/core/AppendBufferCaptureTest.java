/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteAheadLog#append(ByteBuffer)} frames the bytes between position and limit as they are
 * at the call, and a record is always written with the CRC of the bytes written.
 */
class AppendBufferCaptureTest {
  private final MemoryStorage memory = new MemoryStorage();

  private WriteAheadLog.Builder builder() {
    return WriteAheadLog.builder(memory).segmentSize(1 << 20).maxRecordSize(1024);
  }

  private static List<byte[]> replay(WriteAheadLog log) {
    List<byte[]> out = new java.util.ArrayList<>();
    try (LogReader r = log.readFrom(log.firstSequence())) {
      r.forEach(rec -> out.add(bytes(rec.payload())));
    }
    return out;
  }

  @Test
  void consumingTheBufferRightAfterAppendDoesNotChangeTheRecord() throws Exception {
    byte[] data = payload(1, 300);
    RecordHandle h;
    RecordHandle next;
    try (WriteAheadLog log = builder().open()) {
      CompletableFuture<RecordHandle> f;
      CompletableFuture<RecordHandle> g;
      try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
        ByteBuffer b = ByteBuffer.wrap(data);
        f = log.append(b);
        b.position(b.limit()); // consumed, as a caller's encoder would
        g = log.append(payload(2, 10));
      }
      h = await(f);
      next = await(g);
      assertThat(h.length()).isEqualTo(300);
      assertThat(bytes(log.read(h))).isEqualTo(data);
      assertThat(bytes(log.read(next))).isEqualTo(payload(2, 10));
      assertThat(log.verify()).isEqualTo(log.nextSequence());
    }
    try (WriteAheadLog log = builder().open()) {
      assertThat(bytes(log.read(h))).isEqualTo(data);
    }
  }

  @Test
  void growingTheLimitAfterAppendCannotWriteARecordAboveMaxRecordSize() throws Exception {
    byte[] backing = payload(3, 4096);
    RecordHandle h;
    try (WriteAheadLog log = builder().open()) {
      CompletableFuture<RecordHandle> f;
      try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
        ByteBuffer b = ByteBuffer.wrap(backing, 100, 200);
        f = log.append(b);
        b.limit(4096).position(0);
      }
      h = await(f);
      assertThat(bytes(log.read(h))).isEqualTo(Arrays.copyOfRange(backing, 100, 300));
      assertThat(log.verify()).isEqualTo(log.nextSequence());
    }
    try (WriteAheadLog log = builder().open()) {
      assertThat(replay(log)).last().isEqualTo(Arrays.copyOfRange(backing, 100, 300));
    }
  }

  @Test
  void growingTheLimitPastTheStagingBufferDoesNotFailTheLog() throws Exception {
    byte[] backing = payload(4, 3 << 20);
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      CompletableFuture<RecordHandle> f;
      try (TestLogs.WriterStall stall = TestLogs.WriterStall.of(log)) {
        ByteBuffer b = ByteBuffer.wrap(backing, 0, 1000);
        f = log.append(b);
        b.limit(b.capacity());
      }
      assertThat(bytes(log.read(await(f)))).isEqualTo(Arrays.copyOf(backing, 1000));
      assertThat(bytes(log.read(await(log.append(payload(5, 10)))))).isEqualTo(payload(5, 10));
    }
  }

  @Test
  void aLargePayloadChangedWhileBeingWrittenStillGivesARecordThatMatchesItsCrc()
      throws Exception {
    WriteHookStorage storage = new WriteHookStorage(memory);
    byte[] data = payload(6, 200_000);
    byte[] original = data.clone();
    RecordHandle h;
    try (WriteAheadLog log = WriteAheadLog.builder(storage).open()) {
      // The caller breaks the rule: it changes the bytes after the writer took them, before the
      // write reaches the file.
      storage.beforeWrite = srcs -> Arrays.fill(data, (byte) 7);
      h = await(log.append(data));
      storage.beforeWrite = srcs -> {};
      assertThat(bytes(log.read(h))).isEqualTo(original);
      assertThat(log.verify()).isEqualTo(1);
    }
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      assertThat(bytes(log.read(h))).isEqualTo(original);
    }
  }
}
