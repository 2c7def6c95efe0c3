/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.storage.MemoryStorage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sealing a preallocated segment writes the footer, cuts the preallocated zeros and then syncs: a
 * crash before the sync can keep the footer but not the cut. Found by the torture suite
 * (src-test-it FsPowerLossIT); the state is built here directly.
 */
class SealCrashRecoveryTest {
  private static final int SEGMENT_SIZE = 4096;

  private static WriteAheadLog open(MemoryStorage mem) {
    return WriteAheadLog.builder(mem).segmentSize(SEGMENT_SIZE).maxRecordSize(1000)
        .preallocate(true).open();
  }

  /** The footer survived, the cut of the zeros behind it did not. */
  private static void loseTheCut(MemoryStorage mem, String segment) throws Exception {
    byte[] sealed = mem.contents(segment);
    mem.replaceContents(segment, Arrays.copyOf(sealed, SEGMENT_SIZE));
  }

  @Test
  void footerFollowedByPreallocatedZerosEndsTheLastSegment() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    List<byte[]> payloads = new ArrayList<>();
    try (WriteAheadLog log = open(mem)) {
      for (int i = 0; i < 5; i++) {
        byte[] p = ("record-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        payloads.add(p);
        log.append(p).get();
      }
    }
    loseTheCut(mem, SegmentName.of(0));

    try (WriteAheadLog log = open(mem)) {
      assertThat(log.nextSequence()).isEqualTo(5);
      List<byte[]> read = new ArrayList<>();
      try (LogReader r = log.readFrom(0)) {
        r.forEach(rec -> read.add(rec.payloadBytes()));
      }
      assertThat(read).containsExactlyElementsOf(payloads);
      assertThat(log.append(new byte[] {42}).get().sequence()).isEqualTo(5);
    }
    try (WriteAheadLog log = open(mem)) {
      assertThat(log.verify()).isEqualTo(6);
    }
  }

  @Test
  void emptySealedSegmentFollowedByPreallocatedZerosIsReused() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    open(mem).close(); // seals the empty first segment
    loseTheCut(mem, SegmentName.of(0));

    try (WriteAheadLog log = open(mem)) {
      assertThat(log.nextSequence()).isZero();
      assertThat(log.append(new byte[] {1}).get().sequence()).isZero();
    }
    try (WriteAheadLog log = open(mem)) {
      assertThat(log.verify()).isEqualTo(1);
    }
  }
}
