/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench.jmh;

import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-writer SYNC latency (JMH's sample mode reports p50/p99/p99.9), next to the raw bound: one
 * positional write of the same frame and one {@code force(false)} on a preallocated file.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class LatencyBenchmark {
  private static final long RAW_FILE = 64L << 20;

  @Param({"1024"})
  public int size;

  @Param({"true", "false"})
  public boolean preallocate;

  private Path dir;
  private WriteAheadLog log;
  private ByteBuffer payload;
  private FileChannel raw;
  private ByteBuffer frame;
  private long rawPosition;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = BenchLogs.freshDir("latency");
    log = BenchLogs.open(dir, Durability.SYNC, preallocate, size);
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    payload = ByteBuffer.wrap(bytes);
    raw = FileChannel.open(dir.resolve("raw.bin"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    if (preallocate) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long p = 0; p < RAW_FILE; ) {
        zeros.clear();
        p += raw.write(zeros, p);
      }
      raw.force(true);
    }
    frame = ByteBuffer.allocateDirect(size + 17);
    frame.put(bytes, 0, Math.min(size, frame.capacity())).clear();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    log.close();
    raw.close();
    BenchLogs.delete(dir);
  }

  @Benchmark
  public RecordHandle zeroWalSync() {
    return log.append(payload).join();
  }

  @Benchmark
  public long rawWriteForce() throws Exception {
    if (preallocate && rawPosition + frame.capacity() > RAW_FILE) {
      rawPosition = 0;
    }
    frame.clear();
    while (frame.hasRemaining()) {
      rawPosition += raw.write(frame, rawPosition);
    }
    raw.force(false);
    return rawPosition;
  }
}
