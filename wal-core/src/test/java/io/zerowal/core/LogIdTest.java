/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The handle tag is SipHash-2-4. */
class LogIdTest {
  @Test
  void sipHashMatchesTheReferenceVectorFor32Bytes() {
    // Key 00..0f, message 00..1f, as in the reference implementation's vectors; the value was
    // computed with an independent implementation that reproduces the published vector for the
    // empty message (0x726fdb47dd0e0e31).
    LogId key = new LogId(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
    assertThat(key.sipHash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 0x1716151413121110L,
        0x1f1e1d1c1b1a1918L)).isEqualTo(0x7127512f72f27cceL);
  }

  @Test
  void tagsDifferPerFieldAndPerKey() {
    LogId a = new LogId(1, 2);
    LogId b = new LogId(1, 3);
    long t = a.tag(0, 20, 5, 0);
    assertThat(a.tag(0, 20, 5, 0)).isEqualTo(t);
    assertThat(b.tag(0, 20, 5, 0)).isNotEqualTo(t);
    assertThat(a.tag(0, 21, 5, 0)).isNotEqualTo(t);
    assertThat(a.tag(0, 20, 6, 0)).isNotEqualTo(t);
    assertThat(a.tag(0, 20, 5, 1)).isNotEqualTo(t);
  }
}
