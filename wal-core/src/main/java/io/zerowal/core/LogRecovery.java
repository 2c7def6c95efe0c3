/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery on {@code open} (docs/FORMAT.md, "Recovery"): rebuilds the segment index from names,
 * headers and footers, and hands the writer the segment to continue in.
 *
 * <ul>
 *   <li>Sealed segments but the last cost a header and a footer read; only the last segment and
 *       unsealed ones are scanned frame by frame, so recovery time depends on the open tail, not
 *       on the size of the log.</li>
 *   <li>The last segment, the only one a crash can leave half written, is {@link TailRepair}'s.</li>
 *   <li>Anything else (a bad header, a missing footer on a segment that does not check out, a gap
 *       or repeat of sequences between segments) is mid-log corruption: STRICT fails with
 *       {@link CorruptLogException}; SKIP_CORRUPT repairs it with {@link Salvage}.</li>
 * </ul>
 */
final class LogRecovery {
  private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

  private final Storage storage;
  private final WriteAheadLog.Config config;
  private final RecoveryPolicy policy;
  private final RecoveryFindings findings = new RecoveryFindings();
  private final SegmentCheck check;
  private final Salvage salvage;
  private final TailRepair tailRepair;

  LogRecovery(Storage storage, WriteAheadLog.Config config) {
    this.storage = storage;
    this.config = config;
    this.policy = config.recoveryPolicy;
    this.check = new SegmentCheck(storage, config.maxRecordSize, findings);
    this.salvage = new Salvage(storage, check, findings);
    this.tailRepair = new TailRepair(storage, policy, check, salvage, findings);
  }

  /** What recovery hands to the log. */
  static final class Result {
    final List<Segment> closed;
    final OpenSegment tail;
    final long nextSequence;
    final RecoveryReport report;
    /** The log's identity: from its segment headers, or new for a new log. */
    final LogId logId;

    Result(List<Segment> closed, OpenSegment tail, long nextSequence, RecoveryReport report,
        LogId logId) {
      this.logId = logId;
      this.closed = closed;
      this.tail = tail;
      this.nextSequence = nextSequence;
      this.report = report;
    }
  }

  Result run() throws IOException {
    long started = System.nanoTime();
    TreeMap<Long, String> segments = listSegments();
    LogId logId = check.identify(new ArrayList<>(segments.values()), config.newLogId);
    List<Segment> closed = new ArrayList<>();
    TailRepair.Reopened reopened = null;
    long next = -1; // the sequence the next segment must start at; -1 before the first
    for (Map.Entry<Long, String> e : segments.entrySet()) {
      long base = e.getKey();
      String name = e.getValue();
      Long after = segments.higherKey(base);
      long coverEnd = after == null ? -1 : after - 1;
      TailRepair.Outcome last = null;
      if (next >= 0 && base > next) {
        String problem = "sequences " + next + ".." + (base - 1) + " are missing: segment " + name
            + " starts at " + base + " but the previous one ends at " + (next - 1);
        if (policy == RecoveryPolicy.STRICT) {
          throw new CorruptLogException(name, 0, problem);
        }
        closed.add(salvage.writeGapMarker(next, base - 1, problem));
      } else if (next >= 0 && base < next) {
        String problem = "segment " + name + " starts at sequence " + base
            + " but the previous segment already holds sequences up to " + (next - 1);
        if (policy == RecoveryPolicy.STRICT) {
          throw new CorruptLogException(name, 0, problem);
        }
        if (after == null) {
          last = tailRepair.salvaged(name, base, next, problem);
        } else {
          Segment s = salvage.salvage(name, base, next, coverEnd, problem);
          if (s != null) {
            closed.add(s);
            next = s.lastSequence + 1;
          }
          continue;
        }
      }
      if (after == null) {
        if (last == null) {
          last = tailRepair.recover(name, base, Math.max(next, base));
        }
        if (last.segment() != null) {
          closed.add(last.segment());
        }
        reopened = last.reopened();
        next = last.nextSequence();
      } else {
        Segment s = recoverClosed(name, base, Math.max(next, base), coverEnd);
        closed.add(s);
        next = s.lastSequence + 1;
      }
    }
    next = Math.max(next, 0);

    long records = reopened != null ? reopened.recordCount() : 0;
    for (Segment s : closed) {
      records += s.recordCount;
    }
    long firstSequence = !closed.isEmpty() ? closed.get(0).baseSequence
        : reopened != null ? reopened.baseSequence() : next;
    RecoveryReport report = findings.report(closed.size() + 1, records, firstSequence, next,
        Duration.ofNanos(System.nanoTime() - started));
    return new Result(closed, writerTail(reopened), next, report, logId);
  }

  /**
   * The writer's view of the segment it continues in: the one place recovery builds it.
   */
  private static OpenSegment writerTail(TailRepair.Reopened r) {
    return r == null ? null
        : new OpenSegment(r.output(), r.baseSequence(), r.recordCount(), r.framesCrc());
  }

  /** Finishes interrupted salvages, drops leftover spares, and lists the segments by base. */
  private TreeMap<Long, String> listSegments() throws IOException {
    List<String> names = storage.list();
    for (String name : names) {
      if (name.endsWith(SegmentName.TEMP_SUFFIX) && SegmentName.parse(
          name.substring(0, name.length() - SegmentName.TEMP_SUFFIX.length())) >= 0) {
        salvage.finishInterrupted(name, names);
      } else if (name.equals(SegmentPreallocator.SPARE) || SegmentRecycler.isSpare(name)) {
        storage.delete(name); // a file prepared for a roll that never came
        storage.syncDirectory();
      }
    }
    TreeMap<Long, String> segments = new TreeMap<>();
    for (String name : storage.list()) {
      long base = SegmentName.parse(name);
      if (base >= 0) {
        segments.put(base, name);
      } else if (!name.contains(SegmentName.CORRUPT_SUFFIX)) {
        log.warn("ignoring {} in log {}: not a segment name", name, storage.describe());
      }
    }
    return segments;
  }

  /** A segment that is not the last one: sealed, or unsealed but wholly valid, or corrupt. */
  private Segment recoverClosed(String name, long base, long minSequence, long coverEnd)
      throws IOException {
    try {
      SegmentHeader header = check.readHeader(name, base);
      Segment sealed = check.sealed(name, header);
      if (sealed != null) {
        return sealed;
      }
      long size = storage.size(name);
      SegmentCheck.Scan scan = check.scan(name, header, size);
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
      if (policy == RecoveryPolicy.STRICT) {
        throw e;
      }
      return salvage.salvage(name, base, minSequence, coverEnd, e.getMessage());
    }
  }
}
