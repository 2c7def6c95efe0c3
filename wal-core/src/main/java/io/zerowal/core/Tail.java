package io.zerowal.core;

/**
 * The durable end of the log as the writer last published it: the segment being written, the offset
 * up to which its frames are complete, and the next sequence. Readers bound themselves by one
 * snapshot of it, so they never see a half-written group. Immutable; one per group.
 */
final class Tail {
  final long segmentBase;
  final long segmentEnd;
  final long nextSequence;

  Tail(long segmentBase, long segmentEnd, long nextSequence) {
    this.segmentBase = segmentBase;
    this.segmentEnd = segmentEnd;
    this.nextSequence = nextSequence;
  }
}
