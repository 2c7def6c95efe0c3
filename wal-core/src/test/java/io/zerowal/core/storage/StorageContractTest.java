/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Storage} must have. Published in wal-core's test-jar: a backend's test
 * extends it and says how to make a storage and a second handle on the same location.
 */
public abstract class StorageContractTest {

  /** A new, empty storage at a fresh location. Called once before each test. */
  protected abstract Storage newStorage() throws IOException;

  /** A second handle on the location of {@code first}, as a second log opening it would use. */
  protected abstract Storage sameLocation(Storage first) throws IOException;

  /** Whether a reader opened before a delete keeps reading the deleted file (POSIX semantics). */
  protected boolean readersSurviveDelete() {
    return true;
  }

  protected Storage storage;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void setUpStorage() throws IOException {
    storage = newStorage();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    storage.close();
  }

  @Test
  void writtenBytesReadBack() throws IOException {
    write("a", "hello, log");

    assertThat(readAll("a")).isEqualTo(bytes("hello, log"));
  }

  @Test
  void gatheringWriteKeepsOrderAndConsumesEveryBuffer() throws IOException {
    ByteBuffer[] buffers = {buffer("skip"), buffer("one "), buffer(""), buffer("two "), buffer("three")};
    SegmentOutput out = created("a", 0);

    out.write(buffers, 1, 4);
    out.sync();

    assertThat(readAll("a")).isEqualTo(bytes("one two three"));
    assertThat(buffers).extracting(ByteBuffer::remaining).containsExactly(4, 0, 0, 0, 0);
  }

  @Test
  void syncFromAnotherThreadWhileWritingLosesAndReordersNothing() throws Exception {
    SegmentOutput out = created("a", 0);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<Throwable> syncFailure = new AtomicReference<>();
    Thread syncer = new Thread(() -> {
      try {
        while (writing.get()) {
          out.sync(); // what the log's background syncer does to a FLUSH log's open segment
        }
      } catch (Throwable t) {
        syncFailure.set(t);
      }
    });
    syncer.start();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try {
      for (int i = 0; i < 2_000; i++) {
        byte[] chunk = ("record " + i + ";").getBytes(UTF_8);
        out.write(new ByteBuffer[] {ByteBuffer.wrap(chunk)}, 0, 1);
        expected.write(chunk);
      }
    } finally {
      writing.set(false);
      syncer.join(10_000);
    }
    assertThat(syncFailure.get()).isNull();
    out.sync();
    assertThat(out.position()).isEqualTo(expected.size());
    assertThat(readAll("a")).isEqualTo(expected.toByteArray());
  }

  @Test
  void positionAdvancesByTheBytesWritten() throws IOException {
    SegmentOutput out = created("a", 0);
    assertThat(out.position()).isZero();

    out.write(buffer("12345"));
    out.write(new ByteBuffer[] {buffer("67"), buffer("890")}, 0, 2);

    assertThat(out.position()).isEqualTo(10);
  }

  @Test
  void listExistsAndSizeDescribeTheFiles() throws IOException {
    write("a", "abc");
    write("b", "defgh");

    assertThat(storage.list()).containsExactlyInAnyOrder("a", "b");
    assertThat(storage.exists("a")).isTrue();
    assertThat(storage.exists("c")).isFalse();
    assertThat(storage.size("b")).isEqualTo(5);
  }

  @Test
  void listNeverIncludesTheLockFile() throws IOException {
    storage.lockForWriting();
    write("a", "abc");

    assertThat(storage.list()).containsExactly("a");
  }

