/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zerowal.core.Durability;
import io.zerowal.core.LogFailedException;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real log on HDFS: append, read, replay, truncate, verify, reopen, lease recovery, fencing. */
class HdfsLogTest {
  private static final AtomicInteger DIRS = new AtomicInteger();
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startCluster() throws IOException {
    hdfs = MiniHdfs.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private static Path newDir() {
    return new Path("/logs/" + DIRS.incrementAndGet());
  }

  private static WriteAheadLog open(FileSystem fs, Path dir, Durability durability)
      throws IOException {
    return WriteAheadLog.builder(new HdfsStorage(fs, dir)).durability(durability)
        .segmentSize(64 << 10).maxRecordSize(8 << 10).open();
  }

  static byte[] payload(long id, int length) {
    byte[] b = new byte[length];
    long x = id * 0x9E3779B97F4A7C15L + length;
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b[i] = (byte) x;
    }
    return b;
  }

  private static List<RecordHandle> appendAll(WriteAheadLog log, long firstId, int count)
      throws Exception {
    List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(log.append(payload(firstId + i, 100 + (int) ((firstId + i) % 900))));
    }
    List<RecordHandle> handles = new ArrayList<>();
    for (CompletableFuture<RecordHandle> f : futures) {
      handles.add(f.get(30, TimeUnit.SECONDS));
    }
    return handles;
  }

  private static List<byte[]> replay(WriteAheadLog log, long from) {
    List<byte[]> records = new ArrayList<>();
    try (LogReader reader = log.readFrom(from)) {
      for (LogRecord rec : reader) {
        ByteBuffer p = rec.payload();
        byte[] b = new byte[p.remaining()];
        p.get(b);
        records.add(b);
      }
    }
    return records;
  }

  private static List<byte[]> expected(long firstId, int count) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(payload(firstId + i, 100 + (int) ((firstId + i) % 900)));
    }
    return list;
  }

  @Test
  void appendReadReplayTruncateVerifyAndReopenOnHdfs() throws Exception {
    Path dir = newDir();
    List<RecordHandle> handles;
    try (WriteAheadLog log = open(hdfs.fs(), dir, Durability.SYNC)) {
      handles = appendAll(log, 0, 1_000); // about 550 KiB: several 64 KiB segments
      for (int i = 0; i < handles.size(); i += 37) {
        ByteBuffer p = log.read(handles.get(i));
        byte[] b = new byte[p.remaining()];
        p.get(b);
        assertThat(b).isEqualTo(payload(i, 100 + i % 900));
      }
      assertThat(replay(log, 0)).containsExactlyElementsOf(expected(0, 1_000));
      assertThat(log.verify()).isEqualTo(1_000);
      int deleted = log.truncateBefore(500);
      assertThat(deleted).isPositive();
      assertThat(log.firstSequence()).isBetween(1L, 500L);
    }
    try (WriteAheadLog log = open(hdfs.fs(), dir, Durability.SYNC)) {
      long first = log.firstSequence();
      assertThat(log.nextSequence()).isEqualTo(1_000);
      assertThat(log.recoveryReport().bytesTruncated()).isZero();
      assertThat(replay(log, first)).containsExactlyElementsOf(expected(first, 1_000 - (int) first));
      appendAll(log, 1_000, 10);
      assertThat(replay(log, 990)).containsExactlyElementsOf(expected(990, 20));
    }
  }

  @Test
  void readSeesRecordsWrittenAfterTheSegmentWasFirstRead() throws Exception {
    try (WriteAheadLog log = open(hdfs.fs(), newDir(), Durability.FLUSH)) {
      RecordHandle first = log.append(payload(1, 200)).get(30, TimeUnit.SECONDS);
      assertThat(bytes(log.read(first))).isEqualTo(payload(1, 200));

      RecordHandle second = log.append(payload(2, 300)).get(30, TimeUnit.SECONDS);

      assertThat(second.segment()).isEqualTo(first.segment());
      assertThat(bytes(log.read(second))).isEqualTo(payload(2, 300));
    }
  }

  @Test
  void readIntoADirectBufferOnHdfsReturnsEachRecordAndSeesLaterOnes() throws Exception {
    try (WriteAheadLog log = open(hdfs.fs(), newDir(), Durability.FLUSH)) {
      ByteBuffer direct = ByteBuffer.allocateDirect(4096);
      RecordHandle first = log.append(payload(1, 200)).get(30, TimeUnit.SECONDS);
      ByteBuffer read = log.read(first, direct);
      assertThat(read.isDirect()).as("read in place into the caller's direct buffer").isTrue();
      assertThat(bytes(read)).isEqualTo(payload(1, 200));

      RecordHandle second = log.append(payload(2, 3000)).get(30, TimeUnit.SECONDS);

      assertThat(second.segment()).isEqualTo(first.segment());
      assertThat(bytes(log.read(second, direct))).isEqualTo(payload(2, 3000));
    }
  }

  @Test
  void reopeningAfterACloseWithoutAppendsContinuesTheLog() throws Exception {
    Path dir = newDir();
    try (WriteAheadLog log = open(hdfs.fs(), dir, Durability.SYNC)) {
      appendAll(log, 0, 5);
    }
    for (int i = 0; i < 2; i++) {
      open(hdfs.fs(), dir, Durability.SYNC).close(); // leaves an empty sealed segment to write into
    }
    try (WriteAheadLog log = open(hdfs.fs(), dir, Durability.SYNC)) {
      appendAll(log, 5, 5);
      assertThat(replay(log, 0)).containsExactlyElementsOf(expected(0, 10));
    }
  }

  @Test
  void writerLeftOpenByAnotherClientIsRecoveredWithEveryAcknowledgedRecord() throws Exception {
    Path dir = newDir();
    FileSystem deadClient = hdfs.newClient();
    WriteAheadLog abandoned = open(deadClient, dir, Durability.FLUSH);
    appendAll(abandoned, 0, 300); // acknowledged after hflush; the segment stays open for write

    try (FileSystem other = hdfs.newClient();
        WriteAheadLog log = open(other, dir, Durability.FLUSH)) {
      assertThat(log.nextSequence()).isEqualTo(300);
      assertThat(replay(log, 0)).containsExactlyElementsOf(expected(0, 300));
    } finally {
      deadClient.close();
    }
  }

  @Test
  void fencedWriterFailsOnItsNextAppendAndAcknowledgesNothingMore() throws Exception {
    Path dir = newDir();
    try (FileSystem clientA = hdfs.newClient(); FileSystem clientB = hdfs.newClient()) {
      WriteAheadLog a = open(clientA, dir, Durability.SYNC);
      appendAll(a, 0, 200);

      try (WriteAheadLog b = open(clientB, dir, Durability.SYNC)) {
        assertThat(b.nextSequence()).isEqualTo(200);

        CompletableFuture<RecordHandle> late = a.append(payload(999_999, 100));
        assertThatThrownBy(() -> late.get(60, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(LogFailedException.class);
        Throwable next = catchThrowable(() -> a.append(payload(999_998, 100)).get(60, TimeUnit.SECONDS));
        assertThat(next instanceof ExecutionException ? next.getCause() : next)
            .isInstanceOf(LogFailedException.class); // thrown at once or failed: either way not acked
        a.close();

        appendAll(b, 200, 100);
        assertThat(replay(b, 0)).containsExactlyElementsOf(expected(0, 300));
      }
    }
  }

  @Test
  void fencedStorageChangesNoFile() throws Exception {
    Path dir = newDir();
    try (FileSystem clientA = hdfs.newClient(); FileSystem clientB = hdfs.newClient();
        HdfsStorage a = new HdfsStorage(clientA, dir); HdfsStorage b = new HdfsStorage(clientB, dir)) {
      a.lockForWriting();
      a.create("kept", 0).close();

      b.lockForWriting();

      assertThatThrownBy(() -> a.create("new", 0)).isInstanceOf(WriterFencedException.class)
          .hasMessageContaining("zerowal.lock");
      assertThatThrownBy(() -> a.delete("kept")).isInstanceOf(WriterFencedException.class);
      assertThatThrownBy(() -> a.rename("kept", "other")).isInstanceOf(WriterFencedException.class);
      assertThat(b.list()).containsExactly("kept");
    }
  }

  @Test
  void secondLockOnTheSameClientIsRefusedAndTheFirstKeepsWriting() throws Exception {
    Path dir = newDir();
    try (WriteAheadLog log = open(hdfs.fs(), dir, Durability.SYNC)) {
      assertThatThrownBy(() -> open(hdfs.fs(), dir, Durability.SYNC))
          .hasMessageContaining("already open for writing");
      appendAll(log, 0, 3);
    }
  }

  @Test
  void directoryIsCreatedWithPermission0700() throws Exception {
    Path dir = new Path(newDir(), "deep/wal");
    new HdfsStorage(hdfs.fs(), dir).close();

    assertThat(hdfs.fs().getFileStatus(dir).getPermission().toShort()).isEqualTo((short) 0700);
  }

  @Test
  void aLeaseRecoveryThatDoesNotFinishInTimeNamesTheFileAndTheWait() throws Exception {
    Path dir = newDir();
    try (FileSystem writer = hdfs.newClient(); FileSystem other = hdfs.newClient()) {
      var out = writer.create(new Path(dir, "00000000000000000000.wal"));
      out.write(new byte[100]);
      out.hflush(); // left open: its lease recovery takes about a heartbeat (1 s here)
      HdfsStorage storage = HdfsStorage.builder(other, dir)
          .leaseRecoveryTimeout(java.time.Duration.ofMillis(1)).build();

      assertThatThrownBy(storage::lockForWriting)
          .hasMessageContaining(dir + "/00000000000000000000.wal")
          .hasMessageContaining("still not closed after 1 ms")
          .hasMessageContaining("leaseRecoveryTimeout");

      storage.close();
    }
  }

  private static byte[] bytes(ByteBuffer p) {
    byte[] b = new byte[p.remaining()];
    p.get(b);
    return b;
  }
}
