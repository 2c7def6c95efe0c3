/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.Storage;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A log opened to look at, not to write: no lock, no repair, no new file. Opening it runs the
 * recovery that {@link WriteAheadLog.Builder#open()} runs, with the same policy and on the same
 * code, as a dry run: every change that recovery would make (cut a torn tail, rebuild a damaged
 * segment and set it aside as {@code .corrupt}, write a gap segment, finish an interrupted salvage,
 * delete a leftover spare) is decided and reported, in {@link #recoveryReport()} and
 * {@link #plannedChanges()}, and none is made. Get one with
 * {@link WriteAheadLog.Builder#openReadOnly()}.
 *
 * <pre>{@code
 * try (ReadOnlyLog view = WriteAheadLog.builder(new LocalStorage(dir)).openReadOnly()) {
 *   System.out.println(view.recoveryReport() + " would change " + view.plannedChanges());
 *   try (LogReader r = view.readFrom(view.firstSequence())) { ... }
 * }
 * }</pre>
 *
 * <h2>Next to a running writer</h2>
 * Nothing is locked or written, so a view can be opened while another process (or this one) writes
 * the log. It is a snapshot of the files as they were when it was opened: the records it reads are
 * those whose frames were whole then, up to {@link #nextSequence()}; later appends are not seen
 * (open a new view to see them). Its report describes what a reopen <em>at that moment</em> would do:
 * next to a live writer, the group being written may show as a torn tail of a few bytes that the
 * writer will complete, not a crash. A segment the writer deletes ({@code truncateBefore}) after the
 * view was opened makes a reader of it fail with a {@link WalException} (local files stay readable
 * once a reader has them open). On local disk and HDFS, bytes a writer has written but not yet
 * flushed are not visible to other processes.
 *
 * <h2>Guarantees</h2>
 * Writes, creates, renames, truncates and deletes nothing, and syncs nothing; reads each segment it
 * needs. A record it returns passed its CRC, as in a writable log. A segment that the planned
 * repair would rebuild ({@link RecoveryPolicy#SKIP_CORRUPT}) is read from the damaged file, skipping
 * the damage as the rebuild would: the records a reopen would keep. {@link #verify} checks the files
 * as they are.
 *
 * <h2>Threads</h2>
 * Thread-safe: the view is immutable once opened; each {@link LogReader} is for one thread, as
 * usual. {@link #close()} releases the files it holds open; the storage stays the caller's.
 */
public final class ReadOnlyLog implements Closeable {
  private final Storage storage;
  private final WriteAheadLog.Config config;
  private final DryRunStorage planned;
  private final SegmentIndex index;
  private final RecoveryReport report;
  private final List<String> plannedChanges;
  private final HandleReader reads;
  private final LogId logId;
  private volatile boolean closed;

  ReadOnlyLog(Storage storage, WriteAheadLog.Config config) throws IOException {
    this.storage = storage;
    this.config = config;
    this.planned = new DryRunStorage(storage);
    LogRecovery.Result r = new LogRecovery(planned, config).run();
    Tail tail;
    if (r.tail != null) {
      tail = new Tail(r.tail.baseSequence, r.tail.output.position(), r.nextSequence);
      r.tail.output.close();
    } else {
      tail = new Tail(r.nextSequence, 0, r.nextSequence);
    }
    this.index = new SegmentIndex(r.closed, tail);
    this.report = r.report;
    this.plannedChanges = List.copyOf(planned.plannedChanges());
    this.logId = r.logId;
    this.reads = new HandleReader(planned, index, r.logId, config.maxOpenSegmentFiles,
        this::checkOpen);
  }

  /**
   * What {@code open} would report if it ran now with this builder's policy: segments, records,
   * sequences, torn tail cut ({@link RecoveryReport#bytesTruncated()},
   * {@link RecoveryReport#recordsCut()}), records skipped and segments set aside under
   * {@link RecoveryPolicy#SKIP_CORRUPT}. Nothing of it was done.
   *
   * @return the report of the recovery a writable open would run now
   */
  public RecoveryReport recoveryReport() {
    checkOpen();
    return report;
  }

  /**
   * The changes to the storage that {@code open} would make, in order, one line each, such as
   * {@code "truncate 00000000000000000000.wal from 4133 to 4096 bytes"},
   * {@code "rename 00000000000000000100.wal to 00000000000000000100.wal.corrupt"} or
   * {@code "create 00000000000000000100.wal.tmp (2048 bytes)"}. Empty for a log that a reopen would
   * leave as it is (a clean log). Informational: the format of a line may change.
   *
   * @return the planned changes, one line each, in the order they would be made; empty for a clean
   *     log
   */
  public List<String> plannedChanges() {
    checkOpen();
    return plannedChanges;
  }

  /** {@return the segments, oldest first, as the log would hold them after the planned recovery} */
  public List<SegmentInfo> segments() {
    checkOpen();
    List<SegmentInfo> out = new ArrayList<>();
    Tail tail = index.tail();
    for (Segment s : index.closed()) {
      out.add(SegmentInfo.of(s));
    }
    if (tail.segmentEnd() > 0) {
      out.add(new SegmentInfo(SegmentName.of(tail.segmentBase()), tail.segmentBase(),
          tail.nextSequence() - 1, tail.nextSequence() - tail.segmentBase(), tail.segmentEnd(),
          false, false));
    }
    return out;
  }

  /**
   * The oldest sequence in the log; equal to {@link #nextSequence()} if it holds no record.
   *
   * @return the oldest sequence this view sees
   */
  public long firstSequence() {
    checkOpen();
    return index.firstSequence();
  }

  /**
   * {@return one past the last record this view sees: the sequence a reopen would give the next
   * append}
   */
  public long nextSequence() {
    checkOpen();
    return index.tail().nextSequence();
  }

  /**
   * Streams the records from {@code sequence} to {@link #nextSequence()}, CRC checked, as
   * {@link WriteAheadLog#readFrom(long)} does, under this builder's recovery policy.
   *
   * @param sequence the first sequence to read
   * @return a reader positioned at {@code sequence}; close it when done
   * @throws IllegalArgumentException if {@code sequence} is negative or beyond {@link #nextSequence()}
   * @throws WalException if {@code sequence} is below {@link #firstSequence()}
   */
  public LogReader readFrom(long sequence) {
    checkOpen();
    Tail tail = index.tail();
    long first = index.firstSequence();
    if (sequence < 0 || sequence > tail.nextSequence()) {
      throw new IllegalArgumentException("sequence " + sequence + " is outside log "
          + storage.describe() + ", which ends before " + tail.nextSequence());
    }
    if (sequence < first) {
      throw new WalException("sequence " + sequence + " is not in log " + storage.describe()
          + ", whose oldest record is " + first + ": read from firstSequence()");
    }
    List<Segment> view = new ArrayList<>();
    try {
      for (Segment s : index.closed()) {
        if (s.lastSequence < sequence || s.recordCount == 0) {
          continue; // nothing to read (a gap segment the plan writes holds no record)
        }
        long damagedSize = planned.rebuiltFromSize(s.name);
        // A segment the plan rebuilds is read from the damaged file, skipping the damage (the
        // policy is SKIP_CORRUPT, or the plan would not rebuild it).
        view.add(damagedSize < 0 ? s : new Segment(s.baseSequence, s.lastSequence, s.recordCount,
            damagedSize, false, true));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading log " + storage.describe() + " failed: "
          + e.getMessage(), e);
    }
    if (tail.segmentEnd() > SegmentHeader.SIZE) {
      view.add(new Segment(tail.segmentBase(), tail.nextSequence() - 1, 0, tail.segmentEnd(), false,
          false));
    }
    return new LogReader(reads, this::checkOpen, planned, view, sequence, tail.nextSequence(),
        config.maxRecordSize, config.recoveryPolicy);
  }

  /**
   * Reads one record back by its handle, checking its CRC; see {@link WriteAheadLog#read}.
   *
   * @param handle a handle issued by this log, as returned by an append or read from a record
   * @return the record's payload, a read-only buffer of its own
   * @throws IllegalArgumentException if the handle was not issued by this log
   * @throws CorruptLogException if the bytes do not match the handle or fail the CRC
   */
  public ByteBuffer read(RecordHandle handle) {
    Objects.requireNonNull(handle, "handle must not be null");
    checkOpen();
    return reads.read(handle, null);
  }

  /** What {@link #verify} found. */
  public record Verification(int segments, long records, List<CorruptLogException> problems) {
    /**
     * Copies {@code problems}, so that a verification never changes after it is made.
     *
     * @param segments the number of segments checked
     * @param records the number of records whose frames checked out
     * @param problems each damaged frame, header or footer found, in log order
     */
    public Verification {
      problems = List.copyOf(problems);
    }

    /** {@return whether every frame and footer checked out} */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Checks every frame and footer of the segment files as they are now (not as the planned repair
   * would leave them), as {@link WriteAheadLog#verify()} does, but goes on after a damaged segment:
   * each problem is named with its segment and offset, at most one per segment, plus one for each gap
   * or repeat of sequences between segments. A torn tail of the last segment (what a reopen cuts, see
   * {@link #recoveryReport()}) is not a problem; a problem no torn write explains there is.
   *
   * @param segmentStarted called with each segment's name before it is checked (progress), on the
   *     calling thread
   * @return what was checked and every problem found; {@link Verification#ok()} if none
   * @throws UncheckedIOException if the storage fails
   * @throws RecordTooLargeException at a valid record beyond this builder's {@code maxRecordSize}
   */
  public Verification verify(Consumer<String> segmentStarted) {
    checkOpen();
    try {
      return new LogVerifier(storage, config.maxRecordSize)
          .verifyFiles(logId, segmentStarted);
    } catch (IOException e) {
      throw new UncheckedIOException("verifying log " + storage.describe() + " failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * Releases the files this view holds open. Idempotent. The storage stays open, and the caller's
   * to close: the view never locked it, and {@link Storage#close()} releases the write lock, which a
   * writer on the same storage instance may hold.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    reads.close();
  }

  private void checkOpen() {
    if (closed) {
      throw new LogClosedException("this read-only view of " + storage.describe() + " is closed;"
          + " open another with WriteAheadLog.builder(storage).openReadOnly()");
    }
  }
}
