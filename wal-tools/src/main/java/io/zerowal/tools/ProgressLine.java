/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import java.io.PrintWriter;

/**
 * A one-line progress display: rewrites one line of stderr with a carriage return, at most five
 * times a second. No progress-bar library resolved for the build (me.tongfei:progressbar is not in
 * the repository this project builds from), and one line is all a long verify needs.
 */
final class ProgressLine {
  private static final long EVERY_NANOS = 200_000_000L;

  private final PrintWriter err;
  private long lastShown;
  private int width;

  ProgressLine(PrintWriter err) {
    this.err = err;
  }

  void show(String text) {
    long now = System.nanoTime();
    if (lastShown != 0 && now - lastShown < EVERY_NANOS) {
      return;
    }
    lastShown = now;
    err.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
    err.flush();
    width = text.length();
  }

  void clear() {
    if (width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
    }
  }
}
