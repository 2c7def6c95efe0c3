/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Self-describing test payloads, so that a record read back after a crash can be judged on its own:
 * <pre>
 * magic:u32 "ZTPL" | key:u64 (phase:u16 | writer:u16 | index:u32) | bodyLength:u16 | body | crc32c:u32
 * </pre>
 * The body is derived from the key and a salt, so {@link #expected} rebuilds the exact bytes: a record
 * that parses but differs is corrupt, a key never appended is a phantom.
 */
final class Payloads {
  static final int MAGIC = 0x4C50545A;
  static final int OVERHEAD = 4 + 8 + 2 + 4;

  private Payloads() {}

  static long key(int phase, int writer, int index) {
    return ((long) phase << 48) | ((long) (writer & 0xFFFF) << 32) | (index & 0xFFFFFFFFL);
  }

  static int writerOf(long key) {
    return (int) (key >>> 32) & 0xFFFF;
  }

  static int indexOf(long key) {
    return (int) key;
  }

  /** The payload of {@code key}: body length in {@code [0, maxBody]}, bytes fixed by key and salt. */
  static byte[] expected(long key, long salt, int maxBody) {
    SplittableRandom r = new SplittableRandom(key * 0x9E3779B97F4A7C15L ^ salt);
    int bodyLength = maxBody == 0 ? 0 : r.nextInt(maxBody + 1);
    ByteBuffer b = ByteBuffer.allocate(OVERHEAD + bodyLength).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putLong(key).putShort((short) bodyLength);
    for (int i = 0; i < bodyLength; i++) {
      b.put((byte) r.nextInt(256));
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** The key a payload claims, or -1 if it is not a well-formed payload (wrong magic, length or CRC). */
  static long parse(byte[] payload) {
    if (payload.length < OVERHEAD) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != MAGIC) {
      return -1;
    }
    int bodyLength = b.getShort(12) & 0xFFFF;
    if (payload.length != OVERHEAD + bodyLength) {
      return -1;
    }
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, payload.length - 4);
    if ((int) crc.getValue() != b.getInt(payload.length - 4)) {
      return -1;
    }
    return b.getLong(4);
  }
}
