/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Where the bytes of one log live: a flat namespace of files (a directory on disk, a path in HDFS, a
 * map in memory).
 *
 * <p>The log is the only user of a storage instance and drives it from few threads: the writer
 * thread appends, readers read, recovery and {@code truncateBefore} create, rename and delete.
 * Implementations must be safe for that concurrent use.
 *
 * <h2>Durability contract</h2>
 * <ul>
 *   <li>Bytes written through a {@link SegmentOutput} survive a process crash after
 *       {@link SegmentOutput#flush()} and a power loss after {@link SegmentOutput#sync()}.</li>
 *   <li>Creating, renaming and deleting a file changes only the directory as the process sees it;
 *       the change survives a power loss once {@link #syncDirectory()} returns. A storage whose
 *       namespace operations are durable by themselves (HDFS) implements it as a no-op.</li>
 *   <li>{@link #truncate(String, long)} is durable when it returns.</li>
 * </ul>
 *
 * <p>Every method throws {@link IOException} for a failure of the medium. After a failed
 * {@code sync} the log never retries on the same file: the kernel may have dropped the dirty pages.
 */
public interface Storage extends Closeable {

  /**
   * {@return a human-readable location for messages, such as {@code /var/lib/app/wal} or
   * {@code memory}}
   */
  String describe();

  /**
   * Takes the exclusive right to write this log, held until {@link #close()}.
   *
   * @throws StorageLockedException if another writer, in this or another process, holds it
   */
  void lockForWriting() throws IOException;

  /**
   * Checks that this storage still holds the write lock taken by {@link #lockForWriting()}, and
   * re-takes it if it can (a lock file deleted by a temp cleaner). The log calls it at every roll
   * and at least every 100 ms while it writes. The default does nothing: for storages whose lock
   * cannot be lost unnoticed.
   *
   * @throws StorageLockedException if the lock was lost and another writer may hold it; the log then
   *     stops writing
   */
  default void checkLock() throws IOException {}

  /**
   * Names of all files, in no particular order. Never includes the lock file.
   *
   * @return the names of the files
   * @throws IOException if the storage fails
   */
  List<String> list() throws IOException;

  /**
   * Whether a file of this name exists.
   *
   * @param name the file's name
   * @return true if the file exists
   * @throws IOException if the storage fails
   */
  boolean exists(String name) throws IOException;

  /**
   * Size in bytes of an existing file.
   *
   * @param name the file's name
   * @return the file's size in bytes
   * @throws IOException if the file does not exist or the storage fails
   */
  long size(String name) throws IOException;

  /**
   * Creates a new, empty file for writing at position 0.
   *
   * @param name the new file's name
   * @param preallocateBytes if positive, the storage may reserve this many zero bytes for the file
   *     up front (and make them durable), so that later syncs need not update file metadata; the
   *     file then reads as zeros beyond what was written. Storages that cannot preallocate ignore it.
   * @return an output at position 0
   * @throws java.nio.file.FileAlreadyExistsException if the file exists
   */
  SegmentOutput create(String name, long preallocateBytes) throws IOException;

  /**
   * Opens an existing file for writing at {@code position}, which must not exceed its size. Used by
   * recovery to seal a segment left open by a crash.
   *
   * @param name the file's name
   * @param position the offset of the next write; bytes after it are overwritten
   * @return an output at {@code position}
   * @throws UnsupportedOperationException if this storage cannot write into an existing file (object
   *     stores); the log then leaves the segment unsealed
   * @throws IOException if the file does not exist or the storage fails
   */
  SegmentOutput openForWrite(String name, long position) throws IOException;

  /**
   * Opens an existing file for positional reads.
   *
   * @param name the file's name
   * @return an input on the file; close it when done
   * @throws IOException if the file does not exist or the storage fails
   */
  SegmentInput openForRead(String name) throws IOException;

  /**
   * Cuts a file to {@code size} bytes and makes the cut durable before returning.
   *
   * @param name the file's name
   * @param size the new size in bytes, at most the current size
   * @throws IOException if the file does not exist or the storage fails
   */
  void truncate(String name, long size) throws IOException;

  /**
   * Renames a file; fails if {@code to} exists. Durable after {@link #syncDirectory()}.
   *
   * @param from the file's current name
   * @param to the file's new name
   * @throws IOException if {@code from} does not exist, {@code to} does, or the storage fails
   */
  void rename(String from, String to) throws IOException;

  /**
   * Deletes a file; readers that hold it open may keep reading. Durable after {@link
   * #syncDirectory()}.
   *
   * @param name the file's name
   * @throws IOException if the file does not exist or the storage fails
   */
  void delete(String name) throws IOException;

  /**
   * Makes every create, rename and delete so far survive a power loss.
   *
   * @throws IOException if the sync fails: the changes may not survive a power loss
   */
  void syncDirectory() throws IOException;

  /** Releases the write lock and every resource. Open outputs and inputs must be closed first. */
  @Override
  void close() throws IOException;
}
