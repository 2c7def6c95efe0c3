/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import java.nio.file.Path;

/** Counts and seeds of the torture suite, read from system properties (set by the POM; -Ptorture raises them). */
final class Settings {
  private Settings() {}

  static int count(String property, int ciDefault) {
    return Integer.getInteger(property, ciDefault);
  }

  /** The first seed of every scenario; run {@code i} uses {@code seed() + i}. Override with -Dit.seed=N. */
  static long seed() {
    return Long.getLong("it.seed", 1L);
  }

  static Path reliabilityDir() {
    return Path.of(System.getProperty("reliability.dir", "target/reliability"));
  }
}
