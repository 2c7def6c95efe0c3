package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery on {@code open}: rebuilds the segment index from names, headers and footers, and repairs
 * what a crash leaves.
 *
 * <ul>
 *   <li>Sealed segments cost a header and a footer read; only unsealed ones are scanned frame by
 *       frame, so recovery time depends on the open tail, not on the size of the log.</li>
 *   <li>Damage in the last segment with nothing valid after it is a torn tail: the unfinished last
 *       group, never acknowledged. It is cut off durably before any new write.</li>
 *   <li>Anything else (a bad frame followed by valid ones, a bad header, a missing footer on a
 *       segment that does not check out, a gap or repeat of sequences between segments) is mid-log
 *       corruption: STRICT fails with {@link CorruptLogException}; SKIP_CORRUPT rebuilds the
 *       segment from its valid frames (see {@link #salvage}) and reports what it skipped.</li>
 * </ul>
 */
final class LogRecovery {
  private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);
  private static final int SCAN_BUFFER = 1 << 20;

  private final Storage storage;
  private final WriteAheadLog.Config config;

  private long bytesTruncated;
  private boolean tornTail;
  private long recordsSkipped;
  private long bytesScanned;
  private final List<String> corruptSegments = new ArrayList<>();

  private FrameScanner scanner;
  /** The log's identity: from the first segment header that decodes, or new for a new log. */
  private LogId logId;

  /** One scanner, and so one read buffer, for the whole recovery. */
  private FrameScanner scanner() {
    if (scanner == null) {
      scanner = new FrameScanner(config.maxRecordSize, SCAN_BUFFER);
    }
    return scanner;
  }

  LogRecovery(Storage storage, WriteAheadLog.Config config) {
    this.storage = storage;
    this.config = config;
  }

  /** What recovery hands to the log. */
  static final class Result {
    final List<Segment> closed;
    final OpenSegment tail;
    final long nextSequence;
    final RecoveryReport report;
    final LogId logId;

    Result(List<Segment> closed, OpenSegment tail, long nextSequence,
        RecoveryReport report, LogId logId) {
      this.logId = logId;
      this.closed = closed;
      this.tail = tail;
      this.nextSequence = nextSequence;
      this.report = report;
    }
  }

  Result run() throws IOException {
    long started = System.nanoTime();
    TreeMap<Long, String> segments = new TreeMap<>();
    List<String> names = storage.list();
    for (String name : names) {
      if (name.endsWith(SegmentName.TEMP_SUFFIX) && SegmentName.parse(
          name.substring(0, name.length() - SegmentName.TEMP_SUFFIX.length())) >= 0) {
        finishSalvage(name, names);
      } else if (name.equals(SegmentPreallocator.SPARE)) {
        storage.delete(name); // zeros prepared for a roll that never came
        storage.syncDirectory();
      }
    }
    for (String name : storage.list()) {
      long base = SegmentName.parse(name);
      if (base >= 0) {
        segments.put(base, name);
      } else if (!name.contains(SegmentName.CORRUPT_SUFFIX)) {
        log.warn("ignoring {} in log {}: not a segment name", name, storage.describe());
      }
    }

    logId = identify(segments);
    List<Segment> closed = new ArrayList<>();
    OpenSegment tail = null;
    long next = 0;
    boolean first = true;
    for (Map.Entry<Long, String> e : segments.entrySet()) {
      long base = e.getKey();
      String name = e.getValue();
      boolean last = base == segments.lastKey();
      Long after = segments.higherKey(base);
      if (!first) {
        Segment prev = closed.get(closed.size() - 1);
        if (base > next) {
          String problem = "sequences " + next + ".." + (base - 1) + " are missing: segment "
              + name + " starts at " + base + " but the previous one ends at " + prev.lastSequence;
          if (config.recoveryPolicy == RecoveryPolicy.STRICT) {
            throw new CorruptLogException(name, 0, problem);
          }
          closed.add(writeGapMarker(next, base - 1, problem));
        } else if (base < next) {
          String problem = "segment " + name + " starts at sequence " + base
              + " but the previous segment already holds sequences up to " + (next - 1);
          if (config.recoveryPolicy == RecoveryPolicy.STRICT) {
            throw new CorruptLogException(name, 0, problem);
          }
          Segment s = salvage(name, base, next, after == null ? -1 : after - 1, problem);
          closed.add(s);
          next = s.lastSequence + 1;
          first = false;
          continue;
        }
      }
      first = false;
      if (last) {
        LastSegment l = recoverLast(name, base, next);
        if (l.segment != null) {
          closed.add(l.segment);
        }
        tail = l.tail;
        next = l.nextSequence;
      } else {
        Segment s = recoverClosed(name, base, Math.max(next, base), after - 1);
        closed.add(s);
        next = s.lastSequence + 1;
      }
    }

    long records = 0;
    for (Segment s : closed) {
      records += s.recordCount;
    }
    if (tail != null) {
      records += tail.recordCount();
    }
    long firstSequence = closed.isEmpty() ? (tail != null ? tail.baseSequence : next)
        : closed.get(0).baseSequence;
    int segmentCount = closed.size() + 1;
    RecoveryReport report = new RecoveryReport(segmentCount, records, firstSequence, next,
        bytesTruncated, tornTail, recordsSkipped, corruptSegments, bytesScanned,
        Duration.ofNanos(System.nanoTime() - started));
    return new Result(closed, tail, next, report, logId);
  }

  // ---------------------------------------------------------------- closed segments

  /** A segment that is not the last one: sealed, or unsealed but wholly valid, or corrupt. */
  private Segment recoverClosed(String name, long base, long minSequence, long coverEnd)
      throws IOException {
    try {
      SegmentHeader header = readHeader(name, base);
      Segment sealed = checkFooter(name, header);
      if (sealed != null) {
        return sealed;
      }
      long size = storage.size(name);
      Scan scan = scan(name, header, size);
      if (scan.problem != null) {
        throw new CorruptLogException(name, scan.problemOffset, scan.problem);
      }
      if (scan.validEnd != size) {
        throw new CorruptLogException(name, scan.validEnd,
            "a closed segment has no footer and its frames end before the end of the file");
      }
      if (scan.lastSequence < coverEnd) {
        throw new CorruptLogException(name, scan.validEnd, "a closed segment has no footer and its"
            + " records end at sequence " + scan.lastSequence + " but the next segment starts at "
            + (coverEnd + 1));
      }
      return new Segment(base, scan.lastSequence, scan.records, scan.validEnd, false,
          header.hasGaps());
    } catch (CorruptLogException e) {
      if (config.recoveryPolicy == RecoveryPolicy.STRICT) {
        throw e;
      }
      return salvage(name, base, minSequence, coverEnd, e.getMessage());
    }
  }

  private SegmentHeader readHeader(String name, long base) throws IOException {
    byte[] bytes = new byte[SegmentHeader.SIZE];
    int got;
    try (SegmentInput in = storage.openForRead(name)) {
      got = read(in, bytes, 0);
    }
    byte[] exact = got == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, got);
    SegmentHeader header = SegmentHeader.decode(name, exact);
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

  /** The id in the first segment header that decodes, or a new one for a log without any. */
  private LogId identify(TreeMap<Long, String> segments) throws IOException {
    for (String name : segments.values()) {
      byte[] bytes = new byte[SegmentHeader.SIZE];
      int got;
      try (SegmentInput in = storage.openForRead(name)) {
        got = read(in, bytes, 0);
      }
      try {
        return SegmentHeader.decode(name, java.util.Arrays.copyOf(bytes, got)).logId;
      } catch (CorruptLogException e) {
        // judged with the segment below
      }
    }
    return config.newLogId != null ? config.newLogId : LogId.random();
  }

  /** The sealed segment the footer describes, or null if there is no valid footer. */
  private Segment checkFooter(String name, SegmentHeader header) throws IOException {
    long size = storage.size(name);
    if (size < SegmentHeader.SIZE + RecordFrame.FOOTER_SIZE) {
      return null;
    }
    byte[] bytes = new byte[RecordFrame.FOOTER_SIZE];
    try (SegmentInput in = storage.openForRead(name)) {
      if (read(in, bytes, size - bytes.length) != bytes.length) {
        return null;
      }
    }
    RecordFrame.Footer f = RecordFrame.decodeFooter(bytes);
    if (f == null) {
      return null;
    }
    long span = f.lastSequence - header.baseSequence + 1;
    boolean countOk = header.hasGaps() ? f.recordCount >= 0 && f.recordCount <= span
        : f.recordCount == span;
    if (!countOk || span < 0) {
      throw new CorruptLogException(name, size - bytes.length, "segment footer claims "
          + f.recordCount + " records up to sequence " + f.lastSequence + " from base "
          + header.baseSequence);
    }
    return new Segment(header.baseSequence, f.lastSequence, f.recordCount,
        size - RecordFrame.FOOTER_SIZE, true, header.hasGaps());
  }

  // ---------------------------------------------------------------- the last segment

  private static final class LastSegment {
    Segment segment;
    OpenSegment tail;
    long nextSequence;
  }

  private LastSegment recoverLast(String name, long base, long expected) throws IOException {
    LastSegment result = new LastSegment();
    long size = storage.size(name);
    SegmentHeader header;
    try {
      header = readHeader(name, base);
    } catch (CorruptLogException e) {
      if (!hasIntactHeader(name) && !hasValidFrame(name, 0, size, base)) {
        // The file was created but its header never reached the disk: a crash during roll. It
        // cannot hold an acknowledged record, since syncing any record would have synced the header.
        // It is rewritten in place rather than deleted: its name is the only durable trace of the
        // next sequence once older segments are truncated.
        log.info("rewriting segment {} of log {}: torn at creation ({} bytes, no valid frame)", name,
            storage.describe(), size);
        bytesTruncated += size;
        tornTail = true;
        result.nextSequence = Math.max(expected, base);
        if (continueInPlace(name, base, 0, 0, new FramesCrc(), result)) {
          result.tail.output.write(SegmentHeader.encode(base, 0, logId));
        } else {
          storage.delete(name);
          storage.syncDirectory();
        }
        return result;
      }
      if (config.recoveryPolicy == RecoveryPolicy.STRICT) {
        throw e;
      }
      result.segment = salvage(name, base, Math.max(expected, base), -1, e.getMessage());
      result.nextSequence = result.segment.lastSequence + 1;
      if (result.segment.recordCount == 0 && result.segment.lastSequence < base) {
        result.segment = null; // nothing salvaged: write into it, a new one could not have its name
        reuseEmpty(name, base, result);
      }
      return result;
    }

    Segment sealed;
    try {
      sealed = checkFooter(name, header);
    } catch (CorruptLogException e) {
      sealed = null; // an implausible footer at the end is scanned like any other bytes
    }
    if (sealed != null) {
      if (sealed.recordCount == 0 && sealed.lastSequence < base) {
        reuseEmpty(name, base, result);
        return result;
      }
      syncAdopted(name, size);
      result.segment = sealed;
      result.nextSequence = sealed.lastSequence + 1;
      return result;
    }

    Scan scan = scan(name, header, size);
    boolean zerosBeforeEnd = scan.problem == null && scan.validEnd < size;
    if (zerosBeforeEnd && hasValidFrame(name, scan.validEnd + 1, size, scan.lastSequence + 1)) {
      // An all-zero frame header ends the scan, but valid frames follow: zeroed data, not the end.
      scan.problem = "zeros where a frame was expected, with valid frames after them";
      scan.problemOffset = scan.validEnd;
      scan.tearable = false;
    }
    if (scan.problem == null && zerosBeforeEnd
        && (header.flags & SegmentHeader.FLAG_PREALLOCATED) == 0) {
      // Zeros after the last frame of a segment that was not preallocated: a torn write.
      log.info("cutting torn tail of segment {} in log {} at offset {} ({} bytes of zeros)", name,
          storage.describe(), scan.validEnd, size - scan.validEnd);
      bytesTruncated += size - scan.validEnd;
      tornTail = true;
    }
    if (scan.problem != null) {
      boolean torn = scan.tearable
          && !hasValidFrame(name, scan.problemOffset + 1, size, scan.lastSequence + 1);
      if (!torn) {
        CorruptLogException e = new CorruptLogException(name, scan.problemOffset, scan.problem);
        if (config.recoveryPolicy == RecoveryPolicy.STRICT) {
          throw e;
        }
        result.segment = salvage(name, base, Math.max(expected, base), -1, e.getMessage());
        result.nextSequence = result.segment.lastSequence + 1;
        if (result.segment.recordCount == 0 && result.segment.lastSequence < base) {
          result.segment = null;
          reuseEmpty(name, base, result);
        }
        return result;
      }
      log.info("cutting torn tail of segment {} in log {} at offset {} ({} bytes): {}", name,
          storage.describe(), scan.validEnd, size - scan.validEnd, scan.problem);
      bytesTruncated += size - scan.validEnd;
      tornTail = true;
    }
    if (scan.validEnd < size) {
      storage.truncate(name, scan.validEnd);
    }
    result.nextSequence = scan.lastSequence + 1;
    if (!continueInPlace(name, base, scan.validEnd, scan.records, scan.framesCrc, result)) {
      result.segment = new Segment(base, scan.lastSequence, scan.records, scan.validEnd, false,
          header.hasGaps());
    }
    return result;
  }

  /**
   * Syncs a sealed last segment that the log will build the next segment on. Its footer may be only
   * in the page cache (a kill, or a failed sync, between the seal's write and its sync); if a later
   * segment became durable while it did not, a power loss would leave mid-log corruption. Storages
   * that cannot write into an existing file (object stores) make every close durable anyway.
   */
  private void syncAdopted(String name, long size) throws IOException {
    SegmentOutput out;
    try {
      out = storage.openForWrite(name, size);
    } catch (UnsupportedOperationException e) {
      return;
    }
    try (out) {
      out.sync();
    }
  }

  /**
   * An empty last segment (sealed by a clean close, or rebuilt empty) is written into again rather
   * than followed by a new segment of the same base, which could not have its name.
   */
  private void reuseEmpty(String name, long base, LastSegment result) throws IOException {
    result.nextSequence = base;
    if (!continueInPlace(name, base, SegmentHeader.SIZE, 0, new FramesCrc(), result)) {
      storage.delete(name);
      storage.syncDirectory();
    }
  }

  /**
   * Reopens the last segment for writing at {@code position}, so that an empty or unsealed tail is
   * continued rather than followed by a new segment. Returns false if the storage cannot write into
   * an existing file (object stores); the segment then stays closed and unsealed.
   */
  private boolean continueInPlace(String name, long base, long position, long records,
      FramesCrc framesCrc, LastSegment result) throws IOException {
    SegmentOutput out;
    try {
      out = storage.openForWrite(name, position);
    } catch (UnsupportedOperationException e) {
      return false; // decided before anything is cut, so the segment stays as it was
    }
    if (storage.size(name) > position) {
      out.truncateToPosition();
      out.sync(); // the cut is durable before any new write lands behind it
    }
    result.tail = new OpenSegment(out, base, records, framesCrc);
    return true;
  }

  // ---------------------------------------------------------------- scanning

  private static final class Scan {
    long validEnd;
    long records;
    long lastSequence;
    FramesCrc framesCrc = new FramesCrc();
    String problem;
    long problemOffset;
    /** Whether the problem could be a torn write (as opposed to a valid frame out of place). */
    boolean tearable;
  }

  /** Scans every frame of a segment, stopping at its end or at the first problem. */
  private Scan scan(String name, SegmentHeader header, long size) throws IOException {
    Scan s = new Scan();
    s.lastSequence = header.baseSequence - 1;
    s.validEnd = SegmentHeader.SIZE;
    try (SegmentInput in = storage.openForRead(name)) {
      FrameScanner scanner = scanner().open(name, in, SegmentHeader.SIZE, size);
      while (true) {
        FrameScanner.Result r = scanner.next();
        if (r == FrameScanner.Result.END) {
          break;
        }
        if (r != FrameScanner.Result.FRAME) {
          s.problem = describe(r, scanner);
          s.problemOffset = scanner.offset();
          s.tearable = true;
          break;
        }
        long seq = scanner.sequence();
        boolean seqOk = header.hasGaps() ? seq > s.lastSequence : seq == s.lastSequence + 1;
        if (scanner.type() != RecordFrame.TYPE_RECORD || !seqOk) {
          String problem = scanner.type() != RecordFrame.TYPE_RECORD
              ? "frame of unexpected type " + scanner.type()
              : "record has sequence " + seq + " where " + (s.lastSequence + 1) + " was expected";
          long problemOffset = scanner.offset();
          // A footer that did not check out as a seal, at the end of the data, is treated as the
          // end. Zeros may follow it: sealing a preallocated segment writes the footer, cuts the
          // zeros behind it and then syncs, so a crash can keep the footer but not the cut.
          if (scanner.type() == RecordFrame.TYPE_FOOTER
              && (problemOffset + RecordFrame.FOOTER_SIZE == size
                  || scanner.next() == FrameScanner.Result.END)) {
            break;
          }
          s.problem = problem;
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
    bytesScanned += s.validEnd;
    return s;
  }

  static String describe(FrameScanner.Result r, FrameScanner scanner) {
    switch (r) {
      case TRUNCATED:
        return "frame is cut short by the end of the file";
      case BAD_LENGTH:
        return "frame length " + Integer.toUnsignedString(scanner.length())
            + " exceeds maxRecordSize (if the log was written with a larger maxRecordSize, open it"
            + " with that)";
      case BAD_CRC:
        return "frame checksum mismatch";
      default:
        return r.name();
    }
  }

  /**
   * Whether the file starts with a complete header whose checksum holds, whatever base it names. A
   * crash during roll leaves a missing or torn header, never an intact one of another base: such a
   * file is another segment's data under this name, which is corruption to keep, not a torn tail.
   */
  private boolean hasIntactHeader(String name) throws IOException {
    byte[] bytes = new byte[SegmentHeader.SIZE];
    int got;
    try (SegmentInput in = storage.openForRead(name)) {
      got = read(in, bytes, 0);
    }
    if (got < bytes.length) {
      return false;
    }
    try {
      SegmentHeader.decode(name, bytes);
      return true;
    } catch (CorruptLogException e) {
      return false;
    }
  }

  private boolean hasValidFrame(String name, long from, long end, long minSequence)
      throws IOException {
    try (SegmentInput in = storage.openForRead(name)) {
      // Any valid frame counts, even one above this open's maxRecordSize (see FrameScanner).
      return FrameResync.findNextValidFrame(in, Math.max(from, 0), end, minSequence,
          WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT) >= 0;
    }
  }

  private static int read(SegmentInput in, byte[] dst, long position) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(dst);
    long pos = position;
    while (b.hasRemaining()) {
      int n = in.read(b, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    return b.position();
  }

  // ---------------------------------------------------------------- SKIP_CORRUPT

  /**
   * Rebuilds a damaged segment from its valid frames: they are copied, in order, into
   * {@code <name>.tmp} (flagged as having gaps, sealed, synced); then the damaged file is renamed to
   * {@code <name>.corrupt} and the copy takes its name. A crash in between is finished by
   * {@link #finishSalvage} on the next open. Records it cannot copy are counted as skipped.
   *
   * @param minSequence the lowest sequence the segment may contribute (earlier ones are repeats)
   * @param coverEnd the last sequence the segment covers (the next segment's base minus one), or -1
   *     for the last segment, which covers up to its last valid record
   */
  private Segment salvage(String name, long base, long minSequence, long coverEnd, String why)
      throws IOException {
    log.warn("log {}: skipping corrupt data in segment {}: {}", storage.describe(), name, why);
    String tmp = name + SegmentName.TEMP_SUFFIX;
    if (storage.exists(tmp)) {
      storage.delete(tmp);
    }
    long size = storage.size(name);
    long lastCopied = minSequence - 1;
    long copied = 0;
    FramesCrc framesCrc = new FramesCrc();
    long dataEnd;
    try (SegmentInput in = storage.openForRead(name);
        SegmentOutput out = storage.create(tmp, 0)) {
      out.write(SegmentHeader.encode(base, SegmentHeader.FLAG_GAPS, logId));
      long pos = SegmentHeader.SIZE;
      while (pos < size) {
        FrameScanner scanner = scanner().open(name, in, pos, size);
        FrameScanner.Result r;
        while ((r = scanner.next()) == FrameScanner.Result.FRAME) {
          long seq = scanner.sequence();
          if (scanner.type() == RecordFrame.TYPE_RECORD && seq > lastCopied
              && (coverEnd < 0 || seq <= coverEnd)) {
            out.write(scanner.frame());
            framesCrc.add(scanner.length(), scanner.maskedCrc());
            lastCopied = seq;
            copied++;
          }
        }
        bytesScanned += scanner.position() - pos;
        if (r == FrameScanner.Result.END && scanner.offset() >= size) {
          break;
        }
        pos = FrameResync.findNextValidFrame(in, scanner.offset() + 1, size, lastCopied + 1,
            WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT);
        if (pos < 0) {
          break;
        }
      }
      long last = coverEnd >= 0 ? coverEnd : lastCopied;
      dataEnd = out.position();
      out.write(RecordFrame.encodeFooter(last, copied, framesCrc.value()));
      out.sync();
      long span = last - Math.max(base, minSequence) + 1;
      recordsSkipped += Math.max(0, span - copied);
      coverEnd = last;
    }
    storage.syncDirectory();
    String aside = asideName(name);
    storage.rename(name, aside);
    storage.syncDirectory();
    storage.rename(tmp, name);
    storage.syncDirectory();
    corruptSegments.add(aside);
    log.warn("log {}: segment {} rebuilt from {} valid records; the damaged file is kept as {}",
        storage.describe(), name, copied, aside);
    return new Segment(base, coverEnd, copied, dataEnd, true, true);
  }

  /** Marks sequences lost with a whole missing segment as skipped, durably, with an empty gap segment. */
  private Segment writeGapMarker(long from, long to, String why) throws IOException {
    log.warn("log {}: {}; recording the gap", storage.describe(), why);
    String name = SegmentName.of(from);
    long dataEnd;
    try (SegmentOutput out = storage.create(name, 0)) {
      out.write(SegmentHeader.encode(from, SegmentHeader.FLAG_GAPS, logId));
      dataEnd = out.position();
      out.write(RecordFrame.encodeFooter(to, 0, new FramesCrc().value()));
      out.sync();
    }
    storage.syncDirectory();
    recordsSkipped += to - from + 1;
    return new Segment(from, to, 0, dataEnd, true, true);
  }

  private String asideName(String name) throws IOException {
    String aside = name + SegmentName.CORRUPT_SUFFIX;
    for (int i = 1; storage.exists(aside); i++) {
      aside = name + SegmentName.CORRUPT_SUFFIX + "." + i;
    }
    return aside;
  }

  /**
   * Completes or discards a salvage that a crash interrupted. The copy is written and synced before
   * the damaged file is renamed aside, so a {@code .tmp} whose segment is gone is complete.
   */
  private void finishSalvage(String tmp, List<String> names) throws IOException {
    String name = tmp.substring(0, tmp.length() - SegmentName.TEMP_SUFFIX.length());
    if (names.contains(name)) {
      storage.delete(tmp);
    } else {
      storage.rename(tmp, name);
    }
    storage.syncDirectory();
  }
}
