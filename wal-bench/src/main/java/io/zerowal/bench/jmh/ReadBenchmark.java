/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench.jmh;

import io.zerowal.core.Durability;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading back: replay of the whole log with {@code readFrom} (one op is one whole replay; the
 * {@code records} and {@code bytes} counters give records/s and bytes/s), and random
 * {@code read(handle)}. The log is written once per trial, so it is in the page cache.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ReadBenchmark {
  @Param({"1024", "65536"})
  public int size;

  /** Payload bytes in the log. */
  @Param({"268435456"})
  public long logBytes;

  /** Per-thread counters JMH reports as rates. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Replayed {
    public long records;
    public long bytes;
  }

  private Path dir;
  private WriteAheadLog log;
  private RecordHandle[] handles;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = BenchLogs.freshDir("read");
    log = BenchLogs.open(dir, Durability.NONE, false, size);
    int records = (int) Math.max(1, logBytes / size);
    handles = new RecordHandle[records];
    byte[] bytes = new byte[size];
    @SuppressWarnings("unchecked")
    CompletableFuture<RecordHandle>[] fs = new CompletableFuture[records];
    for (int i = 0; i < records; i++) {
      fs[i] = log.append(ByteBuffer.wrap(bytes));
    }
    for (int i = 0; i < records; i++) {
      handles[i] = fs[i].join();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    log.close();
    BenchLogs.delete(dir);
  }

  @Benchmark
  public void replay(Replayed counters, Blackhole bh) {
    try (LogReader r = log.readFrom(log.firstSequence())) {
      for (LogRecord rec : r) {
        counters.records++;
        counters.bytes += rec.payload().remaining();
        bh.consume(rec);
      }
    }
  }

  /** {@link #replay} through {@link LogReader#visit}: payloads are views, never copied. */
  @Benchmark
  public void replayVisit(Replayed counters, Blackhole bh) {
    try (LogReader r = log.readFrom(log.firstSequence())) {
      r.visit((sequence, payload) -> {
        counters.records++;
        counters.bytes += payload.remaining();
        bh.consume(payload);
      });
    }
  }

  @Benchmark
  public ByteBuffer randomRead() {
    return log.read(handles[ThreadLocalRandom.current().nextInt(handles.length)]);
  }
}
