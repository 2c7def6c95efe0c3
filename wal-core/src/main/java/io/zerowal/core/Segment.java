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

  @Override
  public String toString() {
    return name + "[" + baseSequence + ".." + lastSequence + (sealed ? ", sealed" : ", unsealed")
        + (gaps ? ", gaps" : "") + "]";
  }
}
