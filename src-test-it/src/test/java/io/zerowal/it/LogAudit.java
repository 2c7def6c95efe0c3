/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a recovered log against a {@link Ledger}: every acknowledged record present at its
 * sequence and byte-identical, sequences contiguous and in order, no phantom (a key never appended,
 * or appended once and found twice), no corrupt payload returned.
 */
public final class LogAudit {
  long records;
  long lost;
  long phantom;
  long corrupt;
  final List<String> problems = new ArrayList<>();

  boolean clean() {
    return lost == 0 && phantom == 0 && corrupt == 0;
  }

  /**
   * Audits everything the log holds from {@link WriteAheadLog#firstSequence()}.
   *
   * @param highestFirst the highest first sequence the log may legitimately report: 0 unless
   *     {@code truncateBefore} ran, in which case it is the largest sequence truncation was asked for
   */
  static LogAudit of(WriteAheadLog log, Ledger ledger, long highestFirst) {
    LogAudit a = new LogAudit();
    long first = log.firstSequence();
    long next = log.nextSequence();
    for (long seq : ledger.ackedKeyBySequence.keySet()) {
      if (seq < first && seq >= highestFirst) {
        a.lost(seq, "first sequence is " + first + " but truncation was only asked below "
            + highestFirst);
      }
    }
    Map<Long, Long> seen = new HashMap<>();
    long expectedSeq = first;
    try (LogReader reader = log.readFrom(first)) {
      for (LogRecord rec : reader) {
        a.records++;
        long seq = rec.sequence();
        if (seq != expectedSeq) {
          if (seq < expectedSeq) {
            a.phantom(seq, "sequence " + seq + " repeated or out of order after " + (expectedSeq - 1));
          } else {
            a.lost(expectedSeq, "sequences " + expectedSeq + ".." + (seq - 1) + " skipped");
          }
        }
        expectedSeq = seq + 1;
        byte[] bytes = rec.payloadBytes();
        long key = Payloads.parse(bytes);
        if (key == -1 || !Arrays.equals(bytes, Payloads.expected(key, ledger.salt, ledger.maxBody))) {
          a.corrupt(seq, "payload of " + bytes.length + " bytes does not check out");
          continue;
        }
        if (!ledger.submitted.contains(key)) {
          a.phantom(seq, "key " + Long.toHexString(key) + " was never appended");
          continue;
        }
        Long dup = seen.put(key, seq);
        if (dup != null) {
          a.phantom(seq, "key " + Long.toHexString(key) + " also at sequence " + dup);
        }
        Long ackedKey = ledger.ackedKeyBySequence.get(seq);
        if (ackedKey != null && ackedKey != key) {
          a.lost(seq, "acknowledged key " + Long.toHexString(ackedKey) + " but found "
              + Long.toHexString(key));
        }
      }
    } catch (CorruptLogException e) {
      a.problems.add("reader failed: " + e.getMessage());
      a.lost++;
    }
    if (expectedSeq != next) {
      a.lost(expectedSeq, "reader ended at " + expectedSeq + " but nextSequence is " + next);
    }
    for (Map.Entry<Long, Long> e : ledger.ackedKeyBySequence.entrySet()) {
      long seq = e.getKey();
      if (seq >= first && !seen.containsKey(e.getValue())) {
        a.lost(seq, "acknowledged key " + Long.toHexString(e.getValue()) + " missing");
      }
    }
    a.checkRandomReads(log, ledger, first);
    return a;
  }

  /** Random reads by handle must return the acknowledged bytes too. */
  private void checkRandomReads(WriteAheadLog log, Ledger ledger, long first) {
    int checked = 0;
    for (Map.Entry<Long, RecordHandle> e : ledger.ackedHandleBySequence.entrySet()) {
      if (e.getKey() < first || checked++ > 64) {
        continue;
      }
      long key = ledger.ackedKeyBySequence.get(e.getKey());
      ByteBuffer b = log.read(e.getValue());
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      if (!Arrays.equals(bytes, Payloads.expected(key, ledger.salt, ledger.maxBody))) {
        corrupt(e.getKey(), "read(handle) returned other bytes than acknowledged");
      }
    }
  }

  private void lost(long seq, String why) {
    lost++;
    problem("lost", seq, why);
  }

  private void phantom(long seq, String why) {
    phantom++;
    problem("phantom", seq, why);
  }

  private void corrupt(long seq, String why) {
    corrupt++;
    problem("corrupt", seq, why);
  }

  private void problem(String kind, long seq, String why) {
    if (problems.size() < 20) {
      problems.add(kind + " at sequence " + seq + ": " + why);
    }
  }

  @Override
  public String toString() {
    return "records=" + records + " lost=" + lost + " phantom=" + phantom + " corrupt=" + corrupt
        + (problems.isEmpty() ? "" : " " + problems);
  }
}
