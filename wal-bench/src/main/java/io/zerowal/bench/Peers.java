/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import com.squareup.tape2.QueueFile;
import io.zerowal.core.Durability;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.util.BatchedWriteAheadLog;
import org.apache.spark.streaming.util.FileBasedWriteAheadLog;

/** The systems {@link Compare} measures, each behind the smallest interface the harness needs. */
final class Peers {
  private Peers() {}

  /** A log whose write returns once the record is as durable as the system promises. */
  interface BlockingLog extends AutoCloseable {
    void write(ByteBuffer record) throws Exception;

    /** fsyncs so far, or -1 if the system never fsyncs on its write path. */
    long syncs();

    @Override
    void close() throws Exception;
  }

  /** What a ZeroWAL run is configured with. */
  static final class ZeroWalConfig {
    final String name;
    final Durability durability;
    final boolean preallocate;
    final boolean memory;

    ZeroWalConfig(String name, Durability durability, boolean preallocate, boolean memory) {
      this.name = name;
      this.durability = durability;
      this.preallocate = preallocate;
      this.memory = memory;
    }

    WriteAheadLog open(Path dir) throws IOException {
      Storage storage = memory ? new MemoryStorage() : new LocalStorage(dir);
      return WriteAheadLog.builder(storage).durability(durability).preallocate(preallocate)
          .open();
    }
  }

  /**
   * Spark's {@code FileBasedWriteAheadLog} on a local directory with its default writer: each write
   * is a length-prefixed record followed by {@code hflush}, which on the local file system is a
   * plain write into the page cache (no fsync). {@code write} is synchronized.
   */
  static WriteAheadLogAdapter spark(Path dir, boolean batched) {
    SparkConf conf = new SparkConf(false);
    Configuration hadoop = new Configuration(false);
    hadoop.set("fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem");
    FileBasedWriteAheadLog fileLog =
        new FileBasedWriteAheadLog(conf, dir.toString(), hadoop, 60, 3, false);
    if (!batched) {
      return new WriteAheadLogAdapter(fileLog);
    }
    return new WriteAheadLogAdapter(new BatchedWriteAheadLog(fileLog, conf));
  }

  /** Spark's log behind {@link BlockingLog}. */
  static final class WriteAheadLogAdapter implements BlockingLog {
    final org.apache.spark.streaming.util.WriteAheadLog log;

    WriteAheadLogAdapter(org.apache.spark.streaming.util.WriteAheadLog log) {
      this.log = log;
    }

    @Override
    public void write(ByteBuffer record) {
      log.write(record.duplicate(), System.currentTimeMillis());
    }

    /** Replays every record; returns {records, payload bytes}. */
    long[] readAll() {
      long n = 0;
      long bytes = 0;
      Iterator<ByteBuffer> it = log.readAll();
      while (it.hasNext()) {
        ByteBuffer b = it.next();
        n++;
        bytes += b.remaining();
      }
      return new long[] {n, bytes};
    }

    @Override
    public long syncs() {
      return -1;
    }

    @Override
    public void close() {
      log.close();
    }
  }

  /** Square Tape's {@code QueueFile}: every add writes and fsyncs (RandomAccessFile "rwd"). */
  static final class Tape implements BlockingLog {
    private final QueueFile queue;
    private long adds;

    Tape(Path file) throws IOException {
      queue = new QueueFile.Builder(file.toFile()).build();
    }

    @Override
    public synchronized void write(ByteBuffer record) throws IOException {
      byte[] bytes;
      if (record.hasArray() && record.arrayOffset() == 0 && record.position() == 0
          && record.remaining() == record.array().length) {
        bytes = record.array();
      } else {
        bytes = new byte[record.remaining()];
        record.duplicate().get(bytes);
      }
      queue.add(bytes);
      adds++;
    }

    @Override
    public synchronized long syncs() {
      return adds;
    }

    @Override
    public void close() throws IOException {
      queue.close();
    }
  }

  /** ZeroWAL with one-at-a-time appends, for the latency workload. */
  static final class ZeroWalBlocking implements BlockingLog {
    final WriteAheadLog log;

    ZeroWalBlocking(WriteAheadLog log) {
      this.log = log;
    }

    @Override
    public void write(ByteBuffer record) {
      CompletableFuture<RecordHandle> f = log.append(record);
      f.join();
    }

    @Override
    public long syncs() {
      return log.stats().syncs();
    }

    @Override
    public void close() {
      log.close();
    }
  }

  /** Replays a ZeroWAL log from its first record; returns {records, payload bytes}. */
  static long[] replay(WriteAheadLog log) {
    long n = 0;
    long bytes = 0;
    try (LogReader r = log.readFrom(log.firstSequence())) {
      for (LogRecord rec : r) {
        n++;
        bytes += rec.payload().remaining();
      }
    }
    return new long[] {n, bytes};
  }

  /** {@link #replay} through {@link LogReader#visit}: the payload is a view, never copied. */
  static long[] replayViews(WriteAheadLog log) {
    long[] totals = new long[2];
    try (LogReader r = log.readFrom(log.firstSequence())) {
      r.visit((sequence, payload) -> {
        totals[0]++;
        totals[1] += payload.remaining();
      });
    }
    return totals;
  }
}
