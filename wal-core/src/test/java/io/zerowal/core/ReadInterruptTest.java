/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.LocalStorage;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted {@link WriteAheadLog#read} fails for its own thread only. */
class ReadInterruptTest {
  @TempDir Path dir;

  @Test
  void anInterruptedReadDoesNotBreakReadsOfThatSegmentForOthers() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      RecordHandle h = await(log.append(payload(1, 100)));
      assertThat(bytes(log.read(h))).isEqualTo(payload(1, 100)); // the segment's file is cached

      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        Thread.currentThread().interrupt(); // the JDK closes the channel for every user
        try {
          log.read(h);
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      reader.start();
      reader.join();

      assertThat(failure.get()).isInstanceOf(WalException.class)
          .hasMessageContaining("interrupted");
      assertThat(bytes(log.read(h))).as("another thread reads the same segment")
          .isEqualTo(payload(1, 100));
      RecordHandle later = await(log.append(payload(2, 100)));
      assertThat(bytes(log.read(later))).isEqualTo(payload(2, 100));
    }
  }
}
