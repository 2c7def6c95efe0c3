/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the version-2 bytes of docs/FORMAT.md: a fixed workload must produce exactly the committed
 * segment files, and the committed files must open and read back. A change that fails this test
 * changes the on-disk format: bump the format version instead.
 *
 * <p>To regenerate after a deliberate format change: run with {@code -Dzerowal.golden.write=<dir>}
 * pointing at {@code wal-core/src/test/resources/golden}.
 */
class FormatGoldenTest {
  private static final String[] SEGMENTS = {
      "00000000000000000000.wal", "00000000000000000003.wal", "00000000000000000005.wal"};

  /** Six records over three 4 KiB segments: two 2,000-byte records never share a segment. */
  private static List<byte[]> payloads() {
    List<byte[]> p = new ArrayList<>();
    p.add("".getBytes(StandardCharsets.UTF_8));
    p.add("hello, zerowal".getBytes(StandardCharsets.UTF_8));
    byte[] big = new byte[2000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    p.add(big);
    p.add(big.clone());
    p.add(new byte[] {0, 0, 0, 0});
    p.add(big.clone());
    return p;
  }

  /** The golden log's id (random in real logs): 00 01 .. 0f in the header. */
  static final LogId GOLDEN_ID = new LogId(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

  private static MemoryStorage writeWorkload() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    try (WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(4096).maxRecordSize(2048)
        .newLogId(GOLDEN_ID).open()) {
      for (byte[] payload : payloads()) {
        log.append(payload).get();
      }
    }
    return mem;
  }

  @Test
  void fixedWorkloadWritesTheCommittedBytes() throws Exception {
    MemoryStorage mem = writeWorkload();
    List<String> names = new ArrayList<>(mem.list());
    Collections.sort(names);
    String target = System.getProperty("zerowal.golden.write");
    if (target != null) {
      for (String name : names) {
        Files.write(Path.of(target, name), mem.contents(name));
      }
    }
    assertThat(names).containsExactly(SEGMENTS);
    for (String name : SEGMENTS) {
      assertThat(mem.contents(name)).as(name).isEqualTo(golden(name));
    }
  }

  @Test
  void committedBytesOpenAndReadBack() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    for (String name : SEGMENTS) {
      try (var out = mem.create(name, 0)) {
        out.write(java.nio.ByteBuffer.wrap(golden(name)));
        out.sync();
      }
    }
    mem.syncDirectory();
    try (WriteAheadLog log = WriteAheadLog.builder(mem).segmentSize(4096).maxRecordSize(2048)
        .open()) {
      // Only the last segment is read frame by frame (a footer does not prove its seal was synced).
      assertThat(log.recoveryReport().bytesScanned())
          .isEqualTo(golden(SEGMENTS[SEGMENTS.length - 1]).length - RecordFrame.FOOTER_SIZE);
      assertThat(log.verify()).isEqualTo(6);
      List<byte[]> read = new ArrayList<>();
      try (LogReader r = log.readFrom(0)) {
        r.forEach(rec -> read.add(rec.payloadBytes()));
      }
      assertThat(read).containsExactlyElementsOf(payloads());
    }
  }

  @Test
  void headerAndFrameLayoutMatchTheDocument() throws Exception {
    byte[] first = golden(SEGMENTS[0]);
    // header: "ZWAL", version 2, flags 0, base sequence 0, log id 00 01 .. 0f
    assertThat(new String(first, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("ZWAL");
    assertThat(first[4]).isEqualTo((byte) 2);
    assertThat(first[5]).isZero();
    for (int i = 0; i < 16; i++) {
      assertThat(first[16 + i]).isEqualTo((byte) i);
    }
    // first frame at 36: length 0, type 1, sequence 0
    assertThat(java.util.Arrays.copyOfRange(first, 36, 40)).containsExactly(0, 0, 0, 0);
    assertThat(first[44]).isEqualTo(RecordFrame.TYPE_RECORD);
    // second frame at 53: length 14 ("hello, zerowal"), sequence 1, then the payload
    assertThat(first[53]).isEqualTo((byte) 14);
    assertThat(first[61]).isEqualTo(RecordFrame.TYPE_RECORD);
    assertThat(first[62]).isEqualTo((byte) 1);
    assertThat(new String(first, 70, 14, StandardCharsets.UTF_8)).isEqualTo("hello, zerowal");
    // footer: the last 29 bytes, type 2
    assertThat(first[first.length - RecordFrame.FOOTER_SIZE + 8]).isEqualTo(RecordFrame.TYPE_FOOTER);
  }

  @Test
  void maskIsLevelDbs() {
    // LevelDB: rot = (crc >> 15) | (crc << 17); return rot + 0xa282ead8
    assertThat(RecordFrame.mask(0)).isEqualTo(0xa282ead8);
    assertThat(RecordFrame.unmask(RecordFrame.mask(0x12345678))).isEqualTo(0x12345678);
    assertThat(RecordFrame.mask(0x12345678))
        .isEqualTo(((0x12345678 >>> 15) | (0x12345678 << 17)) + 0xa282ead8);
  }

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = FormatGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      return in.readAllBytes();
    }
  }
}
