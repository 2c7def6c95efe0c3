/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * What the log knows of one segment that no longer takes writes: its name, the sequences it covers
 * and where its record frames end. Immutable.
 */
final class Segment {
  final long baseSequence;
  final String name;
  /** The last sequence the segment covers; {@code baseSequence - 1} if it is empty. */
  final long lastSequence;
  final long recordCount;
  /** Offset just past the last record frame; a sealed segment's footer starts here. */
  final long dataEnd;
  final boolean sealed;
  /** Sequences inside may skip (a segment rebuilt by SKIP_CORRUPT recovery). */
  final boolean gaps;

  Segment(long baseSequence, long lastSequence, long recordCount, long dataEnd, boolean sealed,
      boolean gaps) {
    this.baseSequence = baseSequence;
    this.name = SegmentName.of(baseSequence);
    this.lastSequence = lastSequence;
    this.recordCount = recordCount;
    this.dataEnd = dataEnd;
    this.sealed = sealed;
    this.gaps = gaps;
  }

  /**
   * The sequence rule inside a segment, the one place it is written: each record follows the
   * previous one by exactly one, or, in a {@code GAPS} segment, by at least one.
   */
  static boolean follows(boolean gaps, long previous, long sequence) {
    return gaps ? sequence > previous : sequence == previous + 1;
  }

  @Override
  public String toString() {
    return name + "[" + baseSequence + ".." + lastSequence + (sealed ? ", sealed" : ", unsealed")
        + (gaps ? ", gaps" : "") + "]";
  }
}
