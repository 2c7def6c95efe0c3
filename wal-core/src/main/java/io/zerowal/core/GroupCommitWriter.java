/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's one writer thread: the group-commit loop. It drains everything queued, frames it into
 * its {@link GroupBuffer}, writes the group with one gathering write into the {@link OpenSegment},
 * makes it durable once for the whole group, publishes the new {@link Tail} and hands the group's
 * futures to the {@link Completer}, which completes them in sequence order. No timer and no linger:
 * a lone appender pays one sync, a crowd shares one. Appenders are held back by
 * {@link PendingBytes}.
 *
 * <p>In {@link Durability#SYNC}, when another append already waits behind a group (or a sync is
 * already in flight), the group's sync, tail and hand-over to the completer are left to
 * {@link SyncBehind}, so that the next group is written while the previous one is synced; a lone
 * appender's group is synced inline, with no thread hand-off.
 *
 * <p>A failed write, sync or roll poisons the log: the group and everything after it fail with
 * {@link LogFailedException} and the file is never written again (after a failed fsync the kernel
 * may have dropped the dirty pages, so a retry could report success for lost data).
 */
final class GroupCommitWriter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private static final VarHandle SLEEPING;

  static {
    try {
      SLEEPING = MethodHandles.lookup().findVarHandle(GroupCommitWriter.class, "sleeping",
          boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int RUNNING = 0;
  private static final int CLOSING = 1;
  private static final int TERMINATED = 2;

  /**
   * How often, at most, the writer asks the storage whether it still holds its write lock
   * ({@link Storage#checkLock()}), besides at every roll. A stat per group would cost more than
   * small groups do; 100 ms bounds how long two writers could interleave after a lock file is
   * deleted, and lets a deleted lock file be re-taken before another process comes.
   */
  private static final long LOCK_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** A group stops growing here, so that one group's latency stays bounded under a flood. */
  private static final long MAX_GROUP_BYTES = 32L << 20;
  /**
   * A SYNC group stops growing here: the writer hands it to {@link SyncBehind} and writes the rest
   * of the queue as the next group while that one syncs. Syncs still cover every group written
   * before they start, so this adds writes, not syncs. Measured (issue 12, 8 producers, 5 rounds,
   * against whole-queue groups): 1.15–1.65× in the ring, semaphore and maxPendingBytes patterns at
   * 1 KiB and 1.07–1.47× at 100 B; FLUSH keeps whole-queue groups, since a FLUSH group costs one
   * {@code flush} each (an {@code hflush} round trip on HDFS).
   */
  static final long MAX_SYNC_GROUP_BYTES = 256L << 10;

  private final Storage storage;
  private final LogId logId;
  private final WriteAheadLog.Config config;
  private final SegmentIndex index;
  private final AppendQueue queue = new AppendQueue();
  private final SegmentPreallocator preallocator;
  /** Files of truncated segments to write the next segments into; null unless recycleSegments. */
  private final SegmentRecycler recycler;
  private final Completer completer;
  /** Syncs the open segment ahead of its seal; FLUSH and NONE only (SYNC syncs every group). */
  private final BackgroundSyncer syncer;
  private final long backgroundSyncInterval;
  /** Syncs written groups while the next is written; SYNC only (null for FLUSH and NONE). */
  private final SyncBehind syncBehind;
  /**
   * Held by the writer around every write, and by whoever poisons the log while setting the
   * failure: once the log has failed no write starts (a failure of {@link SyncBehind} comes from
   * another thread).
   */
  private final Object writeGuard = new Object();
  /** Bytes written to the open segment since its last background sync request. */
  private long unsyncedBytes;
  private final Thread thread;
  private final PendingBytes pendingBytes;
  private volatile boolean sleeping;
  private volatile int state = RUNNING;
  private volatile LogFailedException failure;
  private volatile Runnable afterExit;

  // Writer-thread state.
  private OpenSegment segment;
  private long lockCheckedNanos = System.nanoTime();
  private long nextSequence;
  private final GroupBuffer buffer;

  // Statistics, written by the writer thread only. Records and payload bytes are counted in plain
  // fields per record and published once per group: a volatile store per record is a full fence
  // per record on the writer thread.
  private long recordsFramed;
  private long payloadFramed;
  private volatile long records;
  private volatile long payloadBytes;
  private volatile long groups;
  private volatile long writes;
  private volatile long syncs;
  private volatile long rolls;

  // Append-to-durable latency, measured per group, never per record: every record of a group was
  // appended after `windowStartNanos` (the last moment the writer saw the queue empty, the start of
  // the previous group, or the wake-up of a parked writer), so "durable - that" bounds each
  // record's latency from above, and is the oldest record's latency up to the time of one drain.
  private final LatencyHistogram appendLatency = new LatencyHistogram();
  private long windowStartNanos = System.nanoTime();
  private volatile long wokenNanos; // written by the appender that unparks the writer

  GroupCommitWriter(Storage storage, WriteAheadLog.Config config, SegmentIndex index,
      OpenSegment recovered, long nextSequence, LogId logId, SegmentRecycler recycler)
      throws IOException {
    this.storage = storage;
    this.logId = logId;
    this.config = config;
    this.index = index;
    this.nextSequence = nextSequence;
    this.buffer = new GroupBuffer(config.maxRecordSize);
    this.pendingBytes = new PendingBytes(config.maxPendingBytes, config.backPressure,
        this::isLogThread);
    this.preallocator = config.preallocate
        ? new SegmentPreallocator(storage, config.segmentSize) : null;
    this.recycler = recycler;
    this.segment = recovered != null ? recovered
        : OpenSegment.create(storage, recycler, preallocator, nextSequence, logId);
    if (preallocator != null) {
      preallocator.prepare();
    }
    publishTail();
    this.thread = new Thread(this, "zerowal-writer[" + storage.describe() + "]");
    this.thread.setDaemon(true);
    this.completer = new Completer(this, logId, "zerowal-completer[" + storage.describe() + "]");
    this.syncer = config.durability == Durability.SYNC ? null
        : new BackgroundSyncer("zerowal-syncer[" + storage.describe() + "]");
    this.backgroundSyncInterval = BackgroundSyncer.interval(config.segmentSize);
    this.syncBehind = config.durability != Durability.SYNC ? null
        : new SyncBehind(this, completer, appendLatency, "zerowal-sync[" + storage.describe() + "]");
  }

  void start() {
    completer.start();
    if (syncBehind != null) {
      syncBehind.start();
    }
    windowStartNanos = System.nanoTime(); // no append came before: the log is not open yet
    thread.start();
  }

  /** Whether {@code t} is one of the log's own threads, which must never wait for the log to stop. */
  boolean isLogThread(Thread t) {
    return t == thread || t == completer.thread()
        || (syncBehind != null && t == syncBehind.thread());
  }

  LogId logId() {
    return logId;
  }

  String describe() {
    return storage.describe();
  }

  // ---------------------------------------------------------------- appender side (any thread)

  /** Queues the {@code length} bytes of {@code payload} from index {@code position}. */
  PendingAppend enqueue(ByteBuffer payload, int position, int length) {
    PendingAppend p = new PendingAppend(this, payload, position, length);
    long size = p.frameSize();
    pendingBytes.acquire(size, this::checkWritable);
    queue.add(p);
    if (state != RUNNING) {
      // The writer may have drained for the last time before our node was linked: settle it here,
      // unless the writer already took it (then it completes normally).
      if (p.abandon()) {
        pendingBytes.release(size);
        p.payload = null;
        p.completeExceptionally(terminalError());
      }
    } else if (sleeping && SLEEPING.compareAndSet(this, true, false)) {
      // One producer wakes the writer; the others see it awake. unpark is a system call, and
      // every producer calling it cost them half their CPU time at 100 B records.
      wokenNanos = System.nanoTime(); // only here, on the wake-up path, never per record
      LockSupport.unpark(thread);
    }
    return p;
  }

  /** Throws if the log no longer takes appends. */
  void checkWritable() {
    if (state != RUNNING) {
      throw terminalError();
    }
  }

  private WalException terminalError() {
    LogFailedException f = failure;
    if (f != null) {
      return new LogFailedException(f.getMessage(), f.getCause());
    }
    return new LogClosedException("the log on " + storage.describe()
        + " is closed; open it again to append");
  }

  /** The failure that poisoned the log, or null while it has none. */
  LogFailedException failure() {
    return failure;
  }

  /** Asks the writer to finish what is queued, seal the segment and stop. */
  void shutdown(Runnable afterExit) {
    this.afterExit = afterExit;
    if (state == RUNNING) {
      state = CLOSING;
    }
    LockSupport.unpark(thread);
  }

  void awaitExit() {
    Uninterruptibly.run(thread::join);
  }

  // ---------------------------------------------------------------- writer thread

  @Override
  public void run() {
    try {
      while (failure == null) {
        long now = System.nanoTime();
        PendingAppend first = queue.first();
        if (first == null) {
          windowStartNanos = now;
          if (state != RUNNING && queue.isEmpty()) {
            break;
          }
          rollIfOld();
          checkLockIfDue();
          idle();
          continue;
        }
        writeGroup(first, now); // once poisoned, the loop ends: failQueued settles what is queued
      }
      if (failure == null) {
        sealAndClose();
      }
    } catch (Throwable t) {
      poison(t, null);
    } finally {
      if (syncBehind != null) {
        syncBehind.stop(); // syncs or fails what it holds, before completer and segment close
      }
      completer.finish(); // every durable group's futures complete before the log reports closed
      state = TERMINATED;
      failQueued();
      if (syncer != null) {
        syncer.stop(); // before the segment is closed under a sync in progress
      }
      if (failure != null) {
        closeQuietly();
      }
      if (preallocator != null) {
        preallocator.close();
      }
      pendingBytes.wakeAll();
      Runnable r = afterExit;
      if (r != null) {
        r.run();
      }
    }
  }

  private void idle() {
    long timeout = TimeUnit.MILLISECONDS.toNanos(100);
    if (config.rollIntervalNanos > 0 && segment.recordCount() > 0) {
      long due = config.rollIntervalNanos - segment.ageNanos();
      timeout = Math.max(1, Math.min(timeout, due));
    }
    sleeping = true;
    if (queue.first() == null && state == RUNNING) {
      LockSupport.parkNanos(this, timeout);
    }
    sleeping = false;
  }

  private void rollIfOld() throws IOException {
    if (config.rollIntervalNanos > 0 && segment.recordCount() > 0
        && segment.ageNanos() >= config.rollIntervalNanos) {
      roll();
      publishTail();
    }
  }

  private void writeGroup(PendingAppend first, long startNanos) {
    int count = 0;
    long groupBytes = 0;
    PendingAppend last = null;
    try {
      checkBackgroundSync();
      checkLockIfDue();
      rollIfOld();
      PendingAppend p = first;
      long maxGroupBytes = syncBehind != null ? MAX_SYNC_GROUP_BYTES : MAX_GROUP_BYTES;
      while (p != null && groupBytes < maxGroupBytes) {
        if (!p.claimForWriter()) { // abandoned by an appender racing close
          count++;
          last = p;
          p = p.next;
          continue;
        }
        long frame = p.frameSize();
        if (segment.recordCount() > 0 && segment.position() + buffer.unwritten() + frame
            + RecordFrame.FOOTER_SIZE > config.segmentSize) {
          writeStaged();
          roll();
        }
        frame(p);
        groupBytes += frame;
        count++;
        last = p;
        p = p.next;
      }
      queue.consumedThrough(last);
      writeStaged();
      switch (config.durability) {
        case SYNC:
          if (syncBehind != null) {
            long oldest = Math.max(windowStartNanos, wokenNanos);
            Tail tail = new Tail(segment.baseSequence, segment.position(), nextSequence);
            if (syncBehind.handOver(segment.output, first, count, groupBytes, tail, oldest,
                p != null || queue.first() != null)) {
              windowStartNanos = p == null ? startNanos : oldest;
              publishCounts();
              groups++;
              return; // synced, published and completed by syncBehind
            }
          }
          segment.output.sync();
          syncs++;
          break;
        case FLUSH:
          segment.output.flush();
          break;
        default:
          break;
      }
      long oldest = Math.max(windowStartNanos, wokenNanos);
      appendLatency.record(System.nanoTime() - oldest, count);
      // Left queued by the group's cap, records may be older than this group's start.
      windowStartNanos = p == null ? startNanos : oldest;
    } catch (Throwable t) {
      if (last != null) {
        queue.consumedThrough(last);
      }
      publishCounts();
      poison(t, first);
      return;
    }
    publishCounts();
    publishTail();
    groups++;
    completer.submit(first, count, groupBytes);
  }

  private void publishTail() {
    publish(new Tail(segment.baseSequence, segment.position(), nextSequence));
  }

  /** Publishes {@code t} to readers: by the writer, or by {@link SyncBehind} while it holds groups. */
  void publish(Tail t) {
    index.publish(t);
  }

  private void publishCounts() {
    records = recordsFramed;
    payloadBytes = payloadFramed;
  }

  /** The futures of {@code bytes} worth of appends completed: make room for blocked appenders. */
  void release(long bytes) {
    pendingBytes.release(bytes);
  }

  /** Frames one record into the group buffer, writing what is buffered first if it must. */
  private void frame(PendingAppend p) throws IOException {
    ByteBuffer payload = p.payload;
    p.payload = null;
    p.sequence = nextSequence++;
    p.segment = segment.baseSequence;
    p.offset = segment.position() + buffer.unwritten();
    if (buffer.mustWriteBefore(p.length)) {
      writeStaged();
    }
    segment.added(p.length, buffer.put(p.sequence, payload, p.position, p.length));
    recordsFramed++;
    payloadFramed += p.length;
  }

  /** Writes everything framed so far with one gathering write. */
  private void writeStaged() throws IOException {
    long written;
    synchronized (writeGuard) {
      checkNotFailed();
      written = buffer.writeTo(segment.output);
    }
    if (written > 0) {
      writes++;
      if (syncer != null) {
        unsyncedBytes += written;
        if (unsyncedBytes >= backgroundSyncInterval) {
          unsyncedBytes = 0;
          syncer.request(segment.output);
        }
      }
    }
  }

  // ---------------------------------------------------------------- segments

  /** Seals the segment being written (footer, cut preallocation, sync, close) and opens the next. */
  private void roll() throws IOException {
    seal();
    rolls++;
    storage.checkLock();
    lockCheckedNanos = System.nanoTime();
    segment = OpenSegment.create(storage, recycler, preallocator, nextSequence, logId);
    log.debug("rolled to segment {}", SegmentName.of(segment.baseSequence));
  }

  private void seal() throws IOException {
    if (syncBehind != null) {
      syncBehind.awaitSynced(); // no sync behind on the output being sealed; the seal's covers all
    }
    if (syncer != null) {
      syncer.quiesce(segment.output);
      checkBackgroundSync();
      unsyncedBytes = 0;
    }
    index.addClosed(segment.seal(nextSequence - 1));
    syncs++;
  }

  private void sealAndClose() throws IOException {
    seal();
    index.publish(new Tail(segment.baseSequence, -1, nextSequence));
    segment = null;
  }

  // ---------------------------------------------------------------- failure

  private void poison(Throwable cause, PendingAppend groupFirst) {
    setFailure(cause);
    for (PendingAppend p = groupFirst; p != null; p = p.next) {
      p.payload = null;
      p.completeExceptionally(failure);
    }
  }

  /** Records the first failure and stops taking appends; returns the failure. Any thread. */
  private LogFailedException setFailure(Throwable cause) {
    synchronized (writeGuard) {
      if (failure == null) {
        failure = new LogFailedException("writing the log on " + storage.describe() + " failed ("
            + cause + "); the log takes no more writes. Records acknowledged before the failure"
            + " are durable: close the log and open it again to recover", cause);
        log.error("log on {} poisoned: {}", storage.describe(), cause.toString());
      }
      state = TERMINATED;
      return failure;
    }
  }

  /**
   * A sync of {@link SyncBehind} failed: poisons the log (no write starts after this returns) and
   * wakes the writer so that it fails what is queued and exits. Returns the failure.
   */
  LogFailedException poisonBehind(Throwable cause) {
    LogFailedException f = setFailure(cause);
    LockSupport.unpark(thread);
    return f;
  }


  /** Throws the log's failure if it has failed. */
  void checkNotFailed() {
    LogFailedException f = failure;
    if (f != null) {
      throw new LogFailedException(f.getMessage(), f.getCause());
    }
  }

  /** Fails whatever is still queued. Runs after {@code state} is TERMINATED. */
  private void failQueued() {
    WalException error = terminalError();
    while (!queue.isEmpty()) {
      PendingAppend p = queue.first();
      if (p == null) {
        Thread.onSpinWait(); // a producer is between its swap and its link
        continue;
      }
      PendingAppend last = p;
      for (; p != null; p = p.next) {
        p.payload = null;
        p.completeExceptionally(error);
        last = p;
      }
      queue.consumedThrough(last);
    }
  }

  private void checkLockIfDue() throws IOException {
    long now = System.nanoTime();
    if (now - lockCheckedNanos >= LOCK_CHECK_INTERVAL_NANOS) {
      lockCheckedNanos = now;
      storage.checkLock();
    }
  }

  /** A failed background sync fails the log: the bytes it was writing may be gone from the cache. */
  private void checkBackgroundSync() throws IOException {
    Throwable t = syncer == null ? null : syncer.failure();
    if (t != null) {
      throw new IOException("background sync of segment " + SegmentName.of(segment.baseSequence)
          + " failed", t);
    }
  }

  private void closeQuietly() {
    if (segment != null) {
      try {
        segment.output.close();
      } catch (IOException | RuntimeException e) {
        log.debug("closing segment after failure", e);
      }
      segment = null;
    }
  }

  // ---------------------------------------------------------------- statistics

  /** Counters since open; syncs include the background syncer's. */
  LogStats stats(long firstSequence, long nextSequence, int segments, long segmentBytes) {
    long allSyncs = syncs + (syncer == null ? 0 : syncer.syncs())
        + (syncBehind == null ? 0 : syncBehind.syncs());
    return new LogStats(records, payloadBytes, groups, writes, allSyncs, rolls, pendingBytes.get(),
        firstSequence, nextSequence, segments, segmentBytes, appendLatency.snapshot());
  }
}
