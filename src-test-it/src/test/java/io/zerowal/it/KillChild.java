/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * The child JVM of {@link ProcessKillIT}: opens the log in {@code args[0]} with durability
 * {@code args[1]}, then appends forever from four threads until it is killed. It reports on stdout,
 * one flushed line each:
 * <pre>
 * READY                                      once the log is open (recovery done)
 * SUB key                                    before a payload is handed to append
 * ACK sequence key handleHex crc32c .        when its future completed (the record is durable)
 * NACK key .                                 when its append failed (the log is poisoned)
 * </pre>
 * The trailing {@code .} marks a complete line: a kill can cut the last line short.
 */
public final class KillChild {
  static final int WRITERS = 4;

  private KillChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    int phase = Integer.parseInt(args[2]);
    long salt = Long.parseLong(args[3]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
    // Every other phase recycles segments under a consumer that truncates as it goes, so that kills
    // land while segments are written over the files of truncated ones; the parent reopens the
    // log without recycleSegments, which must read such a log all the same.
    boolean recycle = phase % 2 == 1;
    WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).durability(durability)
        .segmentSize(64 << 10).maxRecordSize(4096).preallocate(phase % 3 == 0)
        .recycleSegments(recycle).open();
    line(out, "READY");
    if (recycle) {
      consumeBehind(log, out);
    }
    appendForever(log, phase, salt, false, out);
  }

  /**
   * Appends from {@link #WRITERS} threads until the process dies, reporting on {@code out}. With
   * {@code paced}, every other writer pauses about a millisecond between appends: a few hundred
   * records/s, so that a late sync is not hidden by the next group's (issue 14, item 7).
   */
  static void appendForever(WriteAheadLog log, int phase, long salt, boolean paced, PrintStream out)
      throws InterruptedException {
    HexFormat hex = HexFormat.of();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        Semaphore window = new Semaphore(16);
        for (int i = 0; ; i++) {
          long key = Payloads.key(phase, writer, i);
          byte[] payload = Payloads.expected(key, salt, 1000);
          CRC32C crc = new CRC32C();
          crc.update(payload);
          long digest = crc.getValue();
          window.acquireUninterruptibly();
          line(out, "SUB " + Long.toHexString(key));
          try {
            log.append(payload).whenComplete((h, e) -> {
              window.release();
              if (e == null) {
                line(out, "ACK " + h.sequence() + " " + Long.toHexString(key) + " "
                    + hex.formatHex(h.toBytes()) + " " + Long.toHexString(digest) + " .");
              } else {
                line(out, "NACK " + Long.toHexString(key) + " .");
              }
            });
          } catch (RuntimeException e) { // a failed log refuses appends at once
            line(out, "NACK " + Long.toHexString(key) + " .");
            return;
          }
          if (paced && writer % 2 == 1) {
            LockSupport.parkNanos(1_000_000);
          }
        }
      }, "appender-" + w);
      t.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  /**
   * Truncates all but the last 500 records every 5 ms, saying so first ({@code TRUNC sequence .}):
   * the parent then expects nothing below it.
   */
  static void consumeBehind(WriteAheadLog log, PrintStream out) {
    Thread t = new Thread(() -> {
      while (true) {
        long before = log.nextSequence() - 500;
        if (before > 0) {
          line(out, "TRUNC " + before + " .");
          log.truncateBefore(before);
        }
        LockSupport.parkNanos(5_000_000);
      }
    }, "consumer");
    t.setDaemon(true);
    t.start();
  }

  /** Prints one whole line and flushes it, so a kill cuts at most the line being written. */
  static void line(PrintStream out, String s) {
    synchronized (out) {
      out.print(s);
      out.print('\n');
      out.flush();
    }
  }
}
