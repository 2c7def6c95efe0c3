/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.time.Duration;
import java.util.List;

/**
 * What {@code open} found and repaired. Immutable.
 *
 * <p>A clean shutdown reports nothing truncated and nothing skipped. After a crash, a torn tail (the
 * unfinished last group, which no caller was acknowledged for) shows up as {@link #bytesTruncated()}.
 * {@link #recordsSkipped()} and {@link #corruptSegments()} are non-empty only under
 * {@link RecoveryPolicy#SKIP_CORRUPT}.
 */
public final class RecoveryReport {
  private final int segments;
  private final long records;
  private final long firstSequence;
  private final long nextSequence;
  private final long bytesTruncated;
  private final boolean tornTail;
  private final long recordsCut;
  private final long recordsSkipped;
  private final List<String> corruptSegments;
  private final long bytesScanned;
  private final Duration duration;

  RecoveryReport(int segments, long records, long firstSequence, long nextSequence,
      long bytesTruncated, boolean tornTail, long recordsCut, long recordsSkipped,
      List<String> corruptSegments,
      long bytesScanned, Duration duration) {
    this.segments = segments;
    this.records = records;
    this.firstSequence = firstSequence;
    this.nextSequence = nextSequence;
    this.bytesTruncated = bytesTruncated;
    this.tornTail = tornTail;
    this.recordsCut = recordsCut;
    this.recordsSkipped = recordsSkipped;
    this.corruptSegments = List.copyOf(corruptSegments);
    this.bytesScanned = bytesScanned;
    this.duration = duration;
  }

  /** {@return segments in the log after recovery, counting the one opened for writing} */
  public int segments() {
    return segments;
  }

  /** {@return records in the log after recovery} */
  public long records() {
    return records;
  }

  /** {@return the oldest sequence still in the log} */
  public long firstSequence() {
    return firstSequence;
  }

  /** {@return the sequence the next append gets} */
  public long nextSequence() {
    return nextSequence;
  }

  /** {@return bytes of a torn tail cut off the last segment (never acknowledged data)} */
  public long bytesTruncated() {
    return bytesTruncated;
  }

  /** {@return whether the last segment ended in a torn frame that was cut off} */
  public boolean tornTail() {
    return tornTail;
  }

  /**
   * Records with a valid checksum that were found after the first damaged frame of the last
   * segment and cut off with the torn tail. Syncs cover a prefix of the segment, so after a power
   * loss these were never acknowledged (the disk kept a later page of the unfinished last group but
   * not an earlier one). Non-zero without a crash means damage on the medium in the last segment:
   * acknowledged records may be among them, and the log says so at WARN. Zero after a clean close.
   *
   * @return the number of valid records cut off with the torn tail
   */
  public long recordsCut() {
    return recordsCut;
  }

  /**
   * {@return records lost to mid-log corruption and skipped under {@link
   * RecoveryPolicy#SKIP_CORRUPT}}
   */
  public long recordsSkipped() {
    return recordsSkipped;
  }

  /**
   * {@return damaged segment files set aside (renamed to {@code .corrupt}) for an operator to
   * inspect}
   */
  public List<String> corruptSegments() {
    return corruptSegments;
  }

  /**
   * Bytes read frame by frame: the last segment and any damaged segment. Other sealed segments cost
   * a header and a footer read each.
   *
   * @return the number of bytes recovery read frame by frame
   */
  public long bytesScanned() {
    return bytesScanned;
  }

  /** {@return wall time of recovery} */
  public Duration duration() {
    return duration;
  }

  @Override
  public String toString() {
    return "RecoveryReport{segments=" + segments + ", records=" + records + ", sequences="
        + firstSequence + ".." + nextSequence + ", bytesTruncated=" + bytesTruncated
        + ", tornTail=" + tornTail + ", recordsCut=" + recordsCut + ", recordsSkipped=" + recordsSkipped + ", corruptSegments="
        + corruptSegments + ", bytesScanned=" + bytesScanned + ", duration=" + duration.toMillis()
        + "ms}";
  }
}
