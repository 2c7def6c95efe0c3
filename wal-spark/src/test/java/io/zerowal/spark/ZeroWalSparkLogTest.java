/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.LogStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.util.WriteAheadLog;
import org.apache.spark.streaming.util.WriteAheadLogRecordHandle;
import org.apache.spark.streaming.util.WriteAheadLogUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The semantics of Spark's own WriteAheadLogSuite, against ZeroWalSparkLog. */
class ZeroWalSparkLogTest {
  @TempDir Path dir;

  private static SparkConf conf() {
    return new SparkConf(false).set(ZeroWalSparkLog.DURABILITY, "FLUSH");
  }

  /** Small segments, so that clean has whole segments to delete. */
  private static SparkConf smallSegments() {
    return conf().set(ZeroWalSparkLog.SEGMENT_SIZE, "4096").set(ZeroWalSparkLog.MAX_RECORD_SIZE, "1k");
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(UTF_8));
  }

  private static String string(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return new String(a, UTF_8);
  }

  private static List<String> readAll(WriteAheadLog log) {
    List<String> out = new ArrayList<>();
    Iterator<ByteBuffer> it = log.readAll();
    it.forEachRemaining(b -> out.add(string(b)));
    return out;
  }

  private static String record(int i) {
    return "record-" + i + "-" + "x".repeat(i % 97);
  }

  @Test
  void eachWrittenRecordIsReadBackByItsHandle() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.toString());
    List<WriteAheadLogRecordHandle> handles = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      handles.add(log.write(bytes(record(i)), 1000 + i));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(string(log.read(handles.get(i)))).isEqualTo(record(i));
    }
    log.close();
  }

  @Test
  void writeLeavesTheCallersBufferAsItWas() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.toString());
    ByteBuffer b = bytes("abcdef");
    b.position(2);
    WriteAheadLogRecordHandle h = log.write(b, 1);
    assertThat(b.position()).isEqualTo(2);
    assertThat(string(log.read(h))).isEqualTo("cdef");
    log.close();
  }

  @Test
  void readAllReturnsEveryRecordInOrderAlsoAfterReopen() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.toString());
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      log.write(bytes(record(i)), i);
      written.add(record(i));
    }
    assertThat(readAll(log)).containsExactlyElementsOf(written);
    log.close();
    ZeroWalSparkLog reopened = new ZeroWalSparkLog(conf(), dir.toString());
    assertThat(readAll(reopened)).containsExactlyElementsOf(written);
    reopened.close();
  }

  @Test
  void readAllOfANewLogIsEmpty() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.resolve("new").toString());
    assertThat(log.readAll().hasNext()).isFalse();
    log.close();
  }

  @Test
  void handlesReadTheirRecordsAfterReopenAndThroughAnotherInstance() throws Exception {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.toString());
    List<WriteAheadLogRecordHandle> handles = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      handles.add(roundTrip(log.write(bytes(record(i)), i)));
    }
    // While the writer holds the log: an instance of another directory reads through it.
    ZeroWalSparkLog other = new ZeroWalSparkLog(conf(), dir.resolve("elsewhere").toString());
    assertThat(string(other.read(handles.get(7)))).isEqualTo(record(7));
    log.close();
    // Nobody holds it: read-only.
    assertThat(string(other.read(handles.get(19)))).isEqualTo(record(19));
    other.close();
    assertThat(Files.exists(dir.resolve("elsewhere"))).as("a reading instance creates nothing")
        .isFalse();
  }

  @Test
  void cleanWithWaitDeletesOnlySegmentsWhoseRecordsAreAllOlder() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(smallSegments(), dir.toString());
    List<WriteAheadLogRecordHandle> handles = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      handles.add(log.write(bytes(record(i)), 10_000 + i));
    }
    long segmentsBefore = segmentFiles();
    log.clean(10_100, true);
    assertThat(segmentFiles()).isLessThan(segmentsBefore);
    List<String> left = readAll(log);
    List<String> needed = new ArrayList<>();
    for (int i = 100; i < 200; i++) {
      needed.add(record(i));
    }
    assertThat(left).endsWith(needed.toArray(new String[0]));
    assertThat(left.size()).isLessThan(200);
    assertThatThrownBy(() -> log.read(handles.get(0))).hasMessageContaining("truncateBefore");
    for (int i = 100; i < 200; i++) {
      assertThat(string(log.read(handles.get(i)))).isEqualTo(record(i));
    }
    log.close();
  }

  @Test
  void cleanWithoutWaitRunsInTheBackgroundAndCloseWaitsForIt() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(smallSegments(), dir.toString());
    for (int i = 0; i < 200; i++) {
      log.write(bytes(record(i)), 10_000 + i);
    }
    long segmentsBefore = segmentFiles();
    log.clean(10_150, false);
    log.close();
    assertThat(segmentFiles()).isLessThan(segmentsBefore);
    ZeroWalSparkLog reopened = new ZeroWalSparkLog(smallSegments(), dir.toString());
    List<String> left = readAll(reopened);
    assertThat(left).contains(record(150)).endsWith(record(199)).hasSizeLessThan(200);
    reopened.close();
  }

  @Test
  void theTimeIndexIsRebuiltFromTheRecordsAfterARestart() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(smallSegments(), dir.toString());
    for (int i = 0; i < 200; i++) {
      log.write(bytes(record(i)), 10_000 + i);
    }
    log.close();
    ZeroWalSparkLog reopened = new ZeroWalSparkLog(smallSegments(), dir.toString());
    long before = segmentFiles();
    reopened.clean(10_120, true);
    assertThat(segmentFiles()).isLessThan(before);
    List<String> left = readAll(reopened);
    assertThat(left).contains(record(120)).doesNotContain(record(0));
    WriteAheadLogRecordHandle h = reopened.write(bytes("after"), 30_000);
    reopened.clean(20_000, true);
    assertThat(readAll(reopened)).containsExactly("after");
    assertThat(string(reopened.read(h))).isEqualTo("after");
    reopened.close();
  }

  @Test
  void cleanKeepsASegmentHoldingALaterRecordEvenIfTimesGoBackwards() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(smallSegments(), dir.toString());
    log.write(bytes("late"), 50_000); // first segment now holds a record Spark still needs
    for (int i = 0; i < 200; i++) {
      log.write(bytes(record(i)), 10_000 + i);
    }
    log.clean(20_000, true);
    assertThat(readAll(log)).hasSize(201).startsWith("late");
    log.close();
  }

  @Test
  void concurrentWritersShareGroupCommits() throws Exception {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf().set(ZeroWalSparkLog.DURABILITY, "SYNC"),
        dir.toString());
    int threads = 8;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<WriteAheadLogRecordHandle>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        List<WriteAheadLogRecordHandle> hs = new ArrayList<>();
        for (int i = 0; i < each; i++) {
          hs.add(log.write(bytes(thread + ":" + i), i));
        }
        return hs;
      }));
    }
    start.countDown();
    List<String> read = new ArrayList<>();
    for (Future<List<WriteAheadLogRecordHandle>> f : futures) {
      for (WriteAheadLogRecordHandle h : f.get(60, TimeUnit.SECONDS)) {
        read.add(string(log.read(h)));
      }
    }
    pool.shutdown();
    assertThat(read).hasSize(threads * each).doesNotHaveDuplicates();
    LogStats stats = log.sharedLog().wal().stats();
    assertThat(stats.records()).isEqualTo(threads * each);
    assertThat(stats.syncs()).as("one sync per group, not per record: %s", stats)
        .isLessThan(threads * each);
    log.close();
  }

  @Test
  void cleansRacingWithWritersNeverDeleteARecordAtOrAfterTheirThreshold() throws Exception {
    cleansRacingWithWriters(smallSegments());
  }

  @Test
  void cleansRacingWithWritersKeepEveryNeededRecordWhenSegmentsAreRecycled() throws Exception {
    cleansRacingWithWriters(smallSegments().set(ZeroWalSparkLog.RECYCLE_SEGMENTS, "true"));
    // The log was closed: its spare files are gone with it.
    try (var files = java.nio.file.Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("recycled-"));
    }
  }

  private void cleansRacingWithWriters(SparkConf conf) throws Exception {
    long seed = System.nanoTime();
    System.out.println("cleansRacingWithWriters seed " + seed + ", " + conf.toDebugString());
    java.util.Random random = new java.util.Random(seed);
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf, dir.toString());
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    int threads = 4;
    int each = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    java.util.Map<Long, WriteAheadLogRecordHandle> byTime = new java.util.concurrent.ConcurrentHashMap<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < each; i++) {
          long time = clock.incrementAndGet();
          byTime.put(time, log.write(bytes("t" + time + "-" + "y".repeat(40)), time));
        }
        return null;
      }));
    }
    start.countDown();
    long lastThreshold = 0;
    while (clock.get() < threads * each - 50) {
      long threshold = Math.max(lastThreshold, clock.get() - 100 - random.nextInt(100));
      log.clean(threshold, random.nextBoolean());
      lastThreshold = threshold;
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    log.clean(lastThreshold, true);
    for (java.util.Map.Entry<Long, WriteAheadLogRecordHandle> e : byTime.entrySet()) {
      if (e.getKey() >= lastThreshold) {
        assertThat(string(log.read(e.getValue()))).as("seed %d", seed)
            .startsWith("t" + e.getKey() + "-");
      }
    }
    // About 50 records a segment: 1,200 records fill 24; those at or after the threshold, 6 or so.
    assertThat(segmentFiles()).as("old segments were deleted").isLessThanOrEqualTo(10);
    log.close();
  }

  @Test
  void instancesOfOneDirectoryShareOneLog() {
    ZeroWalSparkLog a = new ZeroWalSparkLog(conf(), dir.toString());
    ZeroWalSparkLog b = new ZeroWalSparkLog(conf(), dir.toString());
    WriteAheadLogRecordHandle ha = a.write(bytes("a"), 1);
    WriteAheadLogRecordHandle hb = b.write(bytes("b"), 2);
    assertThat(a.sharedLog()).isSameAs(b.sharedLog());
    a.close();
    assertThat(string(b.read(ha))).isEqualTo("a");
    b.write(bytes("c"), 3);
    b.close();
    ZeroWalSparkLog c = new ZeroWalSparkLog(conf(), dir.toString());
    assertThat(readAll(c)).containsExactly("a", "b", "c");
    assertThat(string(c.read(hb))).isEqualTo("b");
    c.close();
  }

  @Test
  void aClosedLogRefusesWritesAndCloseIsIdempotent() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.toString());
    log.write(bytes("x"), 1);
    log.close();
    log.close();
    assertThatThrownBy(() -> log.write(bytes("y"), 2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> log.clean(1, true)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void handlesSurviveJavaSerialization() throws Exception {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.toString());
    WriteAheadLogRecordHandle h = log.write(bytes("x"), 1);
    WriteAheadLogRecordHandle copy = roundTrip(h);
    assertThat(copy).isEqualTo(h).hasSameHashCodeAs(h);
    assertThat(((ZeroWalRecordHandle) copy).directory()).isEqualTo(log.directory());
    log.close();
  }

  @Test
  void aHandleOfAnotherLogClassIsRefusedByName() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir.toString());
    WriteAheadLogRecordHandle foreign = new WriteAheadLogRecordHandle() {
      private static final long serialVersionUID = 1L;
    };
    assertThatThrownBy(() -> log.read(foreign)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a ZeroWalRecordHandle");
    log.close();
  }

  @Test
  void aRecordOverMaxRecordSizeIsRefusedWithTheKeyToRaise() {
    ZeroWalSparkLog log = new ZeroWalSparkLog(smallSegments(), dir.toString());
    assertThatThrownBy(() -> log.write(ByteBuffer.allocate(2048), 1))
        .hasMessageContaining(ZeroWalSparkLog.MAX_RECORD_SIZE);
    log.close();
  }

  @Test
  void invalidOptionsNameTheKeyAndTheFix() {
    assertThatThrownBy(() -> new ZeroWalSparkLog(conf().set(ZeroWalSparkLog.DURABILITY, "FAST"),
        dir.toString())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ZeroWalSparkLog.DURABILITY).hasMessageContaining("FAST")
        .hasMessageContaining("SYNC");
    assertThatThrownBy(() -> new ZeroWalSparkLog(conf().set(ZeroWalSparkLog.SEGMENT_SIZE, "1k"),
        dir.toString())).hasMessageContaining(ZeroWalSparkLog.SEGMENT_SIZE);
    assertThatThrownBy(() -> new ZeroWalSparkLog(conf().set(ZeroWalSparkLog.PREALLOCATE, "maybe"),
        dir.toString())).hasMessageContaining(ZeroWalSparkLog.PREALLOCATE);
    assertThatThrownBy(() -> new ZeroWalSparkLog(conf().set(ZeroWalSparkLog.RECYCLE_SEGMENTS,
        "yes"), dir.toString())).hasMessageContaining(ZeroWalSparkLog.RECYCLE_SEGMENTS)
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> new ZeroWalSparkLog(conf())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ZeroWalSparkLog.DIR + " is not set");
  }

  @Test
  void sparkCreatesTheDriverAndReceiverLogsInTheirOwnDirectories() {
    SparkConf conf = conf().set(ZeroWalSparkLog.DIR, dir.toString())
        .set("spark.streaming.driver.writeAheadLog.class", ZeroWalSparkLog.class.getName())
        .set("spark.streaming.driver.writeAheadLog.allowBatching", "false")
        .set("spark.streaming.receiver.writeAheadLog.class", ZeroWalSparkLog.class.getName());
    WriteAheadLog driver = WriteAheadLogUtils.createLogForDriver(conf, "ignored", new Configuration());
    WriteAheadLog receiver =
        WriteAheadLogUtils.createLogForReceiver(conf, "ignored", new Configuration());
    assertThat(driver).isInstanceOf(ZeroWalSparkLog.class);
    assertThat(((ZeroWalSparkLog) driver).directory()).endsWith("/driver");
    assertThat(((ZeroWalSparkLog) receiver).directory()).endsWith("/receiver-local");
    WriteAheadLogRecordHandle h = driver.write(bytes("meta"), 1);
    receiver.write(bytes("block"), 1);
    assertThat(readAll(driver)).containsExactly("meta");
    assertThat(readAll(receiver)).containsExactly("block");
    assertThat(string(receiver.read(h))).isEqualTo("meta");
    driver.close();
    receiver.close();
    assertThat(dir.resolve("driver")).isDirectory();
    assertThat(dir.resolve("receiver-local")).isDirectory();
  }

  @Test
  void sparksBatchingWrapperRoundTripsThroughTheLog() {
    SparkConf conf = conf().set(ZeroWalSparkLog.DIR, dir.toString())
        .set("spark.streaming.driver.writeAheadLog.class", ZeroWalSparkLog.class.getName());
    WriteAheadLog batched = WriteAheadLogUtils.createLogForDriver(conf, "x", new Configuration());
    assertThat(batched).isNotInstanceOf(ZeroWalSparkLog.class); // Spark's BatchedWriteAheadLog
    for (int i = 0; i < 10; i++) {
      batched.write(bytes("event-" + i), i);
    }
    batched.close();
    WriteAheadLog again = WriteAheadLogUtils.createLogForDriver(conf, "x", new Configuration());
    List<String> events = readAll(again);
    Collections.sort(events);
    assertThat(events).hasSize(10).contains("event-0", "event-9");
    again.close();
  }

  private long segmentFiles() {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".wal")).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static WriteAheadLogRecordHandle roundTrip(WriteAheadLogRecordHandle h) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(h);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (WriteAheadLogRecordHandle) in.readObject();
    }
  }
}
