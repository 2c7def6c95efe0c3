/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Scenario 5: {@link RecordHandle#fromBytes} over arbitrary bytes: either the documented
 * {@link IllegalArgumentException}, or a handle that encodes back to exactly the same bytes.
 */
class RecordHandleFuzzIT {
  private static final java.util.concurrent.atomic.AtomicLong INPUTS =
      new java.util.concurrent.atomic.AtomicLong();

  /** One summary line: inputs run (the committed corpus, or what the fuzzer generated). */
  @org.junit.jupiter.api.AfterAll
  static void summary() {
    io.zerowal.it.Summary.fuzzCorpus("5-fuzz-record-handle", "RecordHandleFuzzIT", INPUTS.get());
  }

  @FuzzTest
  void fromBytes(byte[] data) {
    INPUTS.incrementAndGet();
    RecordHandle h;
    try {
      h = RecordHandle.fromBytes(data);
    } catch (IllegalArgumentException documented) {
      return;
    }
    assertThat(h.toBytes()).isEqualTo(data);
    assertThat(RecordHandle.fromBytes(h.toBytes())).isEqualTo(h);
    assertThat(h.offset()).isGreaterThanOrEqualTo(SegmentHeader.SIZE);
    assertThat(h.length()).isNotNegative();
  }
}
