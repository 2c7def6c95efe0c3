/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.zip.CRC32C;

/**
 * {@link WriteAheadLog#read}: the random read of one record by its handle. It signs the handles
 * the log gives out, refuses handles it did not sign or that point outside the durable records,
 * reads the frame through a bounded cache of open segment files ({@link SegmentInputs}) and checks
 * it against the handle and its CRC. Thread-safe.
 */
final class HandleReader {
  private final Storage storage;
  private final SegmentIndex index;
  private final LogId logId;
  private final SegmentInputs inputs;
  /** Throws {@link LogClosedException} once the log is closed. */
  private final Runnable checkOpen;

  HandleReader(Storage storage, SegmentIndex index, LogId logId, int maxOpenFiles,
      Runnable checkOpen) {
    this.storage = storage;
    this.index = index;
    this.logId = logId;
    this.inputs = new SegmentInputs(storage, maxOpenFiles);
    this.checkOpen = checkOpen;
  }

  /** A handle of this log for a record it wrote. */
  RecordHandle sign(long segment, long offset, int length, long sequence) {
    return new RecordHandle(segment, offset, length, sequence, logId);
  }

  /**
   * See {@link WriteAheadLog#read(RecordHandle, ByteBuffer)}; the log is open and {@code handle}
   * is not null; {@code into} may be null (read into a new buffer).
   */
  ByteBuffer read(RecordHandle handle, ByteBuffer into) {
    if (!handle.issuedBy(logId) && handle.tag() != logId.tag(handle.segment(), handle.offset(),
        handle.length(), handle.sequence())) {
      throw new IllegalArgumentException(handle + " was not issued by log " + storage.describe()
          + ": it belongs to another log, or its fields were changed");
    }
    Tail tail = index.tail();
    if (handle.sequence() >= tail.nextSequence()) {
      throw new IllegalArgumentException("no durable record " + handle.sequence() + " in log "
          + storage.describe() + " (next sequence is " + tail.nextSequence()
          + "): the handle belongs to another log");
    }
    if (handle.sequence() < index.firstSequence()) {
      throw new WalException("record " + handle.sequence() + " was deleted by truncateBefore; the"
          + " oldest record of log " + storage.describe() + " is " + index.firstSequence());
    }
    long limit;
    if (handle.segment() == tail.segmentBase() && tail.segmentEnd() >= 0) {
      limit = tail.segmentEnd();
    } else {
      Segment s = index.findClosed(handle.segment());
      if (s == null && tail.segmentEnd() < 0) {
        checkOpen.run(); // closed, and its last segment sealed, since the tail was read
      }
      if (s == null && handle.sequence() < index.firstSequence()) {
        // truncateBefore removed the segment after the check above
        throw new WalException("record " + handle.sequence() + " was deleted by truncateBefore; the"
            + " oldest record of log " + storage.describe() + " is " + index.firstSequence());
      }
      if (s == null) {
        throw new IllegalArgumentException("log " + storage.describe() + " has no segment "
            + SegmentName.of(handle.segment()) + ": the handle belongs to another log");
      }
      limit = s.dataEnd;
    }
    // Written so that an offset near Long.MAX_VALUE cannot overflow past the check.
    if (handle.offset() < SegmentHeader.SIZE
        || handle.offset() > limit - RecordFrame.frameSize(handle.length())) {
      throw new IllegalArgumentException(handle + " lies beyond the records of segment "
          + SegmentName.of(handle.segment()) + ": the handle belongs to another log");
    }
    String name = SegmentName.of(handle.segment());
    int frameSize = (int) RecordFrame.frameSize(handle.length());
    boolean fits = into != null && into.capacity() >= frameSize;
    ByteBuffer target;
    if (fits && into.isDirect() && !into.isReadOnly()) {
      target = into.duplicate().clear().limit(frameSize);
    } else {
      target = ByteBuffer.wrap(fits && into.hasArray() && into.arrayOffset() == 0 ? into.array()
          : new byte[frameSize], 0, frameSize);
    }
    try {
      readFrame(name, handle.offset(), target);
    } catch (ClosedByInterruptException e) {
      throw new WalException("interrupted while reading record " + handle.sequence(), e);
    } catch (ClosedChannelException | java.nio.file.NoSuchFileException e) {
      checkOpen.run();
      if (handle.sequence() >= index.firstSequence()) {
        // Not truncated by the log: the file went away under it.
        throw new WalException("segment " + name + " of log " + storage.describe() + " is gone"
            + " (deleted or moved outside the log while it was open): record " + handle.sequence()
            + " cannot be read; restore the file, or open the log again to recover what is left",
            e);
      }
      throw new WalException("record " + handle.sequence() + " was deleted by truncateBefore while"
          + " it was being read", e);
    } catch (IOException e) {
      checkOpen.run(); // closed while reading: say so, not that the disk failed
      if (handle.sequence() < index.firstSequence()) {
        throw new WalException("record " + handle.sequence() + " was deleted by truncateBefore"
            + " while it was being read", e);
      }
      throw new UncheckedIOException("reading " + handle + " from log " + storage.describe()
          + " failed: " + e.getMessage(), e);
    } finally {
      if (handle.sequence() < index.firstSequence()) {
        inputs.remove(name); // the segment was truncated meanwhile: do not keep its file open
      }
    }
    ByteBuffer b = target.clear().order(ByteOrder.LITTLE_ENDIAN);
    if (RecordFrame.length(b, 0) != handle.length()
        || RecordFrame.type(b, 0) != RecordFrame.TYPE_RECORD
        || RecordFrame.sequence(b, 0) != handle.sequence()) {
      throw mismatch(name, handle, "frame does not match " + handle);
    }
    if (RecordFrame.crcOf(new CRC32C(), b, 0, handle.length()) != RecordFrame.storedCrc(b, 0)) {
      throw mismatch(name, handle, "frame checksum mismatch for record " + handle.sequence());
    }
    return b.limit(RecordFrame.HEADER_SIZE + handle.length()).position(RecordFrame.HEADER_SIZE)
        .slice().order(ByteOrder.BIG_ENDIAN);
  }

