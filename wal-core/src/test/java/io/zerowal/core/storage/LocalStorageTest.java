/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of {@link LocalStorage} beyond the storage contract. */
class LocalStorageTest {
  @TempDir Path tmp;

  @Test
  void missingDirectoryIsCreatedOwnerOnly() throws IOException {
    Path dir = tmp.resolve("a/wal");
    new LocalStorage(dir).close();

    assumePosix(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void filesAreCreatedOwnerOnly() throws IOException {
    Path dir = tmp.resolve("wal");
    try (LocalStorage storage = new LocalStorage(dir)) {
      storage.create("segment", 0).close();
      storage.create("preallocated", 1024).close();
      storage.lockForWriting();
    }

    assumePosix(dir);
    for (String name : new String[] {"segment", "preallocated", LocalStorage.LOCK_FILE}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
          .as(name).isEqualTo("rw-------");
    }
  }

  @Test
  void preallocationWritesRealZerosToTheRequestedSize() throws IOException {
    Path dir = tmp.resolve("wal");
    try (LocalStorage storage = new LocalStorage(dir);
        SegmentOutput out = storage.create("segment", 3 << 20 | 5)) {
      assertThat(out.position()).isZero();
    }

    assertThat(Files.size(dir.resolve("segment"))).isEqualTo(3 << 20 | 5);
    assertThat(Files.readAllBytes(dir.resolve("segment"))).containsOnly(0);
  }

  @Test
  void lockIsHeldAcrossTwoInstancesOnTheSameDirectory() throws IOException {
    Path dir = tmp.resolve("wal");
    try (LocalStorage first = new LocalStorage(dir); LocalStorage second = new LocalStorage(dir)) {
      first.lockForWriting();

      assertThatThrownBy(second::lockForWriting)
          .isInstanceOf(StorageLockedException.class)
          .hasMessage("log directory " + dir.toAbsolutePath() + " is already open for writing by"
              + " another process or another WriteAheadLog in this JVM; close it first");
    }
  }

  @Test
  void lockHeldInThisJvmStillExcludesOtherProcessesAfterAFailedSecondAttempt() throws Exception {
    Path dir = tmp.resolve("wal");
    try (LocalStorage first = new LocalStorage(dir); LocalStorage second = new LocalStorage(dir)) {
      first.lockForWriting();
      assertThatThrownBy(second::lockForWriting).isInstanceOf(StorageLockedException.class);

      assertThat(probeLockFromAnotherProcess(dir.resolve(LocalStorage.LOCK_FILE))).isEqualTo("held");
    }
    assertThat(probeLockFromAnotherProcess(dir.resolve(LocalStorage.LOCK_FILE))).isEqualTo("free");
  }

  @Test
  void lockFileIsNotListedAndItsNameIsReserved() throws IOException {
    try (LocalStorage storage = new LocalStorage(tmp.resolve("wal"))) {
      storage.lockForWriting();

      assertThat(storage.list()).isEmpty();
      assertThatThrownBy(() -> storage.create(LocalStorage.LOCK_FILE, 0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void pathThatIsARegularFileIsRejectedWithItsName() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> new LocalStorage(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a directory");
  }

  @Test
  void nullDirectoryIsRejected() {
    assertThatThrownBy(() -> new LocalStorage(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("dir");
  }

  @Test
  void writeFailureNamesTheFile() throws IOException {
    Path dir = tmp.resolve("wal");
    try (LocalStorage storage = new LocalStorage(dir)) {
      SegmentOutput out = storage.create("segment", 0);
      out.close();

      assertThatThrownBy(() -> out.write(ByteBuffer.wrap("x".getBytes(UTF_8))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(dir.resolve("segment").toString());
    }
  }

  @Test
  void describeIsTheAbsoluteDirectory() throws IOException {
    try (LocalStorage storage = new LocalStorage(tmp.resolve("wal"))) {
      assertThat(storage.describe()).isEqualTo(tmp.resolve("wal").toAbsolutePath().toString());
    }
  }

  private static void assumePosix(Path path) {
    Assumptions.assumeTrue(path.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "not a POSIX file system");
  }

  private static String probeLockFromAnotherProcess(Path lockFile) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LockProbe.class.getName(), lockFile.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
