/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WalException;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.streaming.util.WriteAheadLog;
import org.apache.spark.streaming.util.WriteAheadLogRecordHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZeroWAL as Spark Streaming's own write-ahead log: durable group commit, CRC-checked records and
 * crash-safe recovery for an unchanged Spark Streaming application.
 *
 * <pre>
 * spark.streaming.receiver.writeAheadLog.class=io.zerowal.spark.ZeroWalSparkLog
 * spark.zerowal.dir=hdfs://namenode:8020/apps/myapp/wal
 * </pre>
 * (with {@code spark.streaming.receiver.writeAheadLog.enable=true} and a checkpoint directory, as
 * Spark's receiver log always needs; {@code spark.streaming.driver.writeAheadLog.class} takes the
 * same class for the driver's block metadata).
 *
 * <h2>Where the logs live</h2>
 * Spark creates a custom log with its {@link SparkConf} only (its {@code WriteAheadLogUtils} tries a
 * {@code (SparkConf)} constructor, then a no-argument one): unlike its own file-based log, it does
 * not pass the directory. So the logs Spark creates live under {@value #DIR}: the driver's in
 * {@code <dir>/driver}, each executor's receivers in {@code <dir>/receiver-<executorId>} (one log
 * per executor, shared by its receivers, so that they share group commits). Which of the two Spark
 * is creating is read from the caller ({@code WriteAheadLogUtils.createLogForDriver} or
 * {@code createLogForReceiver}). A plain path or {@code file:} URI is a local directory; any other
 * scheme goes to Hadoop's {@code FileSystem} (HDFS: hsync/hflush, lease recovery of a dead
 * writer). On a cluster use a directory every node reads, as Spark requires of its checkpoint
 * directory. {@link #ZeroWalSparkLog(SparkConf, String)} opens a log in a directory of your choice.
 *
 * <h2>Options (SparkConf keys)</h2>
 * <ul>
 *   <li>{@value #DIR}: the base directory (required when Spark creates the log).</li>
 *   <li>{@value #DURABILITY}: {@code SYNC} (default: fsync/hsync, survives power loss),
 *       {@code FLUSH} (write/hflush: survives a process crash, what Spark's own log promises) or
 *       {@code NONE}.</li>
 *   <li>{@value #SEGMENT_SIZE}: segment file size, default {@code 128m}.</li>
 *   <li>{@value #MAX_RECORD_SIZE}: largest block Spark may write, default {@code 64m} (at most half
 *       a segment by default).</li>
 *   <li>{@value #ROLL_INTERVAL}: also roll a segment after this long, so that {@link #clean} can
 *       delete it on a slow stream; default {@code 60s} (Spark's rolling interval), {@code 0} for
 *       size only.</li>
 *   <li>{@value #MAX_PENDING_BYTES}: bytes written but not yet durable before writers wait, default
 *       {@code 256m}.</li>
 *   <li>{@value #PREALLOCATE}: reserve each segment's size up front (faster SYNC on local disks),
 *       default {@code false}.</li>
 *   <li>{@value #RECYCLE_SEGMENTS}: write new segments into the files of segments {@link #clean}
 *       removed (up to two kept), so that a sync writes data only; default {@code false}. A read
 *       of a cleaned record whose file was reused fails instead of finishing.</li>
 * </ul>
 *
 * <h2>Durability and threads</h2>
 * {@link #write} returns once the record is as durable as {@value #DURABILITY} promises, and may
 * block meanwhile, as Spark expects; writes from many threads (and from every receiver of the
 * executor) are committed in groups, one sync per group. Every method is thread-safe.
 * {@link #clean} deletes whole segments whose records all have a time before the threshold; the
 * time of each record is stored with it, so the mapping from Spark's times to the log's sequences
 * is rebuilt after a restart (by reading the log once when it is opened).
 */
public final class ZeroWalSparkLog extends WriteAheadLog {
  /** Base directory of the logs Spark creates. */
  public static final String DIR = "spark.zerowal.dir";
  /** {@code SYNC}, {@code FLUSH} or {@code NONE}; default {@code SYNC}. */
  public static final String DURABILITY = "spark.zerowal.durability";
  /** Segment size, default {@code 128m}. */
  public static final String SEGMENT_SIZE = "spark.zerowal.segmentSize";
  /** Largest record, default {@code 64m}. */
  public static final String MAX_RECORD_SIZE = "spark.zerowal.maxRecordSize";
  /** Roll a segment after this long, default {@code 60s}. */
  public static final String ROLL_INTERVAL = "spark.zerowal.rollInterval";
  /** Bytes appended but not yet durable before writers wait, default {@code 256m}. */
  public static final String MAX_PENDING_BYTES = "spark.zerowal.maxPendingBytes";
  /** Preallocate segments, default {@code false}. */
  public static final String PREALLOCATE = "spark.zerowal.preallocate";
  /** Write new segments into the files of cleaned segments, default {@code false}. */
  public static final String RECYCLE_SEGMENTS = "spark.zerowal.recycleSegments";

  private static final Logger log = LoggerFactory.getLogger(ZeroWalSparkLog.class);
  private static final String SPARK_UTILS = "org.apache.spark.streaming.util.WriteAheadLogUtils$";

  private final SparkConf conf;
  private final SparkLogOptions options;
  private final LogLocation location;
  private SharedLog shared; // guarded by this; opened on the first write, readAll or clean
  private ExecutorService cleaner; // guarded by this
  private boolean closed; // guarded by this

  /**
   * The constructor Spark calls: the log lives under {@value #DIR}, in {@code driver} or
   * {@code receiver-<executorId>} (see the class comment). Nothing is opened until the first
   * write, readAll or clean: Spark also creates instances only to read records by their handles.
   *
   * @param conf the application's configuration, with {@value #DIR} set
   * @throws NullPointerException if {@code conf} is null
   * @throws IllegalArgumentException if {@value #DIR} is missing or a {@code spark.zerowal.*}
   *     value is invalid
   */
  public ZeroWalSparkLog(SparkConf conf) {
    this(conf, LogLocation.of(requireDir(conf), DIR).key() + "/"
        + roleDirectory());
  }

  /**
   * A log in {@code logDirectory}, for use outside Spark's own wiring (tests, tools, an
   * application that manages its logs itself).
   *
   * @param conf the {@code spark.zerowal.*} options ({@value #DIR} is not used)
   * @param logDirectory a local path, a {@code file:} URI or a Hadoop URI such as
   *     {@code hdfs://namenode:8020/wal/stream-0}
   * @throws NullPointerException if {@code conf} is null
   * @throws IllegalArgumentException if {@code logDirectory} is empty or an option is invalid
   */
  public ZeroWalSparkLog(SparkConf conf, String logDirectory) {
    this.conf = Objects.requireNonNull(conf, "conf must not be null: pass the SparkConf");
    this.options = new SparkLogOptions(conf);
    this.location = LogLocation.of(logDirectory, "logDirectory");
  }

  private static String requireDir(SparkConf conf) {
    Objects.requireNonNull(conf, "conf must not be null: pass the SparkConf");
    String dir = conf.get(DIR, "");
    if (dir.isBlank()) {
      throw new IllegalArgumentException(DIR + " is not set: ZeroWalSparkLog needs a base"
          + " directory for its logs, such as --conf " + DIR
          + "=hdfs://namenode:8020/apps/myapp/wal (a local path in local mode)");
    }
    return dir;
  }

  /** {@code driver} when Spark creates the driver's log, else {@code receiver-<executorId>}. */
  static String roleDirectory() {
    boolean driver = StackWalker.getInstance().walk(frames -> frames.anyMatch(
        f -> f.getClassName().equals(SPARK_UTILS) && f.getMethodName().equals("createLogForDriver")));
    if (driver) {
      return "driver";
    }
    SparkEnv env = SparkEnv.get();
    String executor = env == null ? "local" : env.executorId();
    return "receiver-" + executor.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * The directory of this instance's log, as its handles name it.
   *
   * @return a normalized URI, such as {@code hdfs://nn:8020/wal/driver} or {@code file:///wal/driver}
   */
  public String directory() {
    return location.key();
  }

  /**
   * Writes {@code record} (its remaining bytes; its position is not changed) and returns once it
   * is durable.
   *
   * @param record the bytes Spark logs
   * @param time Spark's time of the record, in ms: {@link #clean} deletes by it
   * @return a serializable handle that {@link #read} of any instance, in any JVM, accepts
   * @throws NullPointerException if {@code record} is null
   * @throws IllegalStateException if this instance is closed
   * @throws io.zerowal.core.RecordTooLargeException if the record exceeds {@value #MAX_RECORD_SIZE}
   * @throws WalException if the log failed (a write or sync failed): the record may be lost
   */
  @Override
  public WriteAheadLogRecordHandle write(ByteBuffer record, long time) {
    Objects.requireNonNull(record, "record must not be null");
    if (record.remaining() > options.maxRecordSize) {
      throw new io.zerowal.core.RecordTooLargeException("record of " + record.remaining()
          + " bytes exceeds " + MAX_RECORD_SIZE + "=" + options.maxRecordSize + " of " + location
          + ": raise " + MAX_RECORD_SIZE + " (and " + SEGMENT_SIZE + ") or lower the block size");
    }
    return new ZeroWalRecordHandle(location.key(), log().append(record, time));
  }

  /**
   * Reads a record back by its handle, CRC checked, from the log the handle names: this instance's,
   * another open in this JVM, or, read-only, a log another process writes or wrote.
   *
   * @param handle a handle from {@link #write}
   * @return the record's bytes, in a buffer of their own
   * @throws NullPointerException if {@code handle} is null
   * @throws IllegalArgumentException if {@code handle} is not a {@link ZeroWalRecordHandle}, or its
   *     log did not issue it
   * @throws WalException if the record was deleted by {@link #clean} or is damaged
   */
  @Override
  public ByteBuffer read(WriteAheadLogRecordHandle handle) {
    Objects.requireNonNull(handle, "handle must not be null");
    if (!(handle instanceof ZeroWalRecordHandle)) {
      throw new IllegalArgumentException("handle " + handle + " is a "
          + handle.getClass().getName() + ", not a ZeroWalRecordHandle: it was written by another"
          + " write-ahead log; read it with that log's class");
    }
    ZeroWalRecordHandle h = (ZeroWalRecordHandle) handle;
    RecordHandle recordHandle = h.recordHandle();
    LogLocation where = LogLocation.of(h.directory(), "handle directory");
    SharedLog open = SharedLog.peek(where);
    if (open != null) {
      try {
        return open.read(recordHandle);
      } catch (io.zerowal.core.LogClosedException e) {
        // closed by its last user meanwhile: read it as a log nobody holds
      }
    }
    return readOnly(where, recordHandle);
  }

  private ByteBuffer readOnly(LogLocation where, RecordHandle recordHandle) {
    Storage storage = where.openExisting(conf);
    try (ReadOnlyLog view = options.builder(storage).openReadOnly()) {
      return TimedRecord.data(view.read(recordHandle), recordHandle.sequence() + " of " + where);
    } finally {
      try {
        storage.close();
      } catch (IOException e) {
        log.debug("closing storage {} after a read", where, e);
      }
    }
  }

  /**
   * Every record of this instance's log not yet deleted by {@link #clean}, oldest first, read
   * lazily. Records older than the last clean's threshold may still appear: the log deletes whole
   * segments, as Spark's own log deletes whole files.
   *
   * @return an iterator over the records' bytes
   * @throws IllegalStateException if this instance is closed
   */
  @Override
  public Iterator<ByteBuffer> readAll() {
    return log().readAll();
  }

  /**
   * Deletes the segments whose records all have a time before {@code threshTime}, each deletion
   * durable; the segment being written is kept.
   *
   * @param threshTime Spark's time: records before it are no longer needed
   * @param waitForCompletion true to return once done, false to clean on a background thread
   * @throws IllegalStateException if this instance is closed
   */
  @Override
  public void clean(long threshTime, boolean waitForCompletion) {
    SharedLog s = log();
    if (waitForCompletion) {
      s.clean(threshTime);
      return;
    }
    synchronized (this) {
      if (closed) {
        throw closedException();
      }
      if (cleaner == null) {
        cleaner = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "zerowal-spark-clean " + location);
          t.setDaemon(true);
          return t;
        });
      }
      cleaner.execute(() -> {
        try {
          s.clean(threshTime);
        } catch (RuntimeException e) {
          log.warn("ZeroWalSparkLog {}: clean({}) failed; a later clean retries", location,
              threshTime, e);
        }
      });
    }
  }

  /**
   * Waits (up to 30 s) for background cleans and releases this instance's log; the last instance
   * of a directory in the JVM closes it, which makes every written record durable. Idempotent.
   */
  @Override
  public void close() {
    SharedLog s;
    ExecutorService c;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = shared;
      c = cleaner;
    }
    if (c != null) {
      c.shutdown();
      try {
        if (!c.awaitTermination(30, TimeUnit.SECONDS)) {
          log.warn("ZeroWalSparkLog {}: a background clean still runs after 30 s", location);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (s != null) {
      s.release();
    }
  }

  private synchronized SharedLog log() {
    if (closed) {
      throw closedException();
    }
    if (shared == null) {
      shared = SharedLog.acquire(location, options, conf);
    }
    return shared;
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("ZeroWalSparkLog " + location + " is closed; create a new"
        + " instance to use the log again");
  }

  /** The shared log, for tests; opens it if needed. */
  SharedLog sharedLog() {
    return log();
  }

  @Override
  public String toString() {
    return "ZeroWalSparkLog{" + location + "}";
  }
}
