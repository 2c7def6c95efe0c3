/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import io.zerowal.core.storage.StorageLockedException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException;
import org.apache.hadoop.ipc.RemoteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write lock of a log on HDFS: the file {@value HdfsStorage#LOCK_FILE}, held open for append by
 * the writer. Its HDFS lease is the lock; taking the lease is what fences the previous holder.
 *
 * <p>Taking it: create the file, or, if it exists, {@code recoverLease} it (at once, whether its
 * holder is dead or only paused: HDFS cannot tell them apart before the 60 s soft limit) and
 * append to it. Then write a line naming the owner and {@code hflush} it. The holder's lease is
 * renewed by its HDFS client for as long as the process lives.
 *
 * <p>Proving it: {@link #prove} appends one byte and {@code hflush}es it. That fails once another
 * writer recovered the lease, because lease recovery changes the generation stamp of the file's
 * last block. The storage proves ownership before and after every namespace change, so a fenced
 * writer cannot create, rename, delete or cut files; and because the proof after a create comes
 * before any write to the new file, a file created in the window between a proof and the take-over
 * is seen by the new owner's listing (which follows the take-over) and fenced by lease recovery.
 */
final class LockFile {
  private static final Logger log = LoggerFactory.getLogger(LockFile.class);
  private static final byte[] PROOF = {'.'};

  private final Path path;
  private final FSDataOutputStream out;
  private boolean fenced; // guarded by this

  private LockFile(Path path, FSDataOutputStream out) {
    this.path = path;
    this.out = out;
  }

  /** Takes the lock, fencing any previous holder. */
  static LockFile take(FileSystem fs, Path path, FsPermission permission, Duration leaseTimeout)
      throws IOException {
    FSDataOutputStream out;
    try {
      out = fs.create(path, permission, false, 4096, fs.getDefaultReplication(path),
          fs.getDefaultBlockSize(path), null);
      log.debug("created lock file {}", path);
    } catch (IOException e) {
      IOException cause = unwrap(e);
      if (!(cause instanceof org.apache.hadoop.fs.FileAlreadyExistsException
          || cause instanceof AlreadyBeingCreatedException)) {
        throw HdfsFailures.translate("create the lock file", path, e);
      }
      out = takeOver(fs, path, leaseTimeout);
    }
    try {
      // HSYNC is the probe for Syncable (hflush and hsync); Hadoop deprecated the HFLUSH probe for it.
      if (!out.hasCapability(StreamCapabilities.HSYNC)) {
        throw new IOException("file system " + fs.getUri() + " cannot hflush/hsync (" + path + "): an"
            + " object store such as S3A, GCS or ABFS? HdfsStorage needs hflush and hsync to make"
            + " appends durable without closing files, and leases to fence a second writer. Keep"
            + " the log on HDFS (or use LocalStorage); an object-store mode is not available yet");
      }
      String owner = "owner " + host() + " pid " + ProcessHandle.current().pid() + " client "
          + clientName(fs) + " since " + Instant.now() + "\n";
      out.write(owner.getBytes(StandardCharsets.UTF_8));
      out.hflush();
    } catch (IOException | RuntimeException e) {
      try {
        out.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new LockFile(path, out);
  }

  private static FSDataOutputStream takeOver(FileSystem fs, Path path, Duration leaseTimeout)
      throws IOException {
    if (fs instanceof DistributedFileSystem) {
      Duration took = LeaseRecovery.recover((DistributedFileSystem) fs, path, leaseTimeout);
      log.info("took over the lock {} ({} ms of lease recovery): a previous writer, if alive, is"
          + " fenced", path, took.toMillis());
    }
    try {
      return fs.append(path);
    } catch (IOException e) {
      IOException cause = unwrap(e);
      // RecoveryInProgressException is a NameNode class, not in the client: matched by name.
      if (cause instanceof AlreadyBeingCreatedException
          || (cause instanceof RemoteException
              && ((RemoteException) cause).getClassName().endsWith(".RecoveryInProgressException"))) {
        throw new StorageLockedException("another writer took the lock " + path + " while this one"
            + " was taking it; two writers are opening the log at once: close one of them", e);
      }
      throw HdfsFailures.translate("append to the lock file", path, e);
    }
  }

  /**
   * Proves this writer still holds the lock, before (and after) changing the log's files.
   *
   * @throws WriterFencedException if another writer took it over; every later call fails too
   */
  synchronized void prove(String before) throws IOException {
    if (fenced) {
      throw fencedException(before, null);
    }
    try {
      out.write(PROOF);
      out.hflush();
    } catch (IOException e) {
      fenced = true;
      throw fencedException(before, e);
    }
  }

  private WriterFencedException fencedException(String before, IOException cause) {
    return new WriterFencedException("this writer lost the lock " + path + " of the log, so it does"
        + " not " + before + ": another writer opened the log and recovered the lock's lease (fencing"
        + " this one). Close this log: the other writer owns it now", cause);
  }

  /** Releases the lock: closes the file, ending its lease. */
  synchronized void release() throws IOException {
    try {
      out.close();
    } catch (IOException e) {
      if (!fenced) {
        // Most often the lease was recovered by another writer, which fenced this one's segment first.
        throw new WriterFencedException("closing the lock " + path + " failed (" + e + "): another"
            + " writer has probably taken the log over, fencing this one", e);
      }
      log.debug("closing the lock {} of a fenced writer failed, as expected", path, e);
    }
  }

  static String clientName(FileSystem fs) {
    return fs instanceof DistributedFileSystem ? ((DistributedFileSystem) fs).getClient().getClientName()
        : "local@" + Integer.toHexString(System.identityHashCode(fs));
  }

  private static IOException unwrap(IOException e) {
    return e instanceof RemoteException ? ((RemoteException) e).unwrapRemoteException(
        AlreadyBeingCreatedException.class, org.apache.hadoop.fs.FileAlreadyExistsException.class) : e;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
