/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;

/**
 * The segment being written: its output, base sequence, the records written so far and the running
 * {@link FramesCrc} its footer will carry; and the one place that seals a segment. Made by the
 * writer at a roll ({@link #create}) or by recovery for a tail it continues in place, and handed to
 * {@link GroupCommitWriter}. Writer thread only once handed over.
 */
final class OpenSegment {
  final SegmentOutput output;
  final long baseSequence;
  /** Whether the file was preallocated or recycled: sealing cuts what lies after the footer. */
  private final boolean preallocated;
  private final FramesCrc framesCrc;
  private final long openedNanos = System.nanoTime();
  private long recordCount;

  /** A segment continued in place: {@code recordCount} frames checked into {@code framesCrc}. */
  OpenSegment(SegmentOutput output, long baseSequence, long recordCount, FramesCrc framesCrc) {
    this(output, baseSequence, recordCount, framesCrc, false);
  }

  private OpenSegment(SegmentOutput output, long baseSequence, long recordCount,
      FramesCrc framesCrc, boolean preallocated) {
    this.output = output;
    this.baseSequence = baseSequence;
    this.recordCount = recordCount;
    this.framesCrc = framesCrc;
    this.preallocated = preallocated;
  }

  /**
   * Creates segment {@code base} — in a recycled file if the recycler has one, else from the
   * preallocator's spare file if there is one, else a new file — syncs the directory so that the
   * name survives a power loss, and writes the header.
   */
  static OpenSegment create(Storage storage, SegmentRecycler recycler,
      SegmentPreallocator preallocator, long base, LogId logId) throws IOException {
    String name = SegmentName.of(base);
    SegmentOutput out = recycler != null ? recycler.take(name) : null;
    int flags;
    if (out != null) {
      flags = SegmentHeader.FLAG_RECYCLED;
    } else if (preallocator != null) {
      out = preallocator.take(name);
      flags = SegmentHeader.FLAG_PREALLOCATED;
    } else {
      out = storage.create(name, 0);
      flags = 0;
    }
    try {
      storage.syncDirectory();
      out.write(SegmentHeader.encode(base, flags, logId));
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    // Sealing cuts what lies behind the footer: zeros, or an older segment's frames.
    return new OpenSegment(out, base, 0, new FramesCrc(), flags != 0);
  }

  /** Counts one record frame written (its length and masked CRC go into the footer's check). */
  void added(int length, int maskedCrc) {
    framesCrc.add(length, maskedCrc);
    recordCount++;
  }

  long recordCount() {
    return recordCount;
  }

  long position() {
    return output.position();
  }

  /** Nanoseconds (System.nanoTime) since the segment was opened or taken over. */
  long ageNanos() {
    return System.nanoTime() - openedNanos;
  }

  /**
   * Seals the segment: footer (last sequence, record count, frames CRC), cut of preallocated zeros,
   * sync, close. Returns what the index keeps of it.
   */
  Segment seal(long lastSequence) throws IOException {
    long dataEnd = output.position();
    output.write(RecordFrame.encodeFooter(lastSequence, recordCount, framesCrc.value()));
    if (preallocated) {
      output.truncateToPosition();
    }
    output.sync();
    output.close();
    return new Segment(baseSequence, lastSequence, recordCount, dataEnd, true, false);
  }
}
