/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.Storage;
import io.zerowal.core.storage.StorageContractTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.SafeModeAction;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract, unchanged, on {@link HdfsStorage} in a MiniDFSCluster; then what HdfsStorage
 * says when the cluster or the file system is not fit to hold a log.
 */
class HdfsStorageTest extends StorageContractTest {
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

  @Override
  protected Storage newStorage() throws IOException {
    return new HdfsStorage(hdfs.fs(), new Path("/contract/" + DIRS.incrementAndGet()));
  }

  @Override
  protected Storage sameLocation(Storage first) throws IOException {
    return new HdfsStorage(hdfs.fs(), new Path(first.describe()));
  }

  /** HDFS drops a deleted file's blocks soon after the delete, open readers or not. */
  @Override
  protected boolean readersSurviveDelete() {
    return false;
  }

  @Test
  void aNameNodeInSafeModeIsNamedInTheError() throws Exception {
    try (HdfsStorage storage = new HdfsStorage(hdfs.fs(), new Path("/errors/safemode"))) {
      hdfs.fs().setSafeMode(SafeModeAction.ENTER);
      try {
        assertThatThrownBy(() -> storage.create("a", 0)).hasMessageContaining("safe mode");
      } finally {
        hdfs.fs().setSafeMode(SafeModeAction.LEAVE);
      }
    }
  }

  @Test
  void anotherUsersDirectoryFailsWithAccessDenied() throws Exception {
    Path dir = new Path("/errors/private");
    new HdfsStorage(hdfs.fs(), dir).close(); // created 0700 by the cluster's (super)user
    UserGroupInformation stranger = UserGroupInformation.createUserForTesting("stranger",
        new String[] {"strangers"});
    FileSystem fs = stranger.doAs((PrivilegedExceptionAction<FileSystem>) () ->
        FileSystem.newInstance(hdfs.uri(), hdfs.conf()));
    try (fs) {
      HdfsStorage storage = new HdfsStorage(fs, dir);
      assertThatThrownBy(storage::lockForWriting).isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining(dir.toString()).hasMessageContaining("permission denied");
      assertThatThrownBy(storage::list).isInstanceOf(AccessDeniedException.class);
    }
  }

  @Test
  void aFileSystemThatCannotHflushIsRefusedAtLock(@TempDir java.nio.file.Path local) throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    try (HdfsStorage storage = new HdfsStorage(fs, new Path(local.toUri()))) {
      assertThatThrownBy(storage::lockForWriting).hasMessageContaining("cannot hflush")
          .hasMessageContaining("object store");
    }
  }

  @Test
  void sizeOfAFileStillBeingWrittenIsWhatWasFlushed() throws Exception {
    try (HdfsStorage storage = new HdfsStorage(hdfs.fs(), new Path("/errors/visible"))) {
      var out = storage.create("a", 0);
      out.write(ByteBuffer.wrap(new byte[1000]));
      out.flush();
      assertThat(storage.size("a")).isEqualTo(1000);
      out.write(ByteBuffer.wrap(new byte[500]));
      out.flush();
      assertThat(storage.size("a")).isEqualTo(1500);
      out.close();
    }
  }

  @Test
  void aFileStillBeingWrittenReadsIntoADirectBufferPastWhatWasVisibleAtOpen() throws Exception {
    try (HdfsStorage storage = new HdfsStorage(hdfs.fs(), new Path("/errors/direct"))) {
      byte[] data = new byte[1500];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 31 + 7);
      }
      var out = storage.create("a", 0);
      out.write(ByteBuffer.wrap(data, 0, 1000));
      out.flush();
      try (var raw = hdfs.fs().open(new Path("/errors/direct/a"))) {
        // The input reads straight into the buffer only where the stream can: HDFS's can.
        assertThat(raw.hasCapability(StreamCapabilities.PREADBYTEBUFFER)).isTrue();
      }
      try (var in = storage.openForRead("a")) {
        out.write(ByteBuffer.wrap(data, 1000, 500));
        out.flush();
        // 900..1500 reaches past the 1,000 bytes the input saw when it opened: it reopens.
        ByteBuffer dst = ByteBuffer.allocateDirect(600);
        in.readFully(dst, 900);
        byte[] got = new byte[600];
        dst.flip().get(got);
        assertThat(got).isEqualTo(Arrays.copyOfRange(data, 900, 1500));
      }
      out.close();
    }
  }

  @Test
  void aLongFileIsCutByTruncateAndAppendedToAtOnce() throws Exception {
    byte[] data = new byte[(int) HdfsStorage.COPY_CUT_LIMIT + 300_000];
    new java.util.Random(7).nextBytes(data);
    try (HdfsStorage storage = new HdfsStorage(hdfs.fs(), new Path("/errors/long-cut"))) {
      storage.lockForWriting();
      try (var out = storage.create("a", 0)) {
        out.write(ByteBuffer.wrap(data));
        out.sync();
      }
      long cut = HdfsStorage.COPY_CUT_LIMIT + 1_000; // inside a block: truncate, block recovery

      try (var out = storage.openForWrite("a", cut)) {
        out.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        out.sync();
        assertThat(out.position()).isEqualTo(cut + 3);
      }

      byte[] expected = Arrays.copyOf(data, (int) cut + 3);
      expected[(int) cut] = 1;
      expected[(int) cut + 1] = 2;
      expected[(int) cut + 2] = 3;
      try (var in = storage.openForRead("a")) {
        ByteBuffer all = ByteBuffer.allocate((int) in.size());
        in.readFully(all, 0);
        assertThat(all.array()).isEqualTo(expected);
      }
    }
  }

  @Test
  void theCopyOfAnInterruptedCutIsHiddenAndRemovedByTheNextLock() throws Exception {
    Path dir = new Path("/errors/interrupted-cut");
    try (HdfsStorage storage = new HdfsStorage(hdfs.fs(), dir)) {
      try (var out = storage.create("00000000000000000000.wal", 0)) {
        out.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        out.sync();
      }
      Path copy = new Path(dir, "00000000000000000000.wal" + HdfsStorage.CUT_SUFFIX);
      hdfs.fs().create(copy).close(); // a crash between the copy and its rename

      assertThat(storage.list()).containsExactly("00000000000000000000.wal");
      storage.lockForWriting();

      assertThat(hdfs.fs().exists(copy)).isFalse();
      assertThat(storage.size("00000000000000000000.wal")).isEqualTo(4);
    }
  }
}
