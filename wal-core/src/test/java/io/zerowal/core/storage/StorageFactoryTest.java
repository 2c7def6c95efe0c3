/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.LogLockedException;
import io.zerowal.core.WriteAheadLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalStorage.under, named MemoryStorages, and lock conflicts surfacing as themselves. */
class StorageFactoryTest {
  @TempDir Path root;

  @Test
  void underGivesEachNameADirectoryOfItsOwn() throws Exception {
    Function<String, Storage> storages = LocalStorage.under(root);
    try (WriteAheadLog a = WriteAheadLog.builder(storages.apply("a")).open();
        WriteAheadLog b = WriteAheadLog.builder(storages.apply("b")).open()) {
      a.append(new byte[] {1}).join();
      b.append(new byte[] {2}).join();
    }
    assertThat(Files.isDirectory(root.resolve("a"))).isTrue();
    assertThat(Files.isDirectory(root.resolve("b"))).isTrue();
  }

  @Test
  void underRefusesNamesThatLeaveTheRoot() {
    Function<String, Storage> storages = LocalStorage.under(root);
    for (String bad : new String[] {"../escape", "/abs/path", "a/b", "..", ".", ""}) {
      assertThatThrownBy(() -> storages.apply(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(root.toString());
    }
    assertThat(Files.exists(root.getParent().resolve("escape"))).isFalse();
  }

  @Test
  void aNamedMemoryStorageSaysItsNameAndKeepsItThroughACrash() {
    MemoryStorage named = new MemoryStorage("orders");
    assertThat(named.describe()).isEqualTo("memory:orders");
    assertThat(named.crash(1L).describe()).isEqualTo("memory:orders");
    assertThat(new MemoryStorage().describe()).isEqualTo("memory");
    assertThatThrownBy(() -> new MemoryStorage("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLockConflictIsALogLockedExceptionNamingTheLog() {
    MemoryStorage memory = new MemoryStorage("held");
    try (WriteAheadLog first = WriteAheadLog.builder(memory).open()) {
      assertThatThrownBy(() -> WriteAheadLog.builder(memory).open())
          .isInstanceOf(LogLockedException.class).hasMessageContaining("memory:held")
          .hasCauseInstanceOf(StorageLockedException.class);
    }
  }
}
