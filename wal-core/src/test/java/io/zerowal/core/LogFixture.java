/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Builds small logs in a {@link MemoryStorage} for recovery tests, and copies their files so that a
 * test can damage them and open the result on a fresh storage.
 */
final class LogFixture {
  static final int SEGMENT_SIZE = 4096;
  static final int MAX_RECORD_SIZE = 1024;

  /** The files of a log and what was appended to it, in sequence order. */
  final Map<String, byte[]> files;
  final List<byte[]> payloads;
  final List<RecordHandle> handles;

  private LogFixture(Map<String, byte[]> files, List<byte[]> payloads, List<RecordHandle> handles) {
    this.files = files;
    this.payloads = payloads;
    this.handles = handles;
  }

  /** The log id of every fixture, and of the segments tests build by hand. */
  static final LogId LOG_ID = new LogId(1, 2);

  static WriteAheadLog.Builder builder(MemoryStorage storage) {
    // One log id for every fixture, so that fixtures built apart have identical segments.
    return WriteAheadLog.builder(storage).segmentSize(SEGMENT_SIZE).maxRecordSize(MAX_RECORD_SIZE)
        .newLogId(LOG_ID);
  }

  /**
   * A log of {@code records} records, every append acknowledged (SYNC), whose files are taken as a
   * power loss would leave them right then: sealed segments, and an unsealed last one.
   */
  static LogFixture crashedAfter(int records, int payloadSize) {
    return build(records, payloadSize, false);
  }

  /** The same, but closed cleanly: every segment, the last one too, is sealed. */
  static LogFixture closedAfter(int records, int payloadSize) {
    return build(records, payloadSize, true);
  }

  private static LogFixture build(int records, int payloadSize, boolean close) {
    MemoryStorage mem = new MemoryStorage();
    List<byte[]> payloads = new ArrayList<>();
    List<RecordHandle> handles = new ArrayList<>();
    WriteAheadLog log = builder(mem).open();
    try {
      List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        byte[] p = payload(i, payloadSize);
        payloads.add(p);
        futures.add(log.append(p));
      }
      for (CompletableFuture<RecordHandle> f : futures) {
        handles.add(f.join());
      }
      if (close) {
        log.close();
      }
      // Every append is synced and every create followed by a directory sync, so the current
      // bytes are exactly what a power loss leaves.
      return new LogFixture(files(mem), payloads, handles);
    } finally {
      log.close();
    }
  }

  /** A payload that says which record it is: "record-i|" then a pattern, {@code size} bytes. */
  static byte[] payload(int i, int size) {
    byte[] head = ("record-" + i + "|").getBytes(StandardCharsets.US_ASCII);
    byte[] p = new byte[size];
    for (int k = 0; k < size; k++) {
      p[k] = k < head.length ? head[k] : (byte) (i * 31 + k * 7);
    }
    return p;
  }

  /** Segment file names in order. */
  List<String> segments() {
    List<String> names = new ArrayList<>();
    for (String n : files.keySet()) {
      if (n.endsWith(SegmentName.SUFFIX)) {
        names.add(n);
      }
    }
    return names;
  }

  /** The handles of the records stored in one segment. */
  List<RecordHandle> handlesIn(String segment) {
    List<RecordHandle> in = new ArrayList<>();
    for (RecordHandle h : handles) {
      if (SegmentName.of(h.segment()).equals(segment)) {
        in.add(h);
      }
    }
    return in;
  }

  /** A fresh storage holding a copy of these files, each fully durable. */
  MemoryStorage storage() {
    return storageWith(files);
  }

  /** A mutable copy of the files, for a test to damage. */
  Map<String, byte[]> copyOfFiles() {
    Map<String, byte[]> copy = new TreeMap<>();
    files.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  static Map<String, byte[]> files(MemoryStorage mem) {
    try {
      Map<String, byte[]> files = new TreeMap<>();
      for (String name : mem.list()) {
        files.put(name, mem.contents(name));
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MemoryStorage storageWith(Map<String, byte[]> files) {
    try {
      MemoryStorage mem = new MemoryStorage();
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        try (SegmentOutput out = mem.create(e.getKey(), 0)) {
          out.write(ByteBuffer.wrap(e.getValue()));
          out.sync();
        }
      }
      mem.syncDirectory();
      return mem;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every record from the log's first sequence, in order. */
  static List<LogRecord> readAll(WriteAheadLog log) {
    List<LogRecord> out = new ArrayList<>();
    try (LogReader r = log.readFrom(log.firstSequence())) {
      for (LogRecord rec : r) {
        out.add(rec);
      }
    }
    return out;
  }

  static List<Long> sequences(List<LogRecord> records) {
    List<Long> seqs = new ArrayList<>();
    for (LogRecord r : records) {
      seqs.add(r.sequence());
    }
    return seqs;
  }

  static List<byte[]> payloadsOf(List<LogRecord> records) {
    List<byte[]> out = new ArrayList<>();
    for (LogRecord r : records) {
      out.add(r.payloadBytes());
    }
    return out;
  }

  /** Asserts that {@code records} are exactly the first {@code count} records of this fixture. */
  void assertFirstRecords(List<LogRecord> records, int count) {
    assertThat(sequences(records)).containsExactlyElementsOf(range(0, count));
    assertThat(payloadsOf(records)).containsExactlyElementsOf(payloads.subList(0, count));
  }

  static List<Long> range(long from, long to) {
    List<Long> seqs = new ArrayList<>();
    for (long s = from; s < to; s++) {
      seqs.add(s);
    }
    return seqs;
  }

  static byte[] cut(byte[] bytes, int removeAtEnd) {
    return java.util.Arrays.copyOf(bytes, bytes.length - removeAtEnd);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static byte[] flipBit(byte[] bytes, long offset, int bit) {
    byte[] copy = bytes.clone();
    copy[(int) offset] ^= (byte) (1 << bit);
    return copy;
  }
}
