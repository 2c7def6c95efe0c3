/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only checks recovery makes of one segment file: its header, its footer, and a scan of its
 * frames. Decides nothing and changes nothing: {@link LogRecovery}, {@link TailRepair} and
 * {@link Salvage} judge what it finds. One scanner, and so one read buffer, per recovery.
 */
final class SegmentCheck {
  private static final int SCAN_BUFFER = 1 << 20;

  private final Storage storage;
  private final int maxRecordSize;
  private final RecoveryFindings findings;
  private FrameScanner scanner;
  /** The log's identity, set by {@link #identify} before any segment is judged. */
  private LogId logId;

  SegmentCheck(Storage storage, int maxRecordSize, RecoveryFindings findings) {
    this.storage = storage;
    this.maxRecordSize = maxRecordSize;
    this.findings = findings;
  }

  FrameScanner scanner() {
    if (scanner == null) {
      scanner = new FrameScanner(maxRecordSize, SCAN_BUFFER);
    }
    return scanner;
  }

  /** The segment's header, which must decode and name {@code base}. */
  SegmentHeader readHeader(String name, long base) throws IOException {
    byte[] bytes = new byte[SegmentHeader.SIZE];
    int got = read(name, bytes, 0);
    SegmentHeader header = SegmentHeader.decode(name,
        got == bytes.length ? bytes : Arrays.copyOf(bytes, got));
    if (header.baseSequence != base) {
      throw new CorruptLogException(name, 0, "segment header says base sequence "
          + header.baseSequence + " but the file name says " + base);
    }
    if (!header.logId.equals(logId)) {
      throw new CorruptLogException(name, 0, "segment belongs to another log (log id "
          + header.logId + ", this log's is " + logId + "): it was copied or moved here");
    }
    return header;
  }

  /**
   * Takes the log's identity from its segment headers, or {@code fresh} (a random one if null) for a
   * log without a readable one. The id most headers carry wins (ties: the newest segment's), so that
   * one segment copied in from another log, whatever its base, is the one judged foreign. The first
   * and the last readable headers agree in every log that nobody mixed up: then only those two are
   * read.
   */
  LogId identify(List<String> segmentNames, LogId fresh) throws IOException {
    LogId first = null;
    int firstAt = -1;
    for (int i = 0; i < segmentNames.size() && first == null; i++) {
      first = idOf(segmentNames.get(i));
      firstAt = i;
    }
    if (first == null) {
      logId = fresh != null ? fresh : LogId.random();
      return logId;
    }
    LogId last = null;
    for (int i = segmentNames.size() - 1; i > firstAt && last == null; i--) {
      last = idOf(segmentNames.get(i));
    }
    if (last == null || last.equals(first)) {
      logId = first;
      return logId;
    }
    Map<LogId, Integer> votes = new HashMap<>();
    for (String name : segmentNames) {
      LogId id = idOf(name);
      if (id != null) {
        votes.merge(id, 1, Integer::sum);
      }
    }
    LogId best = last; // the newest readable header wins a tie
    for (Map.Entry<LogId, Integer> e : votes.entrySet()) {
      if (e.getValue() > votes.get(best)) {
        best = e.getKey();
      }
    }
    logId = best;
    return logId;
  }

  /** The log id in the segment's header, or null if the header does not decode. */
  private LogId idOf(String name) throws IOException {
    byte[] bytes = new byte[SegmentHeader.SIZE];
    int got = read(name, bytes, 0);
    try {
      return SegmentHeader.decode(name, Arrays.copyOf(bytes, got)).logId;
    } catch (CorruptLogException e) {
      return null; // judged with the segment itself
    }
  }

  /** Whether the segment's header decodes and names another log than this one. */
  boolean isForeign(String name) throws IOException {
    LogId id = idOf(name);
    return id != null && !id.equals(logId);
  }

  /** The log's identity, for the headers recovery writes. */
  LogId logId() {
    return logId;
  }

  /**
   * Whether the file starts with a complete header whose checksum holds, whatever base it names. A
   * crash during roll leaves a missing or torn header, never an intact one of another base: such a
   * file is another segment's data under this name, which is corruption to keep, not a torn tail.
   */
  boolean hasIntactHeader(String name) throws IOException {
    byte[] bytes = new byte[SegmentHeader.SIZE];
    if (read(name, bytes, 0) < bytes.length) {
      return false;
    }
    try {
      SegmentHeader.decode(name, bytes);
      return true;
    } catch (CorruptLogException e) {
      return false;
    }
  }

  /** The footer at the end of the file, if its last 29 bytes are a valid footer frame; else null. */
  RecordFrame.Footer footerAtEnd(String name, long size) throws IOException {
    if (size < SegmentHeader.SIZE + RecordFrame.FOOTER_SIZE) {
      return null;
    }
    byte[] bytes = new byte[RecordFrame.FOOTER_SIZE];
    if (read(name, bytes, size - bytes.length) != bytes.length) {
      return null;
    }
    return RecordFrame.decodeFooter(bytes);
  }

