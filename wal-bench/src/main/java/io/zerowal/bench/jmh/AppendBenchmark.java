/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench.jmh;

import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 * Append throughput: each benchmark thread appends one record and waits for it, so {@code N}
 * threads keep N appends in flight and the writer commits them in groups of up to N. Run with
 * {@code -prof gc} for the allocation per append ({@code gc.alloc.rate.norm}: the future and the
 * handle are 40 + 32 bytes).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class AppendBenchmark {
  @Param({"100", "1024", "65536", "1048576"})
  public int size;

  @Param({"SYNC", "FLUSH", "NONE"})
  public Durability durability;

  @Param({"false"})
  public boolean preallocate;

  private Path dir;
  private WriteAheadLog log;

  /** Each thread appends its own buffer: a payload must not change until its future completes. */
  @State(Scope.Thread)
  public static class Payload {
    ByteBuffer buffer;

    @Setup(Level.Trial)
    public void setUp(AppendBenchmark b) {
      byte[] bytes = new byte[b.size];
      new Random(42).nextBytes(bytes);
      buffer = ByteBuffer.wrap(bytes);
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = BenchLogs.freshDir("append");
    log = BenchLogs.open(dir, durability, preallocate, size);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    log.close();
    BenchLogs.delete(dir);
  }

  @Benchmark
  @Threads(1)
  public RecordHandle threads01(Payload p) {
    return log.append(p.buffer).join();
  }

  @Benchmark
  @Threads(8)
  public RecordHandle threads08(Payload p) {
    return log.append(p.buffer).join();
  }

  @Benchmark
  @Threads(64)
  public RecordHandle threads64(Payload p) {
    return log.append(p.buffer).join();
  }
}
