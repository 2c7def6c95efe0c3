/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * Closes an HDFS file that another client (a dead or fenced writer) holds open, and waits for
 * block recovery to finish, within a bound.
 *
 * <p>{@code recoverLease} takes the lease from its holder at once, whether it is dead or only
 * paused: the NameNode bumps the generation stamp of the last block, so the old holder's next
 * {@code hflush}/{@code hsync} fails. The file is closed once the datanodes agreed on the length of
 * the last block, which is at least every byte an {@code hflush} acknowledged. The same wait serves
 * a {@code truncate} that cut inside a block.
 */
final class LeaseRecovery {
  /** recoverLease is asked again this often: a first request can be lost if a datanode restarts. */
  private static final long REASK_NANOS = Duration.ofSeconds(4).toNanos();

  private LeaseRecovery() {}

  /** Takes the lease of {@code path} and waits until the file is closed. Returns the time it took. */
  static Duration recover(DistributedFileSystem dfs, Path path, Duration timeout) throws IOException {
    long start = System.nanoTime();
    if (dfs.recoverLease(path)) {
      return Duration.ofNanos(System.nanoTime() - start);
    }
    awaitClosed(dfs, path, timeout, "recovering the lease of a writer that left it open", true);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Waits until {@code path} is closed: after {@code recoverLease}, or after a {@code truncate} inside
   * a block. With {@code reask}, repeats {@code recoverLease} every few seconds while waiting.
   */
  static void awaitClosed(DistributedFileSystem dfs, Path path, Duration timeout, String why,
      boolean reask) throws IOException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long lastAsk = start;
    long pauseMillis = 20;
    while (!dfs.isFileClosed(path)) {
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        throw new IOException("HDFS file " + path + " is still not closed after " + timeout.toMillis()
            + " ms of " + why + ": block recovery has not finished (are the datanodes holding its last"
            + " block down? see 'hdfs fsck " + path.toUri().getPath() + " -files -blocks -openforwrite')."
            + " Open the log again later, or raise HdfsStorage's leaseRecoveryTimeout");
      }
      if (reask && now - lastAsk >= REASK_NANOS) {
        lastAsk = now;
        if (dfs.recoverLease(path)) {
          return;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + path + " to close ("
            + why + ")");
      }
      pauseMillis = Math.min(pauseMillis * 2, 500);
    }
  }
}
