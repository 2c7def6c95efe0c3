/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The payload of one ZeroWAL record written by {@link ZeroWalSparkLog}: Spark's bytes behind the
 * time Spark gave with them, so that {@code clean(threshTime)} can be mapped to sequences again
 * after a restart (the index is rebuilt from the records themselves, never kept apart from them).
 *
 * <pre>
 * version:u8 (=1) | time:i64 (Spark's time, ms) | data[...]
 * </pre>
 * little-endian, like every ZeroWAL encoding.
 */
final class TimedRecord {
  static final int HEADER_SIZE = 9;
  private static final byte VERSION = 1;

  private TimedRecord() {}

  /** A new buffer holding the header and the remaining bytes of {@code data} (not consumed). */
  static ByteBuffer encode(ByteBuffer data, long time) {
    ByteBuffer src = data.duplicate();
    ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    out.put(VERSION).putLong(time).put(src);
    out.flip();
    return out;
  }

  /** Spark's time of a record's payload. */
  static long time(ByteBuffer payload, String where) {
    check(payload, where);
    return payload.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(payload.position() + 1);
  }

  /** Spark's bytes of a record's payload, as a buffer of their own at position 0. */
  static ByteBuffer data(ByteBuffer payload, String where) {
    check(payload, where);
    ByteBuffer d = payload.duplicate();
    d.position(payload.position() + HEADER_SIZE);
    return d.slice();
  }

  private static void check(ByteBuffer payload, String where) {
    if (payload.remaining() < HEADER_SIZE || payload.get(payload.position()) != VERSION) {
      throw new IllegalStateException("record " + where + " was not written by ZeroWalSparkLog"
          + " (no version-" + VERSION + " time header): point spark.zerowal.dir at a directory"
          + " that only ZeroWalSparkLog writes");
    }
  }
}
