/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * One segment of a log as {@link ReadOnlyLog} sees it after the recovery it plans: its file name,
 * the sequences it covers and its size. Immutable.
 *
 * @param name the segment's file name ({@code <base sequence as 20 digits>.wal})
 * @param baseSequence the sequence its first record has (or, in a {@code gaps} segment, may have)
 * @param lastSequence the last sequence it covers; {@code baseSequence - 1} if it covers none
 * @param records the number of records in it
 * @param dataEnd the offset just past its last record frame (a sealed segment's footer starts
 *     there; a preallocated open segment's zeros too)
 * @param sealed whether it ends with a footer (it was rolled or closed); false for the segment a
 *     writer continues in
 * @param gaps whether its sequences may skip (rebuilt by {@link RecoveryPolicy#SKIP_CORRUPT})
 */
public record SegmentInfo(String name, long baseSequence, long lastSequence, long records,
    long dataEnd, boolean sealed, boolean gaps) {

  static SegmentInfo of(Segment s) {
    return new SegmentInfo(s.name, s.baseSequence, s.lastSequence, s.recordCount, s.dataEnd,
        s.sealed, s.gaps);
  }
}
