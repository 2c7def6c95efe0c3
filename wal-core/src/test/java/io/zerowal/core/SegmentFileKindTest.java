/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment replaced by something that is not a file fails with a message saying what it is. */
class SegmentFileKindTest {
  @TempDir Path dir;

  /** Writes three segments and returns their names, oldest first. */
  private List<String> writeThreeSegments() throws Exception {
    List<RecordHandle> handles = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096)
        .open()) {
      for (int i = 0; log.stats().segments() < 3; i++) {
        handles.add(await(log.append(payload(i, 1000))));
      }
    }
    List<String> names = new ArrayList<>();
    for (RecordHandle h : handles) {
      String name = SegmentName.of(h.segment());
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private void replaceByDirectory(String name) throws IOException {
    Files.delete(dir.resolve(name));
    Files.createDirectory(dir.resolve(name));
  }

  @Test
  void aFirstSegmentReplacedByADirectoryFailsOpenNamingIt() throws Exception {
    String first = writeThreeSegments().get(0);
    replaceByDirectory(first);

    assertThatThrownBy(() -> WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096).open())
        .hasMessageContaining(dir.resolve(first).toString())
        .hasMessageContaining("is a directory");
  }

  @Test
  void aMiddleSegmentThatIsADanglingLinkFailsOpenNamingIt() throws Exception {
    String middle = writeThreeSegments().get(1);
    Files.delete(dir.resolve(middle));
    Files.createSymbolicLink(dir.resolve(middle), dir.resolve("gone"));

    assertThatThrownBy(() -> WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096).open())
        .hasMessageContaining(dir.resolve(middle).toString())
        .hasMessageContaining("dangling symbolic link");
  }

  @Test
  void readingASegmentReplacedByADirectoryWhileOpenNamesIt() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096)
        .open()) {
      RecordHandle h = await(log.append(payload(0, 1000)));
      while (log.stats().segments() < 2) {
        await(log.append(payload(1, 1000)));
      }
      replaceByDirectory(SegmentName.of(h.segment()));

      assertThatThrownBy(() -> log.read(h))
          .hasMessageContaining(dir.resolve(SegmentName.of(h.segment())).toString())
          .hasMessageContaining("is a directory");
    }
  }
}
