/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;

/**
 * Scenario 5: the segment scanner and recovery through the public API. The fuzz input becomes the
 * last segment file of a log in {@link MemoryStorage} (named by its header's base if the header is
 * intact, else segment 0), behind a sealed segment of a real log when the header names a later base.
 * Open under STRICT may only fail with {@link CorruptLogException} (or the {@link WalException} for an
 * unknown version or flags); when it opens, reading, verifying, appending and reopening must work
 * with only CorruptLogException from readers. SKIP_CORRUPT must open whenever the format version is
 * known. Each input is bounded to 10 seconds: no infinite loop.
 */
class SegmentRecoveryFuzzIT {
  private static final java.util.concurrent.atomic.AtomicLong INPUTS =
      new java.util.concurrent.atomic.AtomicLong();

  /** One summary line: inputs run (the committed corpus, or what the fuzzer generated). */
  @org.junit.jupiter.api.AfterAll
  static void summary() {
    io.zerowal.it.Summary.fuzzCorpus("5-fuzz-segment-recovery", "SegmentRecoveryFuzzIT", INPUTS.get());
  }

  @FuzzTest
  void recover(byte[] data) {
    INPUTS.incrementAndGet();
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      recoverUnder(RecoveryPolicy.STRICT, data);
      recoverUnder(RecoveryPolicy.SKIP_CORRUPT, data);
    });
  }

  private static void recoverUnder(RecoveryPolicy policy, byte[] data) throws Exception {
    MemoryStorage mem = new MemoryStorage();
    long base = 0;
    try {
      base = SegmentHeader.decode("fuzz", data).baseSequence;
    } catch (WalException notAHeader) {
      // stays 0
    }
    if (base < 0 || base > 1_000_000) {
      base = 0;
    }
    if (base > 0) {
      // A real sealed segment before it, covering [0, base) only if base is small enough.
      try (WriteAheadLog log = open(mem, RecoveryPolicy.STRICT)) {
        for (long i = 0; i < Math.min(base, 50); i++) {
          log.append(new byte[] {(byte) i}).get();
        }
      }
    }
    try (SegmentOutput out = mem.create(SegmentName.of(base) + ".new", 0)) {
      out.write(ByteBuffer.wrap(data));
      out.sync();
    }
    if (mem.exists(SegmentName.of(base))) {
      mem.delete(SegmentName.of(base));
    }
    mem.rename(SegmentName.of(base) + ".new", SegmentName.of(base));
    mem.syncDirectory();

    WriteAheadLog log;
    try {
      log = open(mem, policy);
    } catch (CorruptLogException e) {
      assertThat(policy).isEqualTo(RecoveryPolicy.STRICT);
      assertThat(e.segment()).isNotNull();
      assertThat(e.offset()).isNotNegative();
      return;
    } catch (RecordTooLargeException e) {
      // Documented: a whole, CRC-valid record above maxRecordSize is refused, never cut or skipped.
      assertThat(e.getMessage()).contains("open the log with maxRecordSize of at least");
      return;
    } catch (WalException e) {
      assertThat(e.getMessage()).containsAnyOf("format version", "header flags");
      return;
    }
    try (log) {
      try (LogReader r = log.readFrom(log.firstSequence())) {
        long previous = -1;
        for (LogRecord rec : r) {
          assertThat(rec.sequence()).isGreaterThan(previous);
          previous = rec.sequence();
        }
      } catch (CorruptLogException e) {
        assertThat(policy).isEqualTo(RecoveryPolicy.STRICT);
      } catch (RecordTooLargeException e) {
        // a sealed segment's oversized record is refused by readers under either policy
        assertThat(e.getMessage()).contains("open the log with maxRecordSize of at least");
      }
      try {
        log.verify();
      } catch (CorruptLogException | RecordTooLargeException e) {
        // a sealed segment's data is checked only by verify and readers
      }
      assertThat(log.append(new byte[] {1, 2, 3}).get().sequence()).isEqualTo(log.nextSequence() - 1);
    }
    try (WriteAheadLog again = open(mem, policy)) {
      assertThat(again.recoveryReport().tornTail()).isFalse();
    } catch (CorruptLogException e) {
      // only damage that recovery left in place for inspection (a sealed segment's data) may remain
      assertThat(policy).isEqualTo(RecoveryPolicy.STRICT);
    }
  }

  private static WriteAheadLog open(MemoryStorage mem, RecoveryPolicy policy) {
    return WriteAheadLog.builder(mem).segmentSize(4096).maxRecordSize(1024).recoveryPolicy(policy)
        .open();
  }
}