  /**
   * The sealed segment its footer describes, or null if there is no valid footer at the end. A
   * valid but implausible footer (its count does not fit its range) is corruption.
   */
  Segment sealed(String name, SegmentHeader header) throws IOException {
    long size = storage.size(name);
    RecordFrame.Footer f = footerAtEnd(name, size);
    if (f == null) {
      return null;
    }
    long span = f.lastSequence() - header.baseSequence + 1;
    boolean countOk = header.hasGaps() ? f.recordCount() >= 0 && f.recordCount() <= span
        : f.recordCount() == span;
    if (!countOk || span < 0) {
      throw new CorruptLogException(name, size - RecordFrame.FOOTER_SIZE, "segment footer claims "
          + f.recordCount() + " records up to sequence " + f.lastSequence() + " from base "
          + header.baseSequence);
    }
    return new Segment(header.baseSequence, f.lastSequence(), f.recordCount(),
        size - RecordFrame.FOOTER_SIZE, true, header.hasGaps());
  }

  /** What {@link #scan} found: the valid records from the start, and the first problem, if any. */
  static final class Scan {
    long validEnd = SegmentHeader.SIZE;
    long records;
    long lastSequence;
    final FramesCrc framesCrc = new FramesCrc();
    /** Null if the frames ran, valid and in order, to the end of the file or an end-of-data marker. */
    String problem;
    long problemOffset;
    /** Whether the problem could be a torn write (as opposed to a valid frame out of place). */
    boolean tearable;
    /**
     * Whether the frames ended at an older segment's bytes (in a recycled segment): one of its
     * frames, or this segment's own footer with the older bytes still behind it.
     */
    boolean olderData;
  }

  /** Scans every frame of a segment, stopping at its end, at an end-of-data marker or at the first problem. */
  Scan scan(String name, SegmentHeader header, long size) throws IOException {
    Scan s = new Scan();
    s.lastSequence = header.baseSequence - 1;
    try (SegmentInput in = storage.openForRead(name)) {
      FrameScanner scanner = scanner().open(name, in, SegmentHeader.SIZE, size);
      while (true) {
        FrameScanner.Result r = scanner.next();
        if (r == FrameScanner.Result.END) {
          break;
        }
        if (r != FrameScanner.Result.FRAME) {
          s.problem = scanner.describe(r);
          s.problemOffset = scanner.offset();
          s.tearable = true;
          break;
        }
        long seq = scanner.sequence();
        if (header.isRecycled() && seq < header.baseSequence) {
          // A frame of the older segment whose file this one reuses: the end of the data, as
          // zeros are in a preallocated segment. No frame of this segment is below its base.
          s.olderData = true;
          break;
        }
        int type = scanner.type();
        if (header.isRecycled() && type == RecordFrame.TYPE_FOOTER && seq == s.lastSequence) {
          // This segment's own footer, written by a seal whose cut of the file behind it did not
          // become durable: what follows is the older segment's, never this one's data.
          s.olderData = true;
          break;
        }
        if (type != RecordFrame.TYPE_RECORD
            || !Segment.follows(header.hasGaps(), s.lastSequence, seq)) {
          long problemOffset = scanner.offset();
          // A footer that did not check out as a seal, at the end of the data, is treated as the
          // end. Zeros may follow it: sealing a preallocated segment writes the footer, cuts the
          // zeros behind it and then syncs, so a crash can keep the footer but not the cut.
          if (type == RecordFrame.TYPE_FOOTER
              && (problemOffset + RecordFrame.FOOTER_SIZE == size
                  || scanner.next() == FrameScanner.Result.END)) {
            break;
          }
          // (Named from what was read at problemOffset: the footer check may have moved on.)
          s.problem = type != RecordFrame.TYPE_RECORD
              ? "frame of unexpected type " + type
              : "record has sequence " + seq + " where " + (s.lastSequence + 1) + " was expected";
          s.problemOffset = problemOffset;
          s.tearable = false;
          break;
        }
        s.framesCrc.add(scanner.length(), scanner.maskedCrc());
        s.records++;
        s.lastSequence = seq;
        s.validEnd = scanner.position();
      }
    }
    findings.bytesScanned += s.validEnd;
    return s;
  }

  /**
   * Counts the valid record frames (of any size the format allows) at or after {@code from}, each
   * of a sequence above the previous one counted, the first at least {@code minSequence}. Gives up
   * after {@link FrameResync#WINDOW} zero bytes in a row: in a preallocated segment, written data
   * is dense, so the count costs the written part, not the segment size.
   */
  long countRecordsFrom(String name, long from, long size, long minSequence) throws IOException {
    long count = 0;
    try (SegmentInput in = storage.openForRead(name)) {
      FrameResync resync = new FrameResync(in, size, WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT,
          FrameResync.WINDOW);
      long p = resync.next(from, minSequence);
      while (p >= 0) {
        count++;
        p = resync.next(p + RecordFrame.frameSize(resync.length()), resync.sequence() + 1);
      }
    }
    return count;
  }

  /**
   * Reads up to {@code dst.length} bytes of {@code name} at {@code position}; returns how many.
   * Recovery reads every segment's header through here first, so a segment that is not a readable
   * file fails {@code open} by name: never skipped, since a first segment left out would silently
   * lose its records.
   */
  int read(String name, byte[] dst, long position) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(dst);
    try (SegmentInput in = storage.openForRead(name)) {
      long pos = position;
      while (b.hasRemaining()) {
        int n = in.read(b, pos);
        if (n < 0) {
          break;
        }
        pos += n;
      }
    } catch (IOException e) {
      throw new IOException("segment " + name + " of log " + storage.describe() + " cannot be"
          + " read (" + e + "); if it is not a regular file (a directory, a dangling link),"
          + " restore the segment or move it out of the log", e);
    }
    return b.position();
  }
}
