/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.util.zip.CRC32C;

/**
 * The footer's check over a segment's record frames: CRC32C over each frame's first 8 bytes
 * (length:u32, masked crc:u32, little-endian), in order. A CRC of CRCs, which the masking keeps
 * strong; it costs the writer 8 bytes per record instead of a second pass over the payloads. The one
 * definition used by the writer, recovery, salvage and {@code verify()}.
 */
final class FramesCrc {
  private final CRC32C crc = new CRC32C();
  private final byte[] prefix = new byte[8];

  /** Adds one record frame. */
  void add(int length, int maskedCrc) {
    prefix[0] = (byte) length;
    prefix[1] = (byte) (length >>> 8);
    prefix[2] = (byte) (length >>> 16);
    prefix[3] = (byte) (length >>> 24);
    prefix[4] = (byte) maskedCrc;
    prefix[5] = (byte) (maskedCrc >>> 8);
    prefix[6] = (byte) (maskedCrc >>> 16);
    prefix[7] = (byte) (maskedCrc >>> 24);
    crc.update(prefix, 0, 8);
  }

  /** The check over the frames added so far (unmasked; the footer stores it masked). */
  int value() {
    return (int) crc.getValue();
  }
}
