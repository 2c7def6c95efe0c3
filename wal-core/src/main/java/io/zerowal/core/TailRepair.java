/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs the last segment, the only one a crash can leave half written, and decides where the
 * writer continues.
 *
 * <p>The rule (docs/FORMAT.md, "The last segment"): the writer completes an append only after a sync
 * that covers every byte before it, writes nothing past a group it has not synced, and seals (syncs)
 * a segment before it creates the next. So a power loss can only damage the last segment, and only
 * after the last completed sync: the disk may keep a later page of the unfinished group and lose an
 * earlier one. Whatever follows the first bad frame of the last segment — a torn frame, zeros, or
 * valid frames after a hole — was therefore never acknowledged: it is the torn tail, and is cut.
 * The valid frames cut with it are counted in {@link RecoveryReport#recordsCut()} and logged at WARN,
 * because the same picture without a crash is damage on the medium. Only what a torn write cannot
 * produce (a valid frame of the wrong type or sequence, an intact header of another segment, a valid
 * footer under a bad header) is corruption.
 */
final class TailRepair {
  private static final Logger log = LoggerFactory.getLogger(TailRepair.class);

  /** The segment the writer continues in: reopened at its end of valid records. */
  record Reopened(SegmentOutput output, long baseSequence, long recordCount, FramesCrc framesCrc) {}

  /** What became of the last segment: closed (then {@code segment}) or reopened (then {@code reopened}), or neither. */
  record Outcome(Segment segment, Reopened reopened, long nextSequence) {}

  private final Storage storage;
  private final RecoveryPolicy policy;
  private final SegmentCheck check;
  private final Salvage salvage;
  private final RecoveryFindings findings;

  TailRepair(Storage storage, RecoveryPolicy policy, SegmentCheck check, Salvage salvage,
      RecoveryFindings findings) {
    this.storage = storage;
    this.policy = policy;
    this.check = check;
    this.salvage = salvage;
    this.findings = findings;
  }

  /** Recovers the last segment, {@code name} of base {@code base}; {@code expected} is the next sequence. */
  Outcome recover(String name, long base, long expected) throws IOException {
    long size = storage.size(name);
    SegmentHeader header;
    try {
      header = check.readHeader(name, base);
    } catch (CorruptLogException e) {
      return check.hasIntactHeader(name)
          ? corrupt(name, base, expected, e) // another segment's data under this name
          : tornAtCreation(name, base, expected, size);
    }
    Outcome sealed = sealed(name, header, expected, size);
    return sealed != null ? sealed : unsealed(name, header, expected, size);
  }

  /**
   * The header never reached the disk: the crash came while the segment was created or before its
   * first group was synced (syncing any record, or the seal, syncs the header). Nothing in it was
   * acknowledged, even if a footer's page survived. It is rewritten in place rather than deleted:
   * its name is the only durable trace of the next sequence once older segments are truncated.
   */
  private Outcome tornAtCreation(String name, long base, long expected, long size)
      throws IOException {
    cutTornTail(name, 0, size, base, "torn at creation");
    long next = Math.max(expected, base);
    Reopened reopened = reopen(name, base, 0, 0, new FramesCrc());
    if (reopened == null) {
      storage.delete(name);
      storage.syncDirectory();
      return new Outcome(null, null, next);
    }
    reopened.output().write(SegmentHeader.encode(base, 0, check.logId()));
    return new Outcome(null, reopened, next);
  }

  /**
   * The outcome for a segment with a valid footer at its end whose frames check out, or null if it
   * has none or a torn frame before it (then it is a torn tail like any unsealed segment). A footer
   * does not prove the seal was synced: a roll writes the rest of a group and the footer, then
   * syncs both, and a power loss may keep the footer's page but not an earlier one. So the last
   * segment is scanned even when sealed.
   */
  private Outcome sealed(String name, SegmentHeader header, long expected, long size)
      throws IOException {
    long base = header.baseSequence;
    Segment sealed;
    try {
      sealed = check.sealed(name, header);
    } catch (CorruptLogException e) {
      return null; // an implausible footer at the end is scanned like any other bytes
    }
    if (sealed == null) {
      return null;
    }
    if (sealed.recordCount == 0 && sealed.lastSequence < base) {
      return reuseEmpty(name, base);
    }
    SegmentCheck.Scan records;
    try {
      records = check.scan(name, header, sealed.dataEnd);
    } catch (RecordTooLargeException e) {
      // A whole, valid record above this open's maxRecordSize: the scan cannot go on, and no
      // record can be dropped for it. Trust the footer as the other sealed segments are trusted;
      // readers and verify() fail on that record with the same clear message.
      records = null;
    }
    if (records != null) {
      boolean torn = records.problem != null ? records.tearable
          : records.validEnd < sealed.dataEnd;
      if (torn) {
        return null;
      }
      CorruptLogException mismatch = footerMismatch(name, sealed, records, size);
      if (mismatch != null) {
        return corrupt(name, base, expected, mismatch);
      }
    }
    syncAdopted(name, size);
    return new Outcome(sealed, null, sealed.lastSequence + 1);
  }

  /** Scans the segment, cuts its torn tail (everything from the first bad frame), continues in it. */
  private Outcome unsealed(String name, SegmentHeader header, long expected, long size)
      throws IOException {
    long base = header.baseSequence;
    SegmentCheck.Scan scan = check.scan(name, header, size);
    if (scan.problem != null && !scan.tearable) {
      return corrupt(name, base, expected,
          new CorruptLogException(name, scan.problemOffset, scan.problem));
    }
    if (scan.validEnd < size) {
      boolean zerosOnly = scan.problem == null && !scan.olderData;
      boolean preallocated = (header.flags & SegmentHeader.FLAG_PREALLOCATED) != 0;
      // The end of data of a preallocated segment (zeros) or of a recycled one (zeros, a frame of
      // the older segment, or a frame it tore: the writer never wrote there) is not a torn tail,
      // unless valid frames of this segment follow (cutTornTail's count looks for them).
      boolean endOfData = header.isRecycled() || zerosOnly && preallocated;
      boolean quiet = endOfData
          && check.countRecordsFrom(name, scan.validEnd + 1, size, scan.lastSequence + 1) == 0;
      if (!quiet) {
        cutTornTail(name, scan.validEnd, size, scan.lastSequence + 1, scan.problem != null
            ? scan.problem : scan.olderData ? "older segment's frames where a frame was expected"
            : preallocated ? "zeros where a frame was expected" : "zeros after the last frame");
      }
      storage.truncate(name, scan.validEnd);
    }
    Reopened reopened = reopen(name, base, scan.validEnd, scan.records, scan.framesCrc);
    if (reopened == null) {
      return new Outcome(new Segment(base, scan.lastSequence, scan.records, scan.validEnd, false,
          header.hasGaps()), null, scan.lastSequence + 1);
    }
    return new Outcome(null, reopened, scan.lastSequence + 1);
  }

  /**
   * Whether a sealed last segment whose frames are whole disagrees with its footer, as
   * {@code verify()} would find: a problem no crash explains.
   */
  private CorruptLogException footerMismatch(String name, Segment sealed, SegmentCheck.Scan records,
      long size) throws IOException {
    if (records.problem != null) {
      return new CorruptLogException(name, records.problemOffset, records.problem);
    }
    RecordFrame.Footer footer = check.footerAtEnd(name, size);
    if (records.records != sealed.recordCount || records.lastSequence > sealed.lastSequence
        || footer.framesCrc() != records.framesCrc.value()) {
      return new CorruptLogException(name, sealed.dataEnd, "segment footer does not match its "
          + records.records + " records");
    }
    return null;
  }

  /**
   * Reports the torn tail {@code [from, size)} of the last segment: its bytes, and the valid records
   * found in it (never acknowledged if a crash left them; loudly, since bit rot can look the same).
   */
  private void cutTornTail(String name, long from, long size, long minSequence, String why)
      throws IOException {
    long records = check.countRecordsFrom(name, from + 1, size, minSequence);
    findings.bytesTruncated += size - from;
    findings.tornTail = true;
    findings.recordsCut += records;
    if (records > 0) {
      log.warn("cutting torn tail of segment {} in log {} at offset {} ({} bytes, {} records with"
          + " valid checksums after the damage): {}. After a power loss these records were never"
          + " acknowledged; without one, the medium damaged the last segment", name,
          storage.describe(), from, size - from, records, why);
    } else {
      log.info("cutting torn tail of segment {} in log {} at offset {} ({} bytes): {}", name,
          storage.describe(), from, size - from, why);
    }
  }

  /** Corruption that a torn write cannot explain: STRICT fails, SKIP_CORRUPT salvages. */
  private Outcome corrupt(String name, long base, long expected, CorruptLogException e)
      throws IOException {
    if (policy == RecoveryPolicy.STRICT) {
      throw e;
    }
    return salvaged(name, base, expected, e.getMessage());
  }

  /**
   * Salvages the last segment (SKIP_CORRUPT) keeping records from {@code expected} on, and
   * continues in the rebuilt segment if it kept none.
   */
  Outcome salvaged(String name, long base, long expected, String why) throws IOException {
    Segment s = salvage.salvage(name, base, Math.max(expected, base), -1, why);
    if (s == null) {
      return new Outcome(null, null, Math.max(expected, base)); // nothing kept: set aside
    }
    if (s.recordCount == 0 && s.lastSequence < s.baseSequence) {
      return reuseEmpty(s.name, s.baseSequence); // a new segment could not have its name
    }
    return new Outcome(s, null, s.lastSequence + 1);
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
  private Outcome reuseEmpty(String name, long base) throws IOException {
    Reopened reopened = reopen(name, base, SegmentHeader.SIZE, 0, new FramesCrc());
    if (reopened == null) {
      storage.delete(name);
      storage.syncDirectory();
    }
    return new Outcome(null, reopened, base);
  }

  /**
   * Reopens the last segment for writing at {@code position}, cutting what lies beyond durably
   * before any new write lands behind it. Returns null if the storage cannot write into an existing
   * file (object stores): decided before anything is cut, so the segment stays as it was.
   */
  private Reopened reopen(String name, long base, long position, long records, FramesCrc framesCrc)
      throws IOException {
    SegmentOutput out;
    try {
      out = storage.openForWrite(name, position);
    } catch (UnsupportedOperationException e) {
      return null;
    }
    if (storage.size(name) > position) {
      out.truncateToPosition();
      out.sync();
    }
    return new Reopened(out, base, records, framesCrc);
  }
}
