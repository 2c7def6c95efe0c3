/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The raw bound a durable log is measured against: plain {@link FileChannel} writes of fixed-size
 * records in groups, one write and one {@code force(false)} (fdatasync) per group, on one thread.
 * A write-ahead log that commits groups of N records cannot beat this figure for N on the same
 * disk; {@link LogDemo} prints it beside its own.
 *
 * <p>Two layouts are measured for each group size: <b>growing</b> files, a new one every 64 MiB
 * like ZeroWAL's default, non-preallocated segments (each fdatasync also persists the new size and
 * block allocation), and one <b>preallocated</b> 64 MiB file (zeros written and forced before the
 * clock starts, then overwritten cyclically, so an fdatasync carries data only).
 *
 * <pre>
 * RawSyncBaseline [groupSize] [records] [recordSize] [dir] [seconds]
 * </pre>
 * Runs {@code groupSize} (if given and positive) and then 1, 8, 64 and 512 records per sync. Each
 * run writes {@code records} records (default 1,000,000) or stops after {@code seconds} (default 5)
 * at a group boundary, whichever comes first. Files go to {@code dir} (default
 * {@code target/zerowal-demo/raw}) and are deleted after each run.
 */
public final class RawSyncBaseline {
  /** Group sizes measured on every run, besides the one asked for. */
  static final int[] FIXED_GROUP_SIZES = {1, 8, 64, 512};
  /** Size of each file, like ZeroWAL's default segment size (files grown beyond it sync slower). */
  static final long SEGMENT_BYTES = 64L << 20;

  private RawSyncBaseline() {}

  /** One measured run. MB are 10^6 bytes. */
  public record Result(int groupSize, boolean preallocated, long records, long bytes, long syncs,
      long nanos) {
    public double recordsPerSecond() {
      return records * 1e9 / nanos;
    }

    public double megabytesPerSecond() {
      return bytes * 1e3 / nanos;
    }
  }

  /**
   * Writes up to {@code maxRecords} records of {@code recordSize} bytes into a new file in
   * {@code dir}, {@code groupSize} per write and fdatasync, for at most about {@code maxTime}, and
   * deletes the file. Only the writes and syncs are timed.
   */
  public static Result measure(Path dir, int groupSize, int recordSize, long maxRecords,
      Duration maxTime, boolean preallocate) throws IOException {
    if (groupSize < 1 || recordSize < 1 || maxRecords < 1) {
      throw new IllegalArgumentException("groupSize, recordSize and maxRecords must be positive: "
          + groupSize + ", " + recordSize + ", " + maxRecords);
    }
    long groupBytes = (long) groupSize * recordSize;
    if (groupBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a group of " + groupSize + " records of " + recordSize
          + " bytes does not fit in one buffer");
    }
    Files.createDirectories(dir);
    ByteBuffer group = ByteBuffer.allocateDirect((int) groupBytes);
    SplittableRandom random = new SplittableRandom(groupSize);
    while (group.remaining() >= 8) {
      group.putLong(random.nextLong());
    }
    long fileBytes = Math.max(groupBytes, SEGMENT_BYTES);
    String prefix = (preallocate ? "preallocated-" : "growing-") + groupSize + "-";
    List<Path> files = new ArrayList<>();
    FileChannel channel = null;
    try {
      channel = newFile(dir, prefix, files, preallocate ? fileBytes : 0);
      long deadline = System.nanoTime() + maxTime.toNanos();
      long records = 0;
      long syncs = 0;
      long position = 0;
      long start = System.nanoTime();
      long now = start;
      while (records < maxRecords && (records == 0 || now < deadline)) {
        if (position + groupBytes > fileBytes) {
          if (preallocate) {
            position = 0; // overwrite: the blocks stay allocated, the size stays put
          } else {
            channel.close(); // roll, as the log rolls its segments
            channel = newFile(dir, prefix, files, 0);
            position = 0;
          }
        }
        group.clear();
        while (group.hasRemaining()) {
          position += channel.write(group, position);
        }
        channel.force(false);
        syncs++;
        records += groupSize;
        now = System.nanoTime();
      }
      return new Result(groupSize, preallocate, records, records * recordSize, syncs, now - start);
    } finally {
      if (channel != null) {
        channel.close();
      }
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static FileChannel newFile(Path dir, String prefix, List<Path> files, long zeros)
      throws IOException {
    Path file = dir.resolve(prefix + files.size() + ".raw");
    Files.deleteIfExists(file);
    files.add(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    if (zeros > 0) {
      writeZeros(channel, zeros);
    }
    return channel;
  }

  private static void writeZeros(FileChannel channel, long bytes) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    long position = 0;
    while (position < bytes) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - position));
      while (zeros.hasRemaining()) {
        position += channel.write(zeros, position);
      }
    }
    channel.force(true);
  }

  public static void main(String[] args) {
    try {
      String[] a = CommandLine.nonBlank(args);
      int groupSize = CommandLine.intArg(a, 0, "groupSize", 0);
      long records = CommandLine.longArg(a, 1, "records", 1_000_000);
      int recordSize = CommandLine.intArg(a, 2, "recordSize", 1024);
      Path dir = Path.of(a.length > 3 ? a[3] : "target/zerowal-demo/raw");
      Duration maxTime = Duration.ofSeconds(CommandLine.longArg(a, 4, "seconds", 5));
      Set<Integer> sizes = new LinkedHashSet<>();
      if (groupSize > 0) {
        sizes.add(groupSize);
      }
      for (int size : FIXED_GROUP_SIZES) {
        sizes.add(size);
      }
      System.out.printf(Locale.ROOT, "Raw FileChannel bound: %,d-byte records, one write +"
          + " force(false) per group, up to %,d records or %d s per run, in %s%n", recordSize,
          records, maxTime.toSeconds(), dir.toAbsolutePath().normalize());
      System.out.printf(Locale.ROOT, "  %12s   %-30s %s%n", "records/sync", "growing file",
          "preallocated file");
      measure(dir, 8, recordSize, 4096, Duration.ofSeconds(1), false); // warm-up, not reported
      for (int size : sizes) {
        Result growing = measure(dir, size, recordSize, records, maxTime, false);
        Result preallocated = measure(dir, size, recordSize, records, maxTime, true);
        System.out.printf(Locale.ROOT, "  %,12d   %-30s %s%n", size, format(growing),
            format(preallocated));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("RawSyncBaseline: " + e.getMessage());
      System.err.println("usage: RawSyncBaseline [groupSize] [records] [recordSize] [dir] [seconds]");
      System.exit(2);
    } catch (IOException e) {
      System.err.println("RawSyncBaseline failed: " + e);
      System.exit(1);
    }
  }

  static String format(Result r) {
    return String.format(Locale.ROOT, "%,10.0f records/s %7.1f MB/s", r.recordsPerSecond(),
        r.megabytesPerSecond());
  }
}
