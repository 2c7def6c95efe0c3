/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The full check behind {@link WriteAheadLog#verify()}: every frame's CRC and sequence, and each
 * sealed segment's footer (record count, last sequence, CRC over the frames), in every segment.
 */
final class LogVerifier {
  private final Storage storage;
  private final int maxRecordSize;

  private FrameScanner scanner;

  private FrameScanner scanner() {
    if (scanner == null) {
      scanner = new FrameScanner(maxRecordSize, 1 << 20);
    }
    return scanner;
  }

  LogVerifier(Storage storage, int maxRecordSize) {
    this.storage = storage;
    this.maxRecordSize = maxRecordSize;
  }

  long verify(List<Segment> closed, Tail tail) {
    List<Segment> all = new ArrayList<>();
    for (Segment s : closed) {
      if (s.baseSequence < tail.segmentBase()) {
        all.add(s);
      }
    }
    if (tail.segmentEnd() > 0) {
      all.add(new Segment(tail.segmentBase(), tail.nextSequence() - 1, tail.nextSequence()
          - tail.segmentBase(), tail.segmentEnd(), false, false));
    }
    long checked = 0;
    long expected = -1;
    for (Segment s : all) {
      if (expected >= 0 && s.baseSequence != expected) {
        throw new CorruptLogException(s.name, 0, "segment starts at sequence " + s.baseSequence
            + " where " + expected + " was expected");
      }
      checked += verifySegment(s);
      expected = s.lastSequence + 1;
    }
    return checked;
  }

  /**
   * {@link ReadOnlyLog#verify}: checks the segment files as they are, in order of base sequence, and
   * goes on after a problem to name every damaged segment. Unsealed segments are checked by the scan
   * recovery makes (every frame, in sequence, to the end of the file, or for the last segment to its
   * torn tail, which is not a problem); sealed ones by {@link #verifySegment}.
   */
  ReadOnlyLog.Verification verifyFiles(LogId logId, Consumer<String> segmentStarted)
      throws IOException {
    TreeMap<Long, String> segments = new TreeMap<>();
    for (String name : storage.list()) {
      long base = SegmentName.parse(name);
      if (base >= 0) {
        segments.put(base, name);
      }
    }
    SegmentCheck check = new SegmentCheck(storage, maxRecordSize, new RecoveryFindings());
    check.identify(new ArrayList<>(segments.values()), logId);
    List<CorruptLogException> problems = new ArrayList<>();
    long records = 0;
    long expected = -1; // the base the next segment must have; -1 when unknown
    for (var e : segments.entrySet()) {
      long base = e.getKey();
      String name = e.getValue();
      boolean last = segments.higherKey(base) == null;
      segmentStarted.accept(name);
      if (expected >= 0 && base != expected) {
        problems.add(new CorruptLogException(name, 0, base > expected
            ? "sequences " + expected + ".." + (base - 1) + " are missing: the segment starts at "
                + base + " but the previous one ends at " + (expected - 1)
            : "the segment starts at sequence " + base + " but the previous segment holds"
                + " sequences up to " + (expected - 1)));
      }
      expected = -1;
      try {
        SegmentHeader header = check.readHeader(name, base);
        Segment sealed = check.sealed(name, header);
        if (sealed != null) {
          expected = sealed.lastSequence + 1;
          records += verifySegment(sealed);
          continue;
        }
        long size = storage.size(name);
        SegmentCheck.Scan scan = check.scan(name, header, size);
        records += scan.records;
        if (scan.problem == null) {
          expected = scan.lastSequence + 1; // else unknown: the damage may hide later records
        }
        if (scan.problem != null && !(last && scan.tearable)) {
          throw new CorruptLogException(name, scan.problemOffset, scan.problem);
        }
        if (!last && scan.validEnd != size) {
          throw new CorruptLogException(name, scan.validEnd, "a closed segment has no footer and"
              + " its frames end before the end of the file");
        }
      } catch (CorruptLogException problem) {
        problems.add(problem);
      }
    }
    return new ReadOnlyLog.Verification(segments.size(), records, problems);
  }

  /**
   * The exception for damage at {@code offset}, naming the sequences it costs: those up to the
   * segment's next valid record (what a SKIP_CORRUPT reader skips), or to its end.
   */
  private CorruptLogException damaged(Segment s, SegmentInput in, long offset, long previous,
      String problem) throws IOException {
    FrameResync resync = new FrameResync(in, s.dataEnd, maxRecordSize, Long.MAX_VALUE);
    long next = resync.next(offset + 1, previous + 1);
    long lostTo = next >= 0 && resync.sequence() <= s.lastSequence ? resync.sequence() - 1
        : s.lastSequence;
    String lost = lostTo > previous ? "; sequences " + (previous + 1) + ".." + lostTo + " are lost"
        + (next >= 0 ? " (the next valid record is at offset " + next + ")" : "")
        : "";
    return new CorruptLogException(s.name, offset, problem + lost);
  }

  long verifySegment(Segment s) {
    try (SegmentInput in = storage.openForRead(s.name)) {
      FrameScanner scanner = scanner().open(s.name, in, SegmentHeader.SIZE, s.dataEnd);
      FramesCrc framesCrc = new FramesCrc();
      long previous = s.baseSequence - 1;
      long count = 0;
      while (true) {
        FrameScanner.Result r = scanner.next();
        if (r == FrameScanner.Result.END && scanner.offset() >= s.dataEnd) {
          break;
        }
        if (r != FrameScanner.Result.FRAME) {
          throw damaged(s, in, scanner.offset(), previous, scanner.describe(r));
        }
        long seq = scanner.sequence();
        boolean inOrder = Segment.follows(s.gaps, previous, seq);
        if (scanner.type() != RecordFrame.TYPE_RECORD || !inOrder) {
          throw damaged(s, in, scanner.offset(), previous, "record has sequence " + seq
              + " (type " + scanner.type() + ") where " + (previous + 1) + " was expected");
        }
        framesCrc.add(scanner.length(), scanner.maskedCrc());
        previous = seq;
        count++;
      }
      if (s.sealed) {
        byte[] footer = new byte[RecordFrame.FOOTER_SIZE];
        in.readFully(java.nio.ByteBuffer.wrap(footer), s.dataEnd);
        RecordFrame.Footer f = RecordFrame.decodeFooter(footer);
        if (f == null || f.recordCount() != count || f.framesCrc() != framesCrc.value()
            || f.lastSequence() != s.lastSequence) {
          throw new CorruptLogException(s.name, s.dataEnd, "segment footer does not match its "
              + count + " records");
        }
      }
      return count;
    } catch (IOException e) {
      throw new UncheckedIOException("verifying segment " + s.name + " of log "
          + storage.describe() + " failed", e);
    }
  }
}
