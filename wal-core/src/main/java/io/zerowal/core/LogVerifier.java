package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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

  private long verifySegment(Segment s) {
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
