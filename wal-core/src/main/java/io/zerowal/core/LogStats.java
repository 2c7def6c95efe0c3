/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * A snapshot of a log's counters since it was opened. Immutable.
 *
 * <p>{@link #groups()} against {@link #records()} shows group commit at work: with many appenders,
 * one write and (under {@link Durability#SYNC}) one sync carry many records.
 */
public final class LogStats {
  private final long records;
  private final long payloadBytes;
  private final long groups;
  private final long writes;
  private final long syncs;
  private final long segmentsRolled;
  private final long pendingBytes;
  private final long firstSequence;
  private final long nextSequence;
  private final int segments;
  private final long segmentBytes;
  private final LatencySnapshot appendLatency;

  LogStats(long records, long payloadBytes, long groups, long writes, long syncs,
      long segmentsRolled, long pendingBytes, long firstSequence, long nextSequence,
      int segments, long segmentBytes, LatencySnapshot appendLatency) {
    this.appendLatency = appendLatency;
    this.records = records;
    this.payloadBytes = payloadBytes;
    this.groups = groups;
    this.writes = writes;
    this.syncs = syncs;
    this.segmentsRolled = segmentsRolled;
    this.pendingBytes = pendingBytes;
    this.firstSequence = firstSequence;
    this.nextSequence = nextSequence;
    this.segments = segments;
    this.segmentBytes = segmentBytes;
  }

  /** {@return records written since open} */
  public long records() {
    return records;
  }

  /** {@return payload bytes written since open (frames add 17 bytes each)} */
  public long payloadBytes() {
    return payloadBytes;
  }

  /**
   * {@return commit groups: each ends in one durability point for all its records (in
   * {@link Durability#SYNC} one sync may end several groups written while the previous one ran)}
   */
  public long groups() {
    return groups;
  }

  /** {@return gathering write calls} */
  public long writes() {
    return writes;
  }

  /**
   * Syncs ({@code fdatasync}/{@code hsync}), including those that seal rolled segments and, for
   * {@link Durability#FLUSH} and {@link Durability#NONE}, the background syncs of the open segment.
   *
   * @return the number of syncs since open
   */
  public long syncs() {
    return syncs;
  }

  /** {@return segments rolled since open} */
  public long segmentsRolled() {
    return segmentsRolled;
  }

  /** {@return bytes appended but not yet durable} */
  public long pendingBytes() {
    return pendingBytes;
  }

  /** {@return the oldest sequence in the log} */
  public long firstSequence() {
    return firstSequence;
  }

  /** {@return one past the last durable sequence} */
  public long nextSequence() {
    return nextSequence;
  }

  /** {@return segment files in the log, counting the one being written} */
  public int segments() {
    return segments;
  }

  /**
   * Bytes of the log's segments as written: headers, frames and footers, up to the durable end of
   * the segment being written. Preallocated space, files set aside ({@code .corrupt}) and the
   * files of truncated segments kept for reuse ({@code recycleSegments}, at most two) are not
   * counted, so such a log takes more room on disk than this.
   *
   * @return the bytes of the log's segments as written, in bytes
   */
  public long segmentBytes() {
    return segmentBytes;
  }

  /**
   * From {@code append} to the moment the record was durable (written and synced or flushed as the
   * log's {@link Durability} says; written for {@code NONE}), one value per record, since open.
   * Measured once per commit group, not per record (reading the clock per record would cost the
   * append path): each record of a group counts the time from the oldest moment any record of the
   * group can have been appended to the group's durable point. So it is an upper bound of each
   * record's latency, tight for the group's oldest record: the latency an appender waiting for its
   * future sees, before the future's completion is delivered.
   *
   * @return the distribution since open
   */
  public LatencySnapshot appendLatency() {
    return appendLatency;
  }

  /** {@return average records per commit group, or 0 before the first group} */
  public double averageGroupSize() {
    return groups == 0 ? 0 : (double) records / groups;
  }

  @Override
  public String toString() {
    return String.format("LogStats{records=%d, payloadBytes=%d, groups=%d, avgGroup=%.1f,"
            + " writes=%d, syncs=%d, rolled=%d, pendingBytes=%d, sequences=%d..%d, segments=%d,"
            + " segmentBytes=%d}",
        records, payloadBytes, groups, averageGroupSize(), writes, syncs, segmentsRolled,
        pendingBytes, firstSequence, nextSequence, segments, segmentBytes);
  }
}
