/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.Storage;
import io.zerowal.core.storage.StorageLockedException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash-safe, segmented write-ahead log.
 *
 * <pre>{@code
 * try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir))
 *     .durability(Durability.SYNC).open()) {
 *   log.append(bytes).thenAccept(handle -> ackUpstream());   // after the record is on disk
 *   try (LogReader r = log.readFrom(log.firstSequence())) {
 *     for (LogRecord rec : r) { replay(rec.sequence(), rec.payload()); }
 *   }
 * }
 * }</pre>
 *
 * <h2>Durability</h2>
 * An append's future completes only once the record is as durable as the log's {@link Durability}
 * promises; acknowledge upstream on completion, never before. Futures complete in sequence order.
 * Appends from many threads are committed in groups: one write and one sync carry every record
 * queued since the last sync.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Future completions (and the dependent actions you attach without
 * an {@code ...Async} executor) run on one of the log's own threads, in sequence order: the
 * completion thread, or, where a hand-off would cost more than it saves, the writer itself. Keep
 * them short: a slow callback holds up appenders, and may hold up the disk too. Never wait in them
 * for an append of the same log: {@code join()} or {@code get()} of such a future (or of a stage
 * chained on it) on one of the log's threads throws {@link IllegalStateException} rather than
 * deadlock the log; chain with {@code thenCompose}, or use an {@code ...Async} method with an
 * executor. An append from a callback is fine while there is room; when {@code maxPendingBytes} is
 * reached it throws {@link BackPressureException} instead of waiting, whatever the policy.
 *
 * <h2>Failure</h2>
 * A failed write or sync poisons the log ({@link LogFailedException} for everything pending and
 * after); reopen it to recover. After {@link #close()} every call throws {@link LogClosedException}.
 */
public final class WriteAheadLog implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);

  private final Storage storage;
  private final Config config;
  private final SegmentIndex index;
  private final GroupCommitWriter writer;
  private final RecoveryReport recoveryReport;
  private final HandleReader reads;
  /** Keeps truncated segments' files for the next rolls; null unless recycleSegments. */
  private final SegmentRecycler recycler;
  private final Object closeLock = new Object();
  private final java.util.concurrent.CountDownLatch released =
      new java.util.concurrent.CountDownLatch(1);
  private volatile boolean closed;

  private WriteAheadLog(Storage storage, Config config) throws IOException {
    this.storage = storage;
    this.config = config;
    LogRecovery.Result recovered = new LogRecovery(storage, config).run();
    this.recoveryReport = recovered.report;
    this.index = new SegmentIndex(recovered.closed, null);
    this.reads = new HandleReader(storage, index, recovered.logId, config.maxOpenSegmentFiles,
        this::checkOpen);
    this.recycler = config.recycleSegments
        ? new SegmentRecycler(storage, config.segmentSize) : null;
    this.writer = new GroupCommitWriter(storage, config, index, recovered.tail,
        recovered.nextSequence, recovered.logId, recycler);
    writer.start();
    log.info("opened log {} ({}): {}", storage.describe(), config, recoveryReport);
  }

  /**
   * Starts configuring a log on {@code storage}.
   *
   * @param storage where the log's files live; the log locks it on open and never closes it
   * @return a builder with the default options
   */
  public static Builder builder(Storage storage) {
    return new Builder(storage);
  }

  // ---------------------------------------------------------------- writing

  /**
   * Appends the remaining bytes of {@code payload} as one record.
   *
   * <p>The record is the bytes between the buffer's position and limit <em>as they are when this
   * method is called</em>; the position and limit are not changed, and the caller may change them
   * right after the call. The bytes themselves are read later by the writer thread: do not change
   * them until the future completes. If they are changed anyway, the record may hold old bytes, new
   * bytes or a mix, but it is always written whole with a CRC over exactly the bytes written, so
   * the log stays readable and reopens under {@link RecoveryPolicy#STRICT}.
   *
   * @param payload the record's bytes, from its position to its limit
   * @return a future that completes with the record's handle once the record is durable, in
   *     sequence order, or exceptionally with {@link LogFailedException} (a write or sync failed;
   *     the record may or may not be in the log) or {@link LogClosedException} (the log closed before
   *     the record was written)
   * @throws NullPointerException if {@code payload} is null
   * @throws RecordTooLargeException if the record exceeds {@code maxRecordSize}
   * @throws BackPressureException under {@link BackPressure#FAIL_FAST} when the log is full, and
   *     under either policy when the log is full and this is called from one of the log's own
   *     threads (a completion callback), which would otherwise wait for itself
   * @throws LogClosedException if the log is closed
   * @throws LogFailedException if the log failed
   */
  public CompletableFuture<RecordHandle> append(ByteBuffer payload) {
    Objects.requireNonNull(payload, "payload must not be null");
    checkOpen();
    int position = payload.position();
    int length = payload.limit() - position;
    if (length > config.maxRecordSize) {
      throw new RecordTooLargeException("record of " + length + " bytes exceeds maxRecordSize "
          + config.maxRecordSize + " of log " + storage.describe()
          + "; split the record or open the log with a larger maxRecordSize");
    }
    writer.checkWritable();
    return writer.enqueue(payload, position, length);
  }

  /**
   * Appends {@code payload} as one record; see {@link #append(ByteBuffer)}. Do not change the array
   * until the future completes.
   *
   * @param payload the record's bytes
   * @return a future completed with the record's handle once it is as durable as the log's {@link
   *     Durability}
   */
  public CompletableFuture<RecordHandle> append(byte[] payload) {
    Objects.requireNonNull(payload, "payload must not be null");
    return append(ByteBuffer.wrap(payload));
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads one record back, checking its CRC.
   *
   * @param handle a handle this log returned from an append or a read
   * @return a fresh buffer holding the payload
   * @throws NullPointerException if {@code handle} is null
   * @throws IllegalArgumentException if the handle was not issued by this log (every handle is
   *     signed with a key kept in this log's segment headers), or lies beyond its records
   * @throws WalException if the record was deleted by {@link #truncateBefore(long)}
   * @throws CorruptLogException if the bytes on disk do not match the handle or fail the CRC
   */
  public ByteBuffer read(RecordHandle handle) {
    Objects.requireNonNull(handle, "handle must not be null");
    checkOpen();
    return reads.read(handle, null);
  }

  /**
   * Reads one record back into {@code buffer} rather than a new one, for a caller that reads many
   * records and keeps none of them (a batch processor streaming blocks): nothing is allocated per
   * read once the buffer is large enough. Checks as {@link #read(RecordHandle)} does. A direct
   * buffer is the faster choice for large records on a local disk: the file is read straight into
   * it and checked there, where a heap buffer is filled through a temporary direct one.
   *
   * @param handle a handle this log returned from an append or a read
   * @param buffer a buffer whose whole content, from index 0 to its capacity, this read may
   *     overwrite (its position and limit are ignored and left as they are): a direct buffer, or a
   *     heap buffer whose array starts at index 0; used when it is not read-only and holds at least
   *     the record's frame, {@code handle.length()} + 17 bytes; otherwise the record is read into a
   *     new buffer, as {@link #read(RecordHandle)} does
   * @return a buffer of exactly the payload (position 0, big-endian), a view of {@code buffer} when
   *     it was used: the next read into the same buffer overwrites it
   * @throws NullPointerException if {@code handle} or {@code buffer} is null
   * @throws IllegalArgumentException as {@link #read(RecordHandle)}
   * @throws WalException as {@link #read(RecordHandle)}
   * @throws CorruptLogException as {@link #read(RecordHandle)}
   */
  public ByteBuffer read(RecordHandle handle, ByteBuffer buffer) {
    Objects.requireNonNull(handle, "handle must not be null");
    Objects.requireNonNull(buffer, "buffer must not be null: use read(handle) for a new one");
    checkOpen();
    return reads.read(handle, buffer);
  }

  /** A handle of this log, signed: for records found by reading the log. */
  RecordHandle handle(long segment, long offset, int length, long sequence) {
    return reads.sign(segment, offset, length, sequence);
  }

  /**
   * Streams the records from {@code sequence} up to the durable end of the log at this moment, in
   * sequence order. Close the reader when done.
   *
   * @param sequence the first sequence to read, from {@link #firstSequence()} to {@link
   *     #nextSequence()}
   * @return a reader positioned at {@code sequence}; close it when done
   * @throws IllegalArgumentException if {@code sequence} is negative or beyond
   *     {@link #nextSequence()}
   * @throws WalException if {@code sequence} was deleted by {@link #truncateBefore(long)}
   */
  public LogReader readFrom(long sequence) {
    checkOpen();
    Tail tail = index.tail();
    List<Segment> closedSegments = index.closed();
    if (sequence < 0 || sequence > tail.nextSequence()) {
      throw new IllegalArgumentException("sequence " + sequence + " is outside log "
          + storage.describe() + ", which ends before " + tail.nextSequence());
    }
    long first = closedSegments.isEmpty() ? tail.segmentBase() : closedSegments.get(0).baseSequence;
    if (sequence < first) {
      throw new WalException("sequence " + sequence + " was deleted by truncateBefore; the oldest"
          + " record of log " + storage.describe() + " is " + first
          + ": read from firstSequence()");
    }
    List<Segment> view = new ArrayList<>();
    for (Segment s : closedSegments) {
      if (s.baseSequence < tail.segmentBase() && s.lastSequence >= sequence) {
        view.add(s);
      }
    }
    if (tail.segmentEnd() > SegmentHeader.SIZE) {
      view.add(new Segment(tail.segmentBase(), tail.nextSequence() - 1, 0, tail.segmentEnd(), false,
          false));
    }
    return new LogReader(reads, this::checkOpen, storage, view, sequence, tail.nextSequence(), config.maxRecordSize,
        config.recoveryPolicy);
  }

  /**
   * Checks every frame of every segment: CRCs, sequences, footers. {@code open} checks sealed
   * segments by header and footer only; run this (or {@code walctl verify}) to find bit rot in old
   * segments.
   *
   * @return the number of records checked
   * @throws CorruptLogException at the first problem, naming segment and offset
   */
  public long verify() {
    checkOpen();
    return new LogVerifier(storage, config.maxRecordSize).verify(index.closed(), index.tail());
  }

  // ---------------------------------------------------------------- cleanup

  /**
   * Deletes every whole segment whose records are all older than {@code sequence}, oldest first,
   * each deletion made durable. The segment being written is never deleted, so
   * {@link #firstSequence()} may stay below {@code sequence}.
   *
   * @param sequence the oldest sequence that must stay readable
   * @return the number of segments deleted
   * @throws IllegalArgumentException if {@code sequence} is negative
   */
  public int truncateBefore(long sequence) {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
    }
    checkOpen();
    List<Segment> removed = index.removeOlderThan(Math.min(sequence, index.tail().segmentBase()));
    try {
      for (Segment s : removed) {
        reads.segmentDeleted(s.name);
        if (recycler == null || !recycler.offer(s.name)) {
          deleteSegment(s.name);
        }
        storage.syncDirectory();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("deleting old segments of log " + storage.describe()
          + " failed; the log is consistent and the files left over are deleted by a later"
          + " truncateBefore or may be removed by hand once they are below firstSequence()", e);
    }
    if (!removed.isEmpty()) {
      log.info("log {}: deleted {} segments before sequence {}", storage.describe(),
          removed.size(), index.firstSequence());
    }
    return removed.size();
  }

  /**
   * Deletes a segment {@code truncateBefore} removed from the index. One that is already gone
   * (deleted by hand, or by an operator's cleanup script) is what was wanted: a warning, not a
   * failure of the caller (an engine would stop over a file it was about to delete).
   */
  private void deleteSegment(String name) throws IOException {
    try {
      storage.delete(name);
    } catch (IOException e) {
      if (storage.exists(name)) {
        throw e;
      }
      log.warn("log {}: segment {} below sequence {} was already deleted by someone else",
          storage.describe(), name, index.firstSequence());
    }
  }

  // ---------------------------------------------------------------- state

  /**
   * The oldest sequence in the log; equal to {@link #nextSequence()} if the log holds no record.
   *
   * @return the oldest sequence still readable
   */
  public long firstSequence() {
    checkOpen();
    return index.firstSequence();
  }

  /**
   * {@return one past the last durable record: the sequence the next completed append will have at
   * least}
   */
  public long nextSequence() {
    checkOpen();
    return index.tail().nextSequence();
  }

  /** {@return counters since open} */
  public LogStats stats() {
    checkOpen();
    Tail tail = index.tail();
    long segmentBytes = Math.max(tail.segmentEnd(), 0);
    for (Segment s : index.closed()) {
      segmentBytes += s.dataEnd + (s.sealed ? RecordFrame.FOOTER_SIZE : 0);
    }
    return writer.stats(index.firstSequence(), tail.nextSequence(), index.closed().size() + 1,
        segmentBytes);
  }

  /**
   * The failure that poisoned this log, if one did: a write, sync or roll failed, or the storage's
   * write lock was lost (the writer checks the lock while idle too, so this can turn up while no
   * append is pending). From then on every append fails with {@link LogFailedException}; records
   * acknowledged before stay durable: close the log and open it again to recover. Cheap (a volatile
   * read), so that an owner may poll it to learn of a failure without appending; answers after
   * {@link #close()} too.
   *
   * @return the failure, or empty while the log has none
   */
  public Optional<LogFailedException> failure() {
    return Optional.ofNullable(writer.failure());
  }

  /** {@return what recovery found and repaired when this log was opened} */
  public RecoveryReport recoveryReport() {
    checkOpen();
    return recoveryReport;
  }

  /**
   * Writes and makes durable everything appended before this call, seals the segment being
   * written and releases the storage. Idempotent. Appends racing with close fail with
   * {@link LogClosedException}. May be called from a completion callback.
   */
  @Override
  public void close() {
    boolean first;
    synchronized (closeLock) {
      first = !closed;
      closed = true;
    }
    if (!first) {
      // Another close is under way (perhaps from a callback): return only once it has released
      // the storage, so that the caller may reopen. The log's own threads must not wait for themselves.
      if (!writer.isLogThread(Thread.currentThread())) {
        awaitReleased();
      }
      return;
    }
    Runnable release = this::releaseResources;
    if (writer.isLogThread(Thread.currentThread())) {
      writer.shutdown(release);
      return;
    }
    writer.shutdown(null);
    writer.awaitExit();
    releaseResources();
  }

  private void releaseResources() {
    reads.close();
    if (recycler != null) {
      recycler.close();
    }
    try {
      storage.close();
    } catch (IOException e) {
      log.warn("closing storage {} failed", storage.describe(), e);
    }
    log.info("closed log {}{}", storage.describe(), writer.failure() != null ? " (after a failure)" : "");
    released.countDown();
  }

  private void awaitReleased() {
    Uninterruptibly.run(released::await);
  }

  void checkOpen() {
    if (closed) {
      throw new LogClosedException("the log on " + storage.describe()
          + " is closed; open it again with WriteAheadLog.builder(storage).open()");
    }
  }

  // ---------------------------------------------------------------- configuration

  /** Validated settings of an open log. */
  static final class Config {
    final Durability durability;
    final long segmentSize;
    final long rollIntervalNanos;
    final int maxRecordSize;
    final long maxPendingBytes;
    final BackPressure backPressure;
    final RecoveryPolicy recoveryPolicy;
    final boolean preallocate;
    final boolean recycleSegments;
    final int maxOpenSegmentFiles;
    /** The id of a log created by this open; null for a random one (tests fix it). */
    final LogId newLogId;

    Config(Builder b, int maxRecordSize) {
      this.durability = b.durability;
      this.segmentSize = b.segmentSize;
      this.rollIntervalNanos = b.rollInterval == null ? 0 : b.rollInterval.toNanos();
      this.maxRecordSize = maxRecordSize;
      this.maxPendingBytes = b.maxPendingBytes;
      this.backPressure = b.backPressure;
      this.recoveryPolicy = b.recoveryPolicy;
      this.preallocate = b.preallocate;
      this.recycleSegments = b.recycleSegments;
      this.maxOpenSegmentFiles = b.maxOpenSegmentFiles;
      this.newLogId = b.newLogId;
    }

    @Override
    public String toString() {
      return "durability=" + durability + ", segmentSize=" + segmentSize + ", maxRecordSize="
          + maxRecordSize + ", recoveryPolicy=" + recoveryPolicy + ", preallocate=" + preallocate
          + ", recycleSegments=" + recycleSegments;
    }
  }

  /**
   * Options of a log. Every setter validates its argument and throws
   * {@link IllegalArgumentException} (or {@link NullPointerException}) with the accepted range.
   * Not thread-safe.
   */
  public static final class Builder {
    /** Smallest segment size accepted. */
    public static final long MIN_SEGMENT_SIZE = 4096;
    /**
     * Largest segment size accepted: 2 GiB - 1, so that every offset inside a segment fits in an
     * {@code int}, which the frame buffers of readers and recovery rely on. It holds the largest
     * record ({@link #MAX_RECORD_SIZE_LIMIT}) with its framing.
     */
    public static final long MAX_SEGMENT_SIZE = Integer.MAX_VALUE;
    /** Largest record size accepted. */
    public static final int MAX_RECORD_SIZE_LIMIT = 1 << 30;
    /** The maxRecordSize of a log whose segments are large enough for it and that sets none. */
    static final int DEFAULT_MAX_RECORD_SIZE = 16 << 20;
    /** Bytes of a segment that are not payload when it holds one record: header, frame, footer. */
    static final long SEGMENT_OVERHEAD =
        SegmentHeader.SIZE + RecordFrame.HEADER_SIZE + RecordFrame.FOOTER_SIZE;
    /** Segment files kept open for {@link WriteAheadLog#read}, least recently used closed first. */
    static final int DEFAULT_MAX_OPEN_SEGMENT_FILES = 64;

    /** The longest interval a nanosecond clock measures. */
    private static final Duration MAX_ROLL_INTERVAL = Duration.ofNanos(Long.MAX_VALUE);

    private final Storage storage;
    private Durability durability = Durability.SYNC;
    private long segmentSize = 64L << 20;
    private Duration rollInterval;
    private int maxRecordSize; // 0: derived from segmentSize at open
    private long maxPendingBytes = 256L << 20;
    private BackPressure backPressure = BackPressure.BLOCK;
    private RecoveryPolicy recoveryPolicy = RecoveryPolicy.STRICT;
    private boolean preallocate;
    private boolean recycleSegments;
    private int maxOpenSegmentFiles = DEFAULT_MAX_OPEN_SEGMENT_FILES;
    private LogId newLogId;

    private Builder(Storage storage) {
      this.storage = Objects.requireNonNull(storage,
          "storage must not be null: pass new LocalStorage(dir) or new MemoryStorage()");
    }

    /**
     * When futures complete; default {@link Durability#SYNC}.
     *
     * @param durability what an append's future waits for
     * @return this builder
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability must not be null");
      return this;
    }

    /**
     * Segment file size at which the log rolls to a new segment; default 64 MiB, at least 4 KiB and
     * at most {@link #MAX_SEGMENT_SIZE} (2 GiB - 1).
     *
     * @param bytes the segment size in bytes
     * @return this builder
     */
    public Builder segmentSize(long bytes) {
      if (bytes < MIN_SEGMENT_SIZE || bytes > MAX_SEGMENT_SIZE) {
        throw new IllegalArgumentException("segmentSize must be between " + MIN_SEGMENT_SIZE
            + " and " + MAX_SEGMENT_SIZE + " bytes, got " + bytes);
      }
      this.segmentSize = bytes;
      return this;
    }

    /**
     * Also roll a segment once it has been written for this long, so that {@code truncateBefore}
     * can reclaim it on a slow stream; default never. Pass null or zero to disable.
     *
     * @param interval how long a segment is written before the log rolls, or null or zero for never
     * @return this builder
     */
    public Builder rollInterval(Duration interval) {
      if (interval != null && (interval.isNegative() || interval.compareTo(MAX_ROLL_INTERVAL) > 0)) {
        throw new IllegalArgumentException("rollInterval must be between zero and "
            + MAX_ROLL_INTERVAL + " (about 292 years, the range of a nanosecond clock), got "
            + interval);
      }
      this.rollInterval = interval == null || interval.isZero() ? null : interval;
      return this;
    }

    /**
     * Largest payload accepted, on write and on read; at most 1 GiB. Default 16 MiB, or, if the
     * segments are too small for that, the largest record one segment holds
     * ({@code segmentSize} minus a header, a frame header and a footer). Open a log with at least the maxRecordSize it was written with.
     *
     * @param bytes the largest payload in bytes
     * @return this builder
     */
    public Builder maxRecordSize(int bytes) {
      if (bytes < 1 || bytes > MAX_RECORD_SIZE_LIMIT) {
        throw new IllegalArgumentException("maxRecordSize must be between 1 and "
            + MAX_RECORD_SIZE_LIMIT + " bytes, got " + bytes);
      }
      this.maxRecordSize = bytes;
      return this;
    }

    /**
     * Bound on bytes appended but not yet durable; default 256 MiB.
     *
     * @param bytes the bound in bytes, positive
     * @return this builder
     */
    public Builder maxPendingBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxPendingBytes must be positive, got " + bytes);
      }
      this.maxPendingBytes = bytes;
      return this;
    }

    /**
     * What append does when {@code maxPendingBytes} is reached; default {@link BackPressure#BLOCK}.
     *
     * @param backPressure whether append blocks or fails at the bound
     * @return this builder
     */
    public Builder backPressure(BackPressure backPressure) {
      this.backPressure = Objects.requireNonNull(backPressure, "backPressure must not be null");
      return this;
    }

    /**
     * How {@code open} treats mid-log corruption; default {@link RecoveryPolicy#STRICT}.
     *
     * @param policy fail on mid-log corruption, or set the damaged segment aside and go on
     * @return this builder
     */
    public Builder recoveryPolicy(RecoveryPolicy policy) {
      this.recoveryPolicy = Objects.requireNonNull(policy, "recoveryPolicy must not be null");
      return this;
    }

    /** The id the log gets if this open creates it, instead of a random one: for golden files. */
    Builder newLogId(LogId id) {
      this.newLogId = id;
      return this;
    }

    /** At most this many segment files stay open for {@link #read}; default 64. */
    Builder maxOpenSegmentFiles(int files) {
      if (files < 1) {
        throw new IllegalArgumentException("maxOpenSegmentFiles must be positive, got " + files);
      }
      this.maxOpenSegmentFiles = files;
      return this;
    }

    /**
     * Reserve each new segment's full size up front, so that syncs need not update file metadata
     * (faster SYNC on most file systems, at the cost of writing zeros when a segment is created).
     * Default false.
     *
     * @param preallocate whether new segments are preallocated
     * @return this builder
     */
    public Builder preallocate(boolean preallocate) {
      this.preallocate = preallocate;
      return this;
    }

    /**
     * Write new segments into the files of segments that {@link #truncateBefore} removed (at most
     * two kept), instead of deleting those files and growing new ones. A sync then writes data
     * only, with no file-size or block-allocation update for the file system to journal: on the
     * project's ext4 test disk, write + fdatasync of 1 MiB groups ran 2.5x faster into reused
     * files. Helps a log whose consumer truncates as it goes (the receiver engine, the Spark
     * slot); a log that only grows never has a file to reuse. Default false.
     *
     * <p>A segment written into a reused file is flagged in its header; recovery ends its data
     * where the older segment's frames begin (docs/FORMAT.md). Two consequences: a reader still
     * reading a segment that {@code truncateBefore} removed fails with {@link WalException}
     * ("deleted by truncateBefore") as soon as its file is reused, where with deletion it could
     * finish reading from the unlinked file; and the log directory keeps up to two
     * {@code recycled-*.spare} files besides the segments (deleted by {@code close} and by the next
     * open). Storages that cannot write into an existing file (HDFS) delete segments as usual.
     *
     * @param recycleSegments whether truncated segments' files are reused
     * @return this builder
     */
    public Builder recycleSegments(boolean recycleSegments) {
      this.recycleSegments = recycleSegments;
      return this;
    }

    /**
     * Locks the storage, runs recovery and opens the log for appends.
     *
     * @return the open log, owning the storage's write lock until closed
     * @throws IllegalArgumentException if the options contradict each other
     * @throws CorruptLogException if recovery finds mid-log corruption under STRICT
     * @throws UncheckedIOException if the storage fails, or is locked by another writer
     */
    public WriteAheadLog open() {
      Config config = config();
      try {
        storage.lockForWriting();
      } catch (StorageLockedException e) {
        throw new LogLockedException("cannot open log " + storage.describe() + ": "
            + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open log " + storage.describe() + ": "
            + e.getMessage(), e);
      }
      try {
        return new WriteAheadLog(storage, config);
      } catch (IOException e) {
        closeQuietly();
        throw new UncheckedIOException("opening log " + storage.describe() + " failed: "
            + e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        closeQuietly();
        throw e;
      }
    }

    /**
     * Opens the log to look at it: no lock, no repair, no new file; see {@link ReadOnlyLog}. The
     * recovery {@link #open()} would run is run as a dry run, with this builder's
     * {@code recoveryPolicy} and {@code maxRecordSize}; the options about writing are ignored.
     * Safe next to a running writer, in this process or another, even on the writer's own storage
     * instance. The storage stays the caller's to close.
     *
     * @return a read-only view of the log as it is now; close it when done
     * @throws CorruptLogException if {@link #open()} would fail with it (mid-log corruption under
     *     STRICT): open with {@link RecoveryPolicy#SKIP_CORRUPT} to see what it would repair
     * @throws UncheckedIOException if the storage fails
     */
    public ReadOnlyLog openReadOnly() {
      Config config = config();
      // The storage is not closed on failure, nor by the view: closing releases the write lock,
      // which a writer on the same instance may hold.
      try {
        return new ReadOnlyLog(storage, config);
      } catch (IOException e) {
        throw new UncheckedIOException("opening log " + storage.describe() + " read-only failed: "
            + e.getMessage(), e);
      }
    }

    private Config config() {
      long overhead = SEGMENT_OVERHEAD;
      int maxRecordSize = this.maxRecordSize != 0 ? this.maxRecordSize
          : (int) Math.min(DEFAULT_MAX_RECORD_SIZE, segmentSize - overhead);
      if (maxRecordSize + overhead > segmentSize) {
        throw new IllegalArgumentException("maxRecordSize " + maxRecordSize
            + " does not fit in segmentSize " + segmentSize + " (a segment needs " + overhead
            + " bytes of framing too): raise segmentSize or lower maxRecordSize");
      }
      if (maxPendingBytes < RecordFrame.frameSize(maxRecordSize)) {
        throw new IllegalArgumentException("maxPendingBytes " + maxPendingBytes
            + " is smaller than one record of maxRecordSize " + maxRecordSize
            + ": raise maxPendingBytes or lower maxRecordSize");
      }
      return new Config(this, maxRecordSize);
    }

    private void closeQuietly() {
      try {
        storage.close();
      } catch (IOException e) {
        log.debug("closing storage after a failed open", e);
      }
    }
  }
}
