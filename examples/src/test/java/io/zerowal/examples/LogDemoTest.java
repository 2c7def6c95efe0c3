/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDemoTest {
  @TempDir Path dir;

  @Test
  void smallRunWritesReopensAndChecksEveryRecord() throws Exception {
    assertThat(new LogDemo(false).run(5_000, 3, 100, dir.resolve("log"), false)).isTrue();
  }

  @Test
  void payloadDependsOnThreadAndIndexOnly() {
    ByteBuffer a = LogDemo.payload(2, 7, 1024);
    assertThat(a).isEqualTo(LogDemo.payload(2, 7, 1024));
    assertThat(a).isNotEqualTo(LogDemo.payload(2, 8, 1024)).isNotEqualTo(LogDemo.payload(3, 7, 1024));
    assertThat(a.getInt(0)).isEqualTo(2);
    assertThat(a.getLong(4)).isEqualTo(7);
  }
}
