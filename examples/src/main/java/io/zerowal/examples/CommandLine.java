/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import java.util.Arrays;

/** Positional arguments of the example apps. Blank ones count as absent (Maven passes them). */
final class CommandLine {
  private CommandLine() {}

  static String[] nonBlank(String[] args) {
    return Arrays.stream(args).filter(s -> !s.isBlank()).toArray(String[]::new);
  }

  static long longArg(String[] args, int index, String name, long fallback) {
    if (args.length <= index) {
      return fallback;
    }
    try {
      long value = Long.parseLong(args[index].replace("_", "").replace(",", ""));
      if (value < 0) {
        throw new IllegalArgumentException(name + " must not be negative, got " + args[index]);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " (argument " + (index + 1) + ") must be a whole"
          + " number, got '" + args[index] + "'");
    }
  }

  static int intArg(String[] args, int index, String name, int fallback) {
    long value = longArg(args, index, name, fallback);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is too large: " + value);
    }
    return (int) value;
  }
}
