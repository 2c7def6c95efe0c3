/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** Segment file names: the base sequence as 20 decimal digits, then {@code .wal}. */
final class SegmentName {
  static final String SUFFIX = ".wal";
  static final String CORRUPT_SUFFIX = ".corrupt";
  static final String TEMP_SUFFIX = ".tmp";
  private static final int DIGITS = 20;

  private SegmentName() {}

  static String of(long baseSequence) {
    String digits = Long.toString(baseSequence);
    return "0".repeat(DIGITS - digits.length()) + digits + SUFFIX;
  }

  /** The base sequence a segment name encodes, or -1 if the name is not a segment name. */
  static long parse(String name) {
    if (name.length() != DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < DIGITS; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      try {
        value = Math.addExact(Math.multiplyExact(value, 10), c - '0');
      } catch (ArithmeticException overflow) {
        return -1;
      }
    }
    return value;
  }
}
