/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10^6 records from two receivers through 100 ms batches on local disk, durably, over about 10 s:
 * disk use stays bounded while the logs are cleaned, and stop() leaves no thread and no open file
 * behind.
 */
class SoakTest {
  private static final int RECORDS_PER_RECEIVER = 500_000;
  /** Without cleanup the data alone would take over 20 MB. */
  private static final long DISK_BOUND = 8L << 20;

  @TempDir Path dir;

  /** Stores {@code count} 16-byte records as fast as back-pressure lets it. */
  static final class FloodReceiver implements Receiver {
    final AtomicLong acked = new AtomicLong();
    private Thread thread;

    @Override
    public void onStart(ReceiverContext context) {
      thread = new Thread(() -> {
        ByteBuffer record = ByteBuffer.allocate(16);
        for (long i = 0; i < RECORDS_PER_RECEIVER && !context.isStopped(); i++) {
          record.clear().putLong(0, i);
          context.store(record).thenRun(acked::incrementAndGet);
        }
      }, "flood");
      thread.start();
    }

    @Override
    public void onStop() {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void millionRecordsFlowThroughWithBoundedDiskAndNothingLeaked() throws Exception {
    Set<String> threadsBefore = threadNames();
    AtomicLong processed = new AtomicLong();
    FloodReceiver a = new FloodReceiver();
    FloodReceiver b = new FloodReceiver();
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> local(dir.resolve("data").resolve(id)))
        .metadataStorage(local(dir.resolve("metadata")))
        .durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(100))
        .dataSegmentSize(1 << 20).maxBlockBytes(256 << 10).maxBufferedBytes(2 << 20)
        // Unthrottled the million records pass in about a second, before a batch could clean
        // anything: spread them over about 10 s, so that many batches and cleanups run.
        .maxRecordsPerSecond(50_000)
        .receiver("a", a).receiver("b", b)
        .processor(batch -> processed.addAndGet(batch.records().count()))
        .build();
    long start = System.nanoTime();
    engine.start();
    long maxDisk = 0;
    while (a.acked.get() + b.acked.get() < 2L * RECORDS_PER_RECEIVER) {
      maxDisk = Math.max(maxDisk, diskUse());
      Thread.sleep(20);
      assertThat(System.nanoTime() - start).as("soak within 50 s").isLessThan(50_000_000_000L);
    }
    engine.stop();
    double seconds = (System.nanoTime() - start) / 1e9;
    maxDisk = Math.max(maxDisk, diskUse());

    assertThat(processed.get()).isEqualTo(2L * RECORDS_PER_RECEIVER);
    assertThat(maxDisk).as("largest disk use seen, bytes").isLessThan(DISK_BOUND);
    assertThat(openFilesUnder(dir)).isEmpty();
    assertThat(threadNames()).isSubsetOf(threadsBefore);
    System.out.printf("soak: %d records in %.1f s (%.0f records/s), max disk %d KiB, %d batches%n",
        processed.get(), seconds, processed.get() / seconds, maxDisk >> 10,
        engine.batchesCompleted());
  }

  private static LocalStorage local(Path p) {
    try {
      return new LocalStorage(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Bytes in regular files under {@link #dir}. The engine deletes segments while this walks, so a
   * file or folder that vanishes between listing and reading counts as 0 bytes ({@code Files.walk}
   * would throw for it).
   */
  private long diskUse() throws IOException {
    long[] total = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          total[0] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // deleted meanwhile
        }
        throw e;
      }
    });
    return total[0];
  }

  static Set<String> openFilesUnder(Path dir) throws IOException {
    Set<String> open = new HashSet<>();
    String root = dir.toRealPath().toString();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.collect(Collectors.toList())) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(root)) {
            open.add(target);
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    return open;
  }

  static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).collect(Collectors.toSet());
  }
}
