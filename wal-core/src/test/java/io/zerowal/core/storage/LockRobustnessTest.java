/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.LogFailedException;
import io.zerowal.core.WriteAheadLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting or replacing the lock file of an open log never lets two processes write it. */
class LockRobustnessTest {
  @TempDir Path dir;

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static String probe(Path lockFile) throws Exception {
    Process process = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        LockProbe.class.getName(), lockFile.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }

  private static boolean eventually(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Test
  void aDeletedLockFileIsTakenAgainBeforeAnotherProcessCanOpenTheLog() throws Exception {
    Path lockFile = dir.resolve(LocalStorage.LOCK_FILE);
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      log.append(new byte[] {1}).get(30, TimeUnit.SECONDS);
      Files.delete(lockFile); // a temp cleaner

      assertThat(eventually(() -> Files.exists(lockFile))).as("lock file re-created").isTrue();
      assertThat(probe(lockFile)).isEqualTo("held");
      assertThat(log.append(new byte[] {2}).get(30, TimeUnit.SECONDS).sequence()).isEqualTo(1);
    }
  }

  @Test
  void aLockFileReplacedByOneAnotherProcessHoldsStopsTheLog() throws Exception {
    Path lockFile = dir.resolve(LocalStorage.LOCK_FILE);
    Path other = dir.resolve("other.lock");
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      log.append(new byte[] {1}).get(30, TimeUnit.SECONDS);
      Process holder = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
          LockHolder.class.getName(), other.toString()).redirectErrorStream(true).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
            UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        // Another process's locked file now has the lock file's name.
        Files.move(other, lockFile, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);

        assertThat(eventually(() -> {
          try {
            log.append(new byte[] {2}).get(30, TimeUnit.SECONDS);
            return false;
          } catch (Exception e) {
            return true;
          }
        })).as("the log stops writing").isTrue();
        assertThatThrownBy(() -> log.append(new byte[] {3}))
            .isInstanceOf(LogFailedException.class).hasMessageContaining("lost the write lock");
      } finally {
        holder.getOutputStream().close();
        holder.waitFor(30, TimeUnit.SECONDS);
        holder.destroy();
      }
    }
  }
}
