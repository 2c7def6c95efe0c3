/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Storage} over one local directory, through {@link FileChannel}.
 *
 * <p>Durability: {@link SegmentOutput#sync()} is {@code force(false)} (fdatasync);
 * {@link SegmentOutput#flush()} does nothing, since channel writes are already in the operating
 * system; {@link #syncDirectory()} fsyncs the directory; {@link #truncate} forces the file.
 * Preallocation writes real zeros and forces them, so that later fdatasyncs need not update the
 * file's size. Files are created {@code 0600} and a missing directory {@code 0700} on POSIX file
 * systems. The write lock is an OS file lock on {@value #LOCK_FILE}, which {@link #list()} hides.
 *
 * <p>Thread-safe. A reader keeps an open channel, so it can read a file deleted after it was
 * opened. {@link #close()} releases the lock; the instance may lock again afterwards.
 */
public final class LocalStorage implements Storage {
  /** Name of the lock file in the log directory. */
  public static final String LOCK_FILE = "zerowal.lock";

  /**
   * A storage per name, each in its own directory {@code root/<name>} (created on first use): the
   * shape of {@code MicroBatchEngine.Builder.dataStorage}, as in
   * {@code .dataStorage(LocalStorage.under(dir)).metadataStorage(LocalStorage.under(dir).apply("meta"))}.
   * Unlike {@code new LocalStorage(...)} it throws no checked exception, so it fits a lambda.
   * Thread-safe; every call returns a new instance.
   *
   * @param root the directory under which each name gets a directory of its own
   * @return a function from a log's name to a new storage in {@code root/name}
   * @throws IllegalArgumentException (from the function) if a name is not exactly one directory
   *     name under {@code root} (empty, {@code ..}, a path with separators, absolute)
   * @throws UncheckedIOException (from the function) if the directory cannot be created or used
   */
  public static Function<String, Storage> under(Path root) {
    Path base = Objects.requireNonNull(root, "root must not be null").toAbsolutePath().normalize();
    return name -> {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("a storage name under " + base
            + " must not be null or empty");
      }
      Path dir = base.resolve(name).normalize();
      if (!base.equals(dir.getParent()) || !dir.getFileName().toString().equals(name)) {
        throw new IllegalArgumentException("storage name \"" + name + "\" must be one directory"
            + " name under " + base + " (no separators, no \"..\", not absolute)");
      }
      try {
        return new LocalStorage(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open storage " + dir + ": " + e.getMessage(), e);
      }
    };
  }

  private static final Logger LOG = LoggerFactory.getLogger(LocalStorage.class);

  /** Lock files held by any LocalStorage of this JVM, by real path. */
  private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final boolean posix;
  private FileChannel lockChannel; // guarded by this
  private FileLock lock; // guarded by this
  private Path lockKey; // guarded by this
  private Object lockFileKey; // guarded by this: the locked file's identity (inode), or null

  /**
   * A storage in {@code dir}, which is created (with its parents, {@code 0700}) if missing.
   *
   * @param dir the directory holding the log's files
   * @throws NullPointerException if {@code dir} is null
   * @throws IllegalArgumentException if {@code dir} exists and is not a directory
   * @throws IOException if the directory cannot be created
   */
  public LocalStorage(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir: the log directory must not be null");
    this.dir = dir.toAbsolutePath().normalize();
    if (Files.exists(this.dir) && !Files.isDirectory(this.dir)) {
      throw new IllegalArgumentException(
          "log directory " + this.dir + " exists but is not a directory: pass a directory path");
    }
    this.posix = this.dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(this.dir)) {
      if (posix) {
        Files.createDirectories(this.dir, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(this.dir);
      }
    }
  }

  /** The absolute directory path. */
  @Override
  public String describe() {
    return dir.toString();
  }

  /**
   * Locks {@value #LOCK_FILE} in the directory until {@link #close()}.
   *
   * @throws StorageLockedException if another process, or another storage or log in this JVM, holds it
   */
  @Override
  public synchronized void lockForWriting() throws IOException {
    Path path = dir.resolve(LOCK_FILE);
    Path key = dir.toRealPath().resolve(LOCK_FILE);
    // Checked before any channel is opened: on Linux, closing ANY channel of the lock file drops the
    // process's POSIX lock on it, so a failed second attempt must never touch the file.
    if (!LOCKED_IN_THIS_JVM.add(key)) {
      throw locked();
    }
    FileChannel channel = null;
    FileLock taken = null;
    try {
      channel = FileChannel.open(path, Set.of(CREATE, WRITE), fileAttributes());
      taken = channel.tryLock();
    } catch (OverlappingFileLockException e) { // locked in this JVM by code other than LocalStorage
      throw new StorageLockedException(locked().getMessage(), e);
    } catch (IOException e) {
      throw LocalFiles.failure("lock", path, e);
    } finally {
      if (taken == null) {
        LOCKED_IN_THIS_JVM.remove(key);
        if (channel != null) {
          channel.close();
        }
      }
    }
    if (taken == null) {
      throw locked(); // another process holds it
    }
    lockChannel = channel;
    lock = taken;
    lockKey = key;
    lockFileKey = fileKey(path);
    LOG.debug("locked {} for writing", path);
  }

  /**
   * {@inheritDoc} An OS file lock holds an inode, not a name: if {@value #LOCK_FILE} is deleted
   * (by a temp cleaner such as systemd-tmpfiles) another process could create and lock a new one
   * and open the log too. This compares the file at the lock's path with the locked one. If the name
   * is gone, or names a file nobody locks, the lock is taken again on it (logged as a warning), so a
   * deleted lock file is repaired within the writer's check interval; if another process holds the
   * file now at that path, it throws and the log stops writing. On platforms without file keys
   * (where an open file cannot be deleted) it does nothing.
   */
  @Override
  public synchronized void checkLock() throws IOException {
    if (lockChannel == null || lockFileKey == null) {
      return;
    }
    Path path = dir.resolve(LOCK_FILE);
    Object now = fileKey(path);
    if (lockFileKey.equals(now)) {
      return;
    }
    FileChannel channel = null;
    FileLock taken = null;
    try {
      channel = FileChannel.open(path, Set.of(CREATE, WRITE), fileAttributes());
      taken = channel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      throw new StorageLockedException("lost the write lock of log directory " + dir + ": "
          + LOCK_FILE + " was deleted or replaced and cannot be locked again (" + e + ")", e);
    } finally {
      if (taken == null && channel != null) {
        channel.close(); // the file is another process's lock: closing drops nothing of ours
      }
    }
    if (taken == null) {
      throw new StorageLockedException("lost the write lock of log directory " + dir + ": "
          + LOCK_FILE + " was deleted or replaced, and another process now holds the new one;"
          + " this log stops writing. Keep temp cleaners away from the log directory");
    }
    FileChannel old = lockChannel;
    lockChannel = channel;
    lock = taken;
    lockFileKey = fileKey(path);
    try {
      old.close(); // releases the lock on the deleted file
    } catch (IOException e) {
      LOG.debug("closing the channel of the replaced lock file", e);
    }
    LOG.warn("{} in log directory {} was deleted or replaced while the log was open; locked it"
        + " again. Keep temp cleaners away from the log directory", LOCK_FILE, dir);
  }

  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * {@inheritDoc} Every entry of the directory but the lock file, directories and dangling links
   * included: a segment replaced by something that is not a file must make recovery fail naming it,
   * not make its records disappear.
   */
  @Override
  public List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.map(p -> p.getFileName().toString())
          .filter(name -> !name.equals(LOCK_FILE))
          .forEach(names::add);
    }
    return names;
  }

  @Override
  public boolean exists(String name) {
    return Files.exists(file(name));
  }

  @Override
  public long size(String name) throws IOException {
    return LocalFiles.checkRegularFile(file(name)).size();
  }

  /** {@inheritDoc} On a preallocation failure (a full disk) the partial file is deleted. */
  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    if (preallocateBytes < 0) {
      throw new IllegalArgumentException("preallocateBytes must not be negative: " + preallocateBytes);
    }
    Path path = file(name);
    FileChannel channel = FileChannel.open(path, Set.of(CREATE_NEW, WRITE),
        fileAttributes());
    try {
      if (preallocateBytes > 0) {
        LocalFiles.writeZeros(channel, path, preallocateBytes);
      }
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
        Files.deleteIfExists(path);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return new LocalSegmentOutput(channel, path, 0);
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    Path path = file(name);
    LocalFiles.checkRegularFile(path);
    FileChannel channel = FileChannel.open(path, WRITE);
    try {
      long size = channel.size();
      if (position < 0 || position > size) {
        throw new IllegalArgumentException(
            "cannot write " + path + " at position " + position + ": the file has " + size + " bytes");
      }
      return new LocalSegmentOutput(channel, path, position);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    Path path = file(name);
    LocalFiles.checkRegularFile(path);
    return new LocalSegmentInput(FileChannel.open(path, READ), path);
  }

  /** {@inheritDoc} Forces the file's data and metadata ({@code force(true)}). */
  @Override
  public void truncate(String name, long size) throws IOException {
    Path path = file(name);
    if (size < 0) {
      throw new IllegalArgumentException("cannot truncate " + path + " to negative size " + size);
    }
    try (FileChannel channel = FileChannel.open(path, WRITE)) {
      channel.truncate(size);
      channel.force(true);
    } catch (IOException e) {
      throw LocalFiles.failure("truncate", path, e);
    }
  }

  /**
   * {@inheritDoc} An atomic rename. The check that {@code to} is absent and the rename are two
   * steps; that is safe because only the lock holder renames.
   */
  @Override
  public void rename(String from, String to) throws IOException {
    Path source = file(from);
    Path target = file(to);
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), source.toString(),
          "cannot rename onto an existing file");
    }
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void delete(String name) throws IOException {
    Files.delete(file(name));
  }

  /**
   * {@inheritDoc} Fsyncs the directory. Where the platform cannot open a directory (Windows), that
   * one failure is ignored: there the namespace needs no separate sync.
   */
  @Override
  public void syncDirectory() throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, READ);
    } catch (IOException e) {
      LOG.debug("cannot open directory {} to sync it; this platform syncs names with the files", dir, e);
      return;
    }
    try (channel) {
      channel.force(true);
    } catch (IOException e) {
      throw LocalFiles.failure("sync directory", dir, e);
    }
  }

  /** Releases the write lock, if held. Files stay; the instance may lock again. */
  @Override
  public synchronized void close() throws IOException {
    if (lockChannel != null) {
      try {
        lock.release();
        lockChannel.close();
      } finally {
        LOCKED_IN_THIS_JVM.remove(lockKey);
        lockChannel = null;
        lock = null;
        lockKey = null;
        lockFileKey = null;
      }
    }
  }

  private Path file(String name) {
    FileNames.check(name);
    if (name.equals(LOCK_FILE)) {
      throw new IllegalArgumentException("'" + LOCK_FILE + "' is reserved for the write lock");
    }
    return dir.resolve(name);
  }

  private FileAttribute<?>[] fileAttributes() {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  private StorageLockedException locked() {
    return new StorageLockedException("log directory " + dir + " is already open for writing by"
        + " another process or another WriteAheadLog in this JVM; close it first");
  }
}