  /**
   * Reads through the cache of open segment files. An interrupted reader makes the JDK close a
   * FileChannel for all its users: the interrupted reader gets the {@link ClosedByInterruptException},
   * the closed input is dropped from the cache, and any other reader that ran into the closed channel
   * retries once on a reopened file, so one caller's interrupt does not break reads for the others.
   */
  private void readFrame(String name, long offset, ByteBuffer target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      SegmentInputs.Lease lease = inputs.acquire(name);
      try {
        lease.input.readFully(target.rewind(), offset);
        return;
      } catch (ClosedChannelException e) {
        inputs.discard(lease);
        if (e instanceof ClosedByInterruptException || attempt > 0 || !storage.exists(name)) {
          throw e;
        }
      } finally {
        inputs.release(lease);
      }
    }
  }

  /**
   * A frame that is not the handle's record: corruption, unless truncateBefore removed the record
   * while it was read and, with recycleSegments, a newer segment is being written into its file.
   */
  private WalException mismatch(String name, RecordHandle handle, String problem) {
    if (truncated(handle.sequence())) {
      return new WalException("record " + handle.sequence() + " was deleted by truncateBefore while"
          + " it was being read (its file was reused by a newer segment)");
    }
    return new CorruptLogException(name, handle.offset(), problem);
  }

  /** Whether {@code sequence} is below the log's first sequence: truncateBefore removed it. */
  boolean truncated(long sequence) {
    return sequence < index.firstSequence();
  }

  /** The segment was deleted by truncateBefore: close its file once its readers are done. */
  void segmentDeleted(String name) {
    inputs.remove(name);
  }

  /** Closes every open segment file (each once its readers are done). */
  void close() {
    inputs.close();
  }
}
