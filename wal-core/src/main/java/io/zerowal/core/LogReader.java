/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams records in sequence order across segments, from the sequence given to
 * {@link WriteAheadLog#readFrom(long)} up to the durable end of the log when the reader was created.
 * Reads sequentially in large chunks and checks every frame's CRC: a corrupt payload is never
 * returned. Under {@link RecoveryPolicy#STRICT} a damaged frame throws {@link CorruptLogException};
 * under {@link RecoveryPolicy#SKIP_CORRUPT} the rest of that segment is skipped and counted in
 * {@link #recordsSkipped()}.
 *
 * <p>Iterable once. Not thread-safe: use one reader per thread. Close it to release its file.
 * Segments deleted by {@code truncateBefore} while the reader is open stay readable if the reader
 * already holds them (local disk, memory) and the log does not recycle segments; otherwise the
 * reader fails with a {@link WalException} saying so.
 */
public final class LogReader implements Iterable<LogRecord>, Closeable {
  private static final Logger log = LoggerFactory.getLogger(LogReader.class);
  /** Sequential reads of 1 MiB: few system calls, and few partial frames moved to the front. */
  private static final int BUFFER = 1 << 20;

  /** Signs the handles of the records read, as the log they come from does. */
  private final HandleReader handles;
  private final Runnable checkOpen;
  private final Storage storage;
  private final List<Segment> segments;
  private final long from;
  private final long end;
  private final int maxRecordSize;
  private final RecoveryPolicy policy;

  private boolean iterated;
  private boolean closed;
  private int segmentIndex;
  private Segment segment;
  private SegmentInput input;
  private FrameScanner scanner;
  /** The one scanner (and read buffer) of this reader, reopened on each segment. */
  private FrameScanner reusable;
  private long previous;
  private LogRecord next;
  private boolean done;
  private long skipped;

  LogReader(HandleReader handles, Runnable checkOpen, Storage storage, List<Segment> segments,
      long from, long end, int maxRecordSize, RecoveryPolicy policy) {
    this.handles = handles;
    this.checkOpen = checkOpen;
    this.storage = storage;
    this.segments = segments;
    this.from = from;
    this.end = end;
    this.maxRecordSize = maxRecordSize;
    this.policy = policy;
  }

  /** The records, in sequence order. Can be called once. */
  @Override
  public Iterator<LogRecord> iterator() {
    startReading();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (closed) {
          throw new IllegalStateException("this LogReader is closed; call readFrom again");
        }
        if (next == null && !done) {
          next = advance();
        }
        return next != null;
      }

      @Override
      public LogRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException("no more records before sequence " + end);
        }
        LogRecord r = next;
        next = null;
        return r;
      }
    };
  }

  /**
   * Replays the records without copying them: calls {@code visitor} once per record, in sequence
   * order, with a read-only buffer of exactly the CRC-checked payload (position 0, limit and
   * capacity its length) that shares this reader's read buffer. It is valid only during the call
   * (later reads overwrite its bytes): copy what you keep.
   * Use it for large records, where the copy {@link #iterator()} makes of each payload costs as
   * much as reading it; the checks, the end and the {@link RecoveryPolicy} are the same. A visitor
   * that throws stops the replay and the exception propagates; the reader stays usable for
   * {@link #close()} only.
   *
   * <p>Like {@link #iterator()}, this can be called once per reader, and not after iterating.
   *
   * @param visitor called with each record's sequence and payload view; must not be null
   * @return how many records were visited
   */
  public long visit(RecordVisitor visitor) {
    if (visitor == null) {
      throw new IllegalArgumentException("visitor is null; pass a RecordVisitor, e.g."
          + " (sequence, payload) -> ...");
    }
    startReading();
    long n = 0;
    while (!done && step()) {
      visitor.visit(scanner.sequence(), scanner.payloadView());
      n++;
    }
    return n;
  }

  /** What {@link #visit} calls for each record. */
  @FunctionalInterface
  public interface RecordVisitor {
    /**
     * One record.
     *
     * @param sequence the record's sequence
     * @param payload a read-only buffer of exactly its CRC-checked payload (position 0), valid only
     *     during this call
     */
    void visit(long sequence, java.nio.ByteBuffer payload);
  }

  /** The one start of a read, by {@link #iterator()} or {@link #visit}. */
  private void startReading() {
    if (closed) {
      throw new IllegalStateException("this LogReader is closed; call readFrom again");
    }
    if (iterated) {
      throw new IllegalStateException("a LogReader can be read once (iterator() or visit());"
          + " call readFrom again");
    }
    iterated = true;
  }

  /** {@return records skipped because their frames were damaged (SKIP_CORRUPT only)} */
  public long recordsSkipped() {
    return skipped;
  }

  /**
   * {@return the sequence this reader stops before: the durable end of the log when it was created}
   */
  public long endSequence() {
    return end;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      done = true;
      closeSegment();
    }
  }

  private LogRecord advance() {
    if (!step()) {
      return null;
    }
    RecordHandle h = handles.sign(segment.baseSequence, scanner.offset(), scanner.length(),
        scanner.sequence());
    return new LogRecord(h, scanner.copyPayload());
  }

  /**
   * Positions the scanner on the next record to deliver; false at the end. Every check happens
   * here, so that both ways of reading judge a frame alike.
   */
  private boolean step() {
    if (closed) {
      throw new IllegalStateException("this LogReader is closed");
    }
    checkOpen.run();
    try {
      while (true) {
        if (scanner == null && !openNextSegment()) {
          done = true;
          return false;
        }
        FrameScanner.Result r = scanner.next();
        if (r == FrameScanner.Result.FRAME) {
          long seq = scanner.sequence();
          if (scanner.type() != RecordFrame.TYPE_RECORD
              || !Segment.follows(segment.gaps, previous, seq)) {
            damaged(scanner.type() != RecordFrame.TYPE_RECORD
                ? "frame of unexpected type " + scanner.type()
                : "record has sequence " + seq + " where " + (previous + 1) + " was expected");
            continue;
          }
          if (seq > segment.lastSequence) {
            damaged("record has sequence " + seq + " beyond the segment's last sequence "
                + segment.lastSequence + " (its footer)");
            continue;
          }
          previous = seq;
          if (seq >= end) {
            done = true;
            closeSegment();
            return false;
          }
          if (seq < from) {
            continue;
          }
          return true;
        }
        if (r == FrameScanner.Result.END && scanner.offset() >= segment.dataEnd) {
          long lastNeeded = Math.min(segment.lastSequence, end - 1);
          if (!segment.gaps && previous < lastNeeded) {
            // A sealed segment's footer says how far its records go; fewer frames are damage.
            damaged("the segment's records end at sequence " + previous + " but it covers"
                + " sequences up to " + segment.lastSequence + " (its footer)");
            continue;
          }
          closeSegment();
          continue;
        }
        damaged(scanner.describe(r));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading segment " + segment.name + " of log "
          + storage.describe() + " failed", e);
    }
  }

  private boolean openNextSegment() throws IOException {
    if (segmentIndex >= segments.size()) {
      return false;
    }
    segment = segments.get(segmentIndex++);
    try {
      input = storage.openForRead(segment.name);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new WalException("segment " + segment.name + " of log " + storage.describe()
          + " was deleted by truncateBefore while this reader was open; start a new reader at"
          + " firstSequence()", e);
    }
    if (reusable == null) {
      long bytes = 0;
      for (int i = segmentIndex - 1; i < segments.size() && bytes < BUFFER; i++) {
        bytes += segments.get(i).dataEnd;
      }
      // A short read (the last few records) should not pay for zeroing a 1 MiB buffer.
      reusable = new FrameScanner(maxRecordSize, (int) Math.max(64 << 10, Math.min(BUFFER, bytes)));
    }
    scanner = reusable.open(segment.name, input, SegmentHeader.SIZE, segment.dataEnd);
    previous = segment.baseSequence - 1;
    return true;
  }

  /**
   * A damaged frame at the scanner's offset. STRICT: throws. SKIP_CORRUPT: resumes at the next
   * valid record of the segment, as salvage would keep it, and counts the sequences in between as
   * skipped; without one, skips the rest of the segment.
   */
  private void damaged(String problem) throws IOException {
    if (handles.truncated(segment.lastSequence)) {
      // Not damage: truncateBefore removed the segment meanwhile and, with recycleSegments, a
      // newer segment is being written into its file.
      done = true;
      closeSegment();
      throw new WalException("segment " + segment.name + " of log " + storage.describe()
          + " was deleted by truncateBefore while this reader was reading it (at offset "
          + scanner.offset() + "); start a new reader at firstSequence()");
    }
    CorruptLogException e = new CorruptLogException(segment.name, scanner.offset(), problem);
    if (policy == RecoveryPolicy.STRICT) {
      done = true;
      closeSegment();
      throw e;
    }
    FrameResync resync = new FrameResync(input, segment.dataEnd, maxRecordSize, Long.MAX_VALUE);
    long resumeAt = resync.next(scanner.offset() + 1, previous + 1);
    boolean resumes = resumeAt >= 0 && resync.sequence() <= segment.lastSequence;
    long lostUpTo = resumes ? resync.sequence() - 1 : segment.lastSequence;
    long lost = Math.max(0, Math.min(lostUpTo, end - 1) - Math.max(previous, from - 1));
    skipped += lost;
    if (resumes) {
      log.warn("skipping {} records of segment {}, resuming at offset {}: {}", lost, segment.name,
          resumeAt, e.getMessage());
      scanner = reusable.open(segment.name, input, resumeAt, segment.dataEnd);
      previous = resync.sequence() - 1;
    } else {
      log.warn("skipping the rest of segment {} ({} records): {}", segment.name, lost,
          e.getMessage());
      closeSegment();
    }
  }

  private void closeSegment() {
    scanner = null;
    if (input != null) {
      try {
        input.close();
      } catch (IOException e) {
        log.debug("closing segment {}", segment.name, e);
      }
      input = null;
    }
  }
}
