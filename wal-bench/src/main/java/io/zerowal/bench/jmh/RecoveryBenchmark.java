/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench.jmh;

import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

/**
 * Recovery time of a large log: {@code logMiB} of sealed 64 MiB segments whose last segment has
 * lost its footer (as after a crash), so {@code open} checks the sealed ones by header and footer
 * and scans the tail frame by frame. {@code verify} checks every frame of the whole log;
 * {@code rawReadAll} is the bound for both: a plain sequential read of every segment file.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class RecoveryBenchmark {
  private static final long SEGMENT = 64L << 20;
  private static final int FOOTER_SIZE = 29;

  @Param({"1024"})
  public int logMiB;

  @Param({"65536"})
  public int recordSize;

  private Path dir;
  private WriteAheadLog opened;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = BenchLogs.freshDir("recovery");
    byte[] bytes = new byte[recordSize];
    long records = ((long) logMiB << 20) / recordSize;
    try (WriteAheadLog log = WriteAheadLog.builder(new io.zerowal.core.storage.LocalStorage(dir))
        .durability(Durability.NONE).segmentSize(SEGMENT)
        .maxRecordSize(Math.max(recordSize, 1 << 20)).open()) {
      CompletableFuture<RecordHandle> last = null;
      for (long i = 0; i < records; i++) {
        last = log.append(ByteBuffer.wrap(bytes));
      }
      if (last != null) {
        last.join();
      }
    }
    stripLastFooter();
  }

  /** Cuts the footer off the newest segment: it is then an unsealed tail, as after a crash. */
  private void stripLastFooter() throws IOException {
    Path last = segments().get(segments().size() - 1);
    try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - FOOTER_SIZE);
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
    }
  }

  @TearDown(Level.Invocation)
  public void closeOpened() throws IOException {
    if (opened != null) {
      opened.close(); // seals the tail again
      opened = null;
      stripLastFooter();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    BenchLogs.delete(dir);
  }

  @Benchmark
  public long open() throws IOException {
    opened = BenchLogs.open(dir, Durability.SYNC, false, recordSize);
    return opened.recoveryReport().hashCode();
  }

  @Benchmark
  public long verify() throws IOException {
    opened = BenchLogs.open(dir, Durability.SYNC, false, recordSize);
    return opened.verify();
  }

  @Benchmark
  public long rawReadAll() throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long total = 0;
    for (Path p : segments()) {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        int n;
        while ((n = ch.read(buf)) >= 0) {
          total += n;
          buf.clear();
        }
      }
    }
    return total;
  }
}
