/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open ZeroWAL log per directory and JVM, shared by every {@link ZeroWalSparkLog} instance
 * that writes there: Spark creates one instance per receiver, so receivers of one executor append
 * to one log and share its group commits. Reference counted; the last release closes the log.
 */
final class SharedLog {
  private static final Logger log = LoggerFactory.getLogger(SharedLog.class);
  private static final Map<String, SharedLog> OPEN = new HashMap<>(); // guarded by itself

  final LogLocation location;
  private final WriteAheadLog wal;
  private final TimeIndex index;
  private int refs; // guarded by OPEN

  private SharedLog(LogLocation location, WriteAheadLog wal, TimeIndex index) {
    this.location = location;
    this.wal = wal;
    this.index = index;
  }

  /** The log of {@code location}, opened (and its time index rebuilt) if no instance holds it. */
  static SharedLog acquire(LogLocation location, SparkLogOptions options, SparkConf conf) {
    synchronized (OPEN) {
      SharedLog s = OPEN.get(location.key());
      if (s == null) {
        s = open(location, options, conf);
        OPEN.put(location.key(), s);
      }
      s.refs++;
      return s;
    }
  }

  /** The log of {@code location} if an instance of this JVM holds it open, else null. */
  static SharedLog peek(LogLocation location) {
    synchronized (OPEN) {
      return OPEN.get(location.key());
    }
  }

  private static SharedLog open(LogLocation location, SparkLogOptions options, SparkConf conf) {
    WriteAheadLog wal = options.builder(location.open(conf)).open();
    try {
      TimeIndex index = new TimeIndex(wal.firstSequence());
      long records = 0;
      try (LogReader r = wal.readFrom(wal.firstSequence())) {
        for (LogRecord rec : r) {
          index.record(rec.handle().segment(), rec.sequence(),
              TimedRecord.time(rec.payload(), rec.sequence() + " of " + location));
          records++;
        }
      }
      log.info("ZeroWalSparkLog opened {} ({}): {} records in {} segments indexed by time",
          location, options, records, index.segments());
      return new SharedLog(location, wal, index);
    } catch (RuntimeException | Error e) {
      wal.close();
      throw e;
    }
  }

  /** Drops one reference; the last closes the log. */
  void release() {
    synchronized (OPEN) {
      if (--refs > 0) {
        return;
      }
      OPEN.remove(location.key());
    }
    wal.close();
  }

  /** Appends and waits until the record is as durable as the log promises. */
  RecordHandle append(ByteBuffer data, long time) {
    try {
      return wal.append(TimedRecord.encode(data, time)).thenApply(h -> {
        index.record(h.segment(), h.sequence(), time); // on the log's thread, in sequence order
        return h;
      }).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  /** Spark's bytes of the record {@code handle}. */
  ByteBuffer read(RecordHandle handle) {
    return TimedRecord.data(wal.read(handle), handle.sequence() + " of " + location);
  }

  /** Spark's bytes of every record in the log now, oldest first; reads lazily. */
  Iterator<ByteBuffer> readAll() {
    LogReader reader = readFromFirst();
    Iterator<LogRecord> records = reader.iterator();
    return new Iterator<>() {
      private boolean open = true;

      @Override
      public boolean hasNext() {
        if (!open) {
          return false;
        }
        if (records.hasNext()) {
          return true;
        }
        open = false;
        reader.close();
        return false;
      }

      @Override
      public ByteBuffer next() {
        if (!hasNext()) {
          throw new NoSuchElementException("no more records in " + location);
        }
        LogRecord rec = records.next();
        return TimedRecord.data(rec.payload(), rec.sequence() + " of " + location);
      }
    };
  }

  private LogReader readFromFirst() {
    for (int attempt = 1; ; attempt++) {
      try {
        return wal.readFrom(wal.firstSequence());
      } catch (io.zerowal.core.WalException e) {
        // A clean deleted the first segment between the two calls: start from the new first.
        if (attempt == 3 || e instanceof io.zerowal.core.LogClosedException
            || e instanceof io.zerowal.core.LogFailedException) {
          throw e;
        }
      }
    }
  }

  /** Deletes the segments whose records all have a time before {@code threshTime}. */
  int clean(long threshTime) {
    long cut = index.cutFor(threshTime);
    int deleted = wal.truncateBefore(cut);
    index.forgetBefore(wal.firstSequence());
    log.debug("ZeroWalSparkLog {}: clean({}) cut at sequence {}, {} segments deleted", location,
        threshTime, cut, deleted);
    return deleted;
  }

  /** The log itself, for tests. */
  WriteAheadLog wal() {
    return wal;
  }
}
