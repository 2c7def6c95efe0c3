/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RecoveryPolicy#SKIP_CORRUPT} repair: rebuilds a damaged segment from its valid frames, and
 * records whole missing ranges with gap segments, so that the next open finds a consistent log and
 * nothing to repair (docs/FORMAT.md, "Salvage").
 *
 * <p>A salvaged segment is named after the first sequence it may hold: a segment that repeated
 * sequences of the one before it keeps only later ones, so it starts later than its old name said.
 * Its copy is written as {@code <old name>.tmp}, synced, and only then does the damaged file go aside
 * as {@code .corrupt} and the copy take the new name; {@link #finishInterrupted} completes or discards
 * a salvage a crash interrupted.
 */
final class Salvage {
  private static final Logger log = LoggerFactory.getLogger(Salvage.class);

  private final Storage storage;
  private final SegmentCheck check;
  private final RecoveryFindings findings;

  Salvage(Storage storage, SegmentCheck check, RecoveryFindings findings) {
    this.storage = storage;
    this.check = check;
    this.findings = findings;
  }

  /**
   * Rebuilds segment {@code name} (base {@code base}) from its valid frames, copied in order into a
   * sealed {@code GAPS} segment; records it cannot copy are counted as skipped. A segment whose
   * header names another log contributes no record: the sequences it covers are skipped.
   *
   * @param minSequence the lowest sequence the segment may contribute (earlier ones are repeats);
   *     the rebuilt segment's base is {@code max(base, minSequence)}
   * @param coverEnd the last sequence the segment covers (the next segment's base minus one), or -1
   *     for the last segment, which covers up to its last valid record
   * @return the rebuilt segment, or null if it would cover no sequence (a whole repeat): then the
   *     damaged file is only set aside
   */
  Segment salvage(String name, long base, long minSequence, long coverEnd, String why)
      throws IOException {
    log.warn("log {}: skipping corrupt data in segment {}: {}", storage.describe(), name, why);
    long newBase = Math.max(base, minSequence);
    if (coverEnd >= 0 && coverEnd < newBase) {
      setAside(name);
      log.warn("log {}: segment {} holds no sequence the log lacks; the file is kept aside",
          storage.describe(), name);
      return null;
    }
    String tmp = name + SegmentName.TEMP_SUFFIX;
    if (storage.exists(tmp)) {
      storage.delete(tmp);
    }
    // A segment of another log (copied or moved in) gives nothing: its records are not this log's.
    long size = check.isForeign(name) ? SegmentHeader.SIZE : storage.size(name);
    long lastCopied = newBase - 1;
    long copied = 0;
    FramesCrc framesCrc = new FramesCrc();
    long dataEnd;
    long last;
    try (SegmentInput in = storage.openForRead(name);
        SegmentOutput out = storage.create(tmp, 0)) {
      out.write(SegmentHeader.encode(newBase, SegmentHeader.FLAG_GAPS, check.logId()));
      long pos = SegmentHeader.SIZE;
      while (pos < size) {
        FrameScanner scanner = check.scanner().open(name, in, pos, size);
        FrameScanner.Result r;
        while ((r = scanner.next()) == FrameScanner.Result.FRAME) {
          long seq = scanner.sequence();
          if (scanner.type() == RecordFrame.TYPE_RECORD && Segment.follows(true, lastCopied, seq)
              && (coverEnd < 0 || seq <= coverEnd)) {
            out.write(scanner.frame());
            framesCrc.add(scanner.length(), scanner.maskedCrc());
            lastCopied = seq;
            copied++;
          }
        }
        findings.bytesScanned += scanner.position() - pos;
        if (r == FrameScanner.Result.END && scanner.offset() >= size) {
          break;
        }
        pos = FrameResync.findNextValidFrame(in, scanner.offset() + 1, size, lastCopied + 1,
            WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT);
        if (pos < 0) {
          break;
        }
      }
      last = coverEnd >= 0 ? coverEnd : lastCopied;
      dataEnd = out.position();
      out.write(RecordFrame.encodeFooter(last, copied, framesCrc.value()));
      out.sync();
      findings.recordsSkipped += Math.max(0, last - newBase + 1 - copied);
    }
    storage.syncDirectory();
    String aside = setAside(name);
    String target = SegmentName.of(newBase);
    storage.rename(tmp, target);
    storage.syncDirectory();
    log.warn("log {}: segment {} rebuilt as {} from {} valid records; the damaged file is kept as {}",
        storage.describe(), name, target, copied, aside);
    return new Segment(newBase, last, copied, dataEnd, true, true);
  }

  /** Marks sequences lost with a whole missing segment as skipped, durably, with an empty gap segment. */
  Segment writeGapMarker(long from, long to, String why) throws IOException {
    log.warn("log {}: {}; recording the gap", storage.describe(), why);
    String name = SegmentName.of(from);
    long dataEnd;
    try (SegmentOutput out = storage.create(name, 0)) {
      out.write(SegmentHeader.encode(from, SegmentHeader.FLAG_GAPS, check.logId()));
      dataEnd = out.position();
      out.write(RecordFrame.encodeFooter(to, 0, new FramesCrc().value()));
      out.sync();
    }
    storage.syncDirectory();
    findings.recordsSkipped += to - from + 1;
    return new Segment(from, to, 0, dataEnd, true, true);
  }

  /** Renames a damaged segment to {@code .corrupt} (or {@code .corrupt.N}), durably, and reports it. */
  private String setAside(String name) throws IOException {
    String aside = name + SegmentName.CORRUPT_SUFFIX;
    for (int i = 1; storage.exists(aside); i++) {
      aside = name + SegmentName.CORRUPT_SUFFIX + "." + i;
    }
    storage.rename(name, aside);
    storage.syncDirectory();
    findings.corruptSegments.add(aside);
    return aside;
  }

  /**
   * Completes or discards a salvage that a crash interrupted ({@code <name>.tmp}). The copy is written
   * and synced before the damaged {@code <name>} is set aside, so a {@code .tmp} whose segment is gone
   * is complete: it takes the name of the base in its header, which may be later than {@code name}.
   */
  void finishInterrupted(String tmp, List<String> names) throws IOException {
    String name = tmp.substring(0, tmp.length() - SegmentName.TEMP_SUFFIX.length());
    if (names.contains(name)) {
      storage.delete(tmp);
    } else {
      byte[] bytes = new byte[SegmentHeader.SIZE];
      check.read(tmp, bytes, 0);
      long base = SegmentHeader.decode(tmp, bytes).baseSequence;
      storage.rename(tmp, SegmentName.of(base));
    }
    storage.syncDirectory();
  }
}