  @Test
  void createOfAnExistingNameFailsWithFileAlreadyExists() throws IOException {
    write("a", "keep me");

    assertThatThrownBy(() -> storage.create("a", 0)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(readAll("a")).isEqualTo(bytes("keep me"));
  }

  @Test
  void missingFilesFailWithNoSuchFile() {
    assertThatThrownBy(() -> storage.size("nope")).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> storage.openForRead("nope")).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> storage.openForWrite("nope", 0)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> storage.delete("nope")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void namesThatAreNotPlainFileNamesAreRejected() {
    for (String bad : new String[] {null, "", "a/b", "..", "."}) {
      assertThatThrownBy(() -> storage.create(bad, 0))
          .as("name %s", bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void renameMovesTheContentToTheNewName() throws IOException {
    write("a", "content");

    storage.rename("a", "b");
    storage.syncDirectory();

    assertThat(storage.list()).containsExactly("b");
    assertThat(readAll("b")).isEqualTo(bytes("content"));
  }

  @Test
  void renameOntoAnExistingNameFailsAndKeepsBothFiles() throws IOException {
    write("a", "first");
    write("b", "second");

    assertThatThrownBy(() -> storage.rename("a", "b")).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(readAll("a")).isEqualTo(bytes("first"));
    assertThat(readAll("b")).isEqualTo(bytes("second"));
  }

  @Test
  void deleteRemovesTheFile() throws IOException {
    write("a", "gone");

    storage.delete("a");
    storage.syncDirectory();

    assertThat(storage.exists("a")).isFalse();
    assertThat(storage.list()).isEmpty();
  }

  @Test
  void readerOpenedBeforeDeleteKeepsReading() throws IOException {
    Assumptions.assumeTrue(readersSurviveDelete());
    write("a", "still here");
    SegmentInput in = opened("a");

    storage.delete("a");

    ByteBuffer dst = ByteBuffer.allocate(10);
    in.readFully(dst, 0);
    assertThat(dst.array()).isEqualTo(bytes("still here"));
  }

  @Test
  void truncateCutsTheFile() throws IOException {
    write("a", "0123456789");

    storage.truncate("a", 4);

    assertThat(storage.size("a")).isEqualTo(4);
    assertThat(readAll("a")).isEqualTo(bytes("0123"));
  }

  @Test
  void openForWriteAtAPositionOverwritesAndExtendsFromThere() throws IOException {
    write("a", "0123456789");

    SegmentOutput out = storage.openForWrite("a", 6);
    toClose.add(out);
    out.write(buffer("abcdef"));
    out.sync();

    assertThat(out.position()).isEqualTo(12);
    assertThat(readAll("a")).isEqualTo(bytes("012345abcdef"));
  }

  @Test
  void openForWritePastTheEndIsRejected() throws IOException {
    write("a", "0123");

    assertThatThrownBy(() -> storage.openForWrite("a", 5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void preallocatedFileReadsZerosAfterTheWrittenData() throws IOException {
    SegmentOutput out = created("a", 4096);
    out.write(buffer("data"));
    out.sync();

    byte[] all = readAll("a");

    if (all.length == 4) {
      return; // a storage that cannot preallocate may ignore the request
    }
    assertThat(all).hasSize(4096);
    assertThat(Arrays.copyOf(all, 4)).isEqualTo(bytes("data"));
    assertThat(Arrays.copyOfRange(all, 4, 4096)).containsOnly(0);
  }

  @Test
  void truncateToPositionCutsThePreallocatedTail() throws IOException {
    SegmentOutput out = created("a", 4096);
    out.write(buffer("data"));

    out.truncateToPosition();
    out.sync();

    assertThat(storage.size("a")).isEqualTo(4);
    assertThat(readAll("a")).isEqualTo(bytes("data"));
  }

  @Test
  void readAtOrPastTheEndReturnsMinusOne() throws IOException {
    write("a", "abc");
    SegmentInput in = opened("a");

    assertThat(in.read(ByteBuffer.allocate(8), 3)).isEqualTo(-1);
    assertThat(in.read(ByteBuffer.allocate(8), 100)).isEqualTo(-1);
    assertThat(in.read(ByteBuffer.allocateDirect(8), 3)).isEqualTo(-1);
  }

  @Test
  void readReturnsTheBytesUpToTheEndIntoAHeapOrADirectBuffer() throws IOException {
    write("a", "abcdef");
    SegmentInput in = opened("a");
    for (ByteBuffer dst : List.of(ByteBuffer.allocate(8), ByteBuffer.allocateDirect(8))) {
      int n = in.read(dst, 2);

      assertThat(n).as("bytes read, direct buffer: %s", dst.isDirect()).isEqualTo(4);
      assertThat(dst.position()).isEqualTo(4);
      byte[] got = new byte[4];
      dst.flip().get(got);
      assertThat(got).isEqualTo(bytes("cdef"));
    }
    assertThat(in.size()).isEqualTo(6);
  }

  @Test
  void readFullyFillsADirectBufferFromItsPositionToItsLimitOnly() throws IOException {
    write("a", "0123456789abcdef");
    SegmentInput in = opened("a");
    ByteBuffer dst = ByteBuffer.allocateDirect(16);
    while (dst.hasRemaining()) {
      dst.put((byte) 'x');
    }
    dst.position(3).limit(9);

    in.readFully(dst, 4);

    assertThat(dst.position()).isEqualTo(9);
    assertThat(dst.limit()).isEqualTo(9);
    byte[] all = new byte[16];
    dst.clear().get(all);
    assertThat(all).isEqualTo(bytes("xxx456789xxxxxxx"));
  }

  @Test
  void readFullyPastTheEndThrowsEofException() throws IOException {
    write("a", "abc");
    SegmentInput in = opened("a");

    assertThatThrownBy(() -> in.readFully(ByteBuffer.allocate(4), 0)).isInstanceOf(EOFException.class);
  }

  @Test
  void flushAndSyncAndSyncDirectorySucceedOnAHealthyMedium() throws IOException {
    SegmentOutput out = created("a", 0);
    out.write(buffer("x"));

    out.flush();
    out.sync();
    storage.syncDirectory();

    assertThat(readAll("a")).isEqualTo(bytes("x"));
  }

  @Test
  void secondLockOnTheSameLocationFailsWhileTheFirstHoldsIt() throws IOException {
    storage.lockForWriting();
    Storage second = sameLocation(storage);

    assertThatThrownBy(second::lockForWriting)
        .isInstanceOf(StorageLockedException.class)
        .hasMessageContaining("close");
    if (second != storage) {
      second.close();
    }
  }

  @Test
  void lockCanBeTakenAgainAfterTheFirstHolderCloses() throws IOException {
    storage.lockForWriting();
    Storage second = sameLocation(storage);

    storage.close();
    second.lockForWriting();
    second.close();
  }

  // ---- helpers -----------------------------------------------------------------------------

  private SegmentOutput created(String name, long preallocate) throws IOException {
    SegmentOutput out = storage.create(name, preallocate);
    toClose.add(out);
    return out;
  }

  private SegmentInput opened(String name) throws IOException {
    SegmentInput in = storage.openForRead(name);
    toClose.add(in);
    return in;
  }

  private void write(String name, String content) throws IOException {
    try (SegmentOutput out = storage.create(name, 0)) {
      out.write(buffer(content));
      out.sync();
    }
  }

  private byte[] readAll(String name) throws IOException {
    try (SegmentInput in = storage.openForRead(name)) {
      ByteBuffer dst = ByteBuffer.allocate(Math.toIntExact(in.size()));
      in.readFully(dst, 0);
      return dst.array();
    }
  }

  protected static ByteBuffer buffer(String s) {
    return ByteBuffer.wrap(bytes(s));
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
