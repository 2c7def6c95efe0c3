/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.LogReader;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM of {@link FileDescriptorLimitIT}, run under a low {@code ulimit -n}: writes a log
 * of {@code args[1]} small segments in {@code args[0]}, reads every record back by handle (twice,
 * the second time newest first) and by replay, and prints {@code OK <records>} or the failure.
 */
public final class ManySegmentsChild {
  private ManySegmentsChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int segments = Integer.parseInt(args[1]);
    List<RecordHandle> handles = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(4096)
        .open()) {
      for (int i = 0; log.stats().segments() <= segments; i++) {
        handles.add(log.append(payload(i)).join());
      }
      for (int pass = 0; pass < 2; pass++) {
        for (int n = 0; n < handles.size(); n++) {
          int i = pass == 0 ? n : handles.size() - 1 - n;
          check(log.read(handles.get(i)), i);
        }
      }
      int replayed = 0;
      try (LogReader r = log.readFrom(0)) {
        for (var rec : r) {
          check(rec.payload(), replayed++);
        }
      }
      if (replayed != handles.size()) {
        throw new AssertionError("replayed " + replayed + " of " + handles.size());
      }
    }
    System.out.println("OK " + handles.size());
  }

  private static byte[] payload(int i) {
    byte[] b = new byte[1500];
    Arrays.fill(b, (byte) i);
    ByteBuffer.wrap(b).putInt(i);
    return b;
  }

  private static void check(ByteBuffer got, int i) {
    byte[] bytes = new byte[got.remaining()];
    got.duplicate().get(bytes);
    if (!Arrays.equals(bytes, payload(i))) {
      throw new AssertionError("record " + i + " read back wrong");
    }
  }
}
