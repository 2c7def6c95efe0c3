/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.security.SecureRandom;

/**
 * A log's identity: 128 random bits chosen when the log's first segment is created, written in
 * every segment header, and the key with which the log signs its {@link RecordHandle}s. A segment
 * with another id belongs to another log (corruption); a handle whose tag this key does not
 * reproduce was not issued by this log, and {@link WriteAheadLog#read} refuses it.
 *
 * <p>The tag is SipHash-2-4 (Aumasson and Bernstein), a keyed pseudo-random function made for
 * short inputs: its key cannot be recovered from tags, so handles, which are stored in other
 * metadata, do not give away the key needed to forge one.
 */
record LogId(long k0, long k1) {
  private static final SecureRandom RANDOM = new SecureRandom();

  static LogId random() {
    return new LogId(RANDOM.nextLong(), RANDOM.nextLong());
  }

  /**
   * The tag of a handle with these fields: SipHash-2-4 of the four fields as little-endian u64s
   * (32 bytes). Plain locals, no allocation: it runs once per append.
   */
  long tag(long segment, long offset, int length, long sequence) {
    return sipHash24(segment, offset, length & 0xFFFFFFFFL, sequence);
  }

  /** SipHash-2-4 under this key of the 32-byte message {@code m0 | m1 | m2 | m3} (little-endian). */
  long sipHash24(long m0, long m1, long m2, long m3) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    // Five 8-byte blocks (the last one holds the message length, 32), two rounds each, then four
    // finalization rounds.
    for (int block = 0; block < 9; block++) {
      long m = block == 0 ? m0 : block == 1 ? m1 : block == 2 ? m2 : block == 3 ? m3 : 32L << 56;
      if (block < 5) {
        v3 ^= m;
      } else if (block == 5) {
        v2 ^= 0xff;
      }
      int rounds = block < 5 ? 2 : 1;
      for (int r = 0; r < rounds; r++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
      }
      if (block < 5) {
        v0 ^= m;
      }
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  @Override
  public String toString() {
    return String.format("%016x", k0); // half the id names it; the key stays out of messages
  }
}
