/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A {@link Storage} in memory that models a machine's page cache and disk, so that tests can
 * simulate a power loss at any instant with {@link #crash(long)}.
 *
 * <h2>Durability model</h2>
 * Each file has its current bytes (what the process sees) and its durable bytes (what survives a
 * power loss):
 * <ul>
 *   <li>A write is visible at once and durable only after {@link SegmentOutput#sync()}, which makes
 *       the file's current content and length durable.</li>
 *   <li>{@link SegmentOutput#flush()} changes nothing: it protects against a process crash, which
 *       this storage cannot model, since the JVM's memory, and this storage with it, dies too.</li>
 *   <li>{@link SegmentOutput#truncateToPosition()} is durable after the next sync;
 *       {@link #truncate(String, long)} is durable at once and, like {@link LocalStorage}'s
 *       {@code force(true)}, also makes the file's remaining content durable.</li>
 *   <li>{@link #create}, {@link #rename} and {@link #delete} change the namespace at once; only
 *       {@link #syncDirectory()} makes it durable. A file keeps its data across renames.</li>
 *   <li>{@code create(name, n)} with {@code n > 0} gives a file of {@code n} zero bytes whose zeros
 *       and length are durable at once; writes overwrite them from position 0. They cost no
 *       memory until written.</li>
 * </ul>
 *
 * <h2>Crash and fault injection</h2>
 * {@link #crash(long)} returns what a power loss leaves and kills this instance: every later call
 * on it, or on an output or input it handed out, throws {@link IOException} (only
 * {@link SegmentOutput#position()} and {@link #describe()}, which cannot, still answer; test
 * controls such as {@link #failNextWrite()} throw {@link IllegalStateException}).
 * {@link #failNextWrite()}, {@link #failNextSync()} and {@link #setCapacity(long)} make the medium
 * fail like a broken or full disk.
 *
 * <h2>Lock and reuse</h2>
 * {@link #lockForWriting()} is exclusive per instance. {@link #close()} only releases the lock: the
 * files stay, and the same instance can be locked again, so tests can close a log and reopen it
 * on the same storage.
 *
 * <p>Thread-safe: every operation, including those of outputs and inputs, holds this instance's
 * monitor, so {@link #crash(long)} may run on any thread while the log writes. Files are limited
 * to about 2 GiB of written data.
 */
public final class MemoryStorage implements Storage {
  static final String CRASHED =
      "MemoryStorage crashed (simulated power loss): use the instance returned by crash(seed)";

  /** The namespace the process sees. */
  private final Map<String, MemoryFile> files = new HashMap<>();
  /** The namespace as of the last {@link #syncDirectory()}; shares file nodes with {@link #files}. */
  private Map<String, MemoryFile> durableFiles = new HashMap<>();
  private boolean locked;
  private boolean crashed;
  private boolean failNextWrite;
  private boolean failNextSync;
  private long capacity = Long.MAX_VALUE;

  private final String name;

  /** Creates an empty, unlocked storage of unlimited capacity. */
  public MemoryStorage() {
    this.name = null;
  }

  /**
   * Creates an empty, unlocked storage of unlimited capacity whose {@link #describe()} is
   * {@code "memory:<name>"}, so that the log lines and messages of several logs tell them apart.
   *
   * @param name a name for messages, telling this storage from others
   * @throws IllegalArgumentException if {@code name} is null or empty
   */
  public MemoryStorage(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a MemoryStorage name must not be null or empty: use"
          + " new MemoryStorage() for an unnamed one");
    }
    this.name = name;
  }

  /** Returns {@code "memory"}, or {@code "memory:<name>"} for a named storage. */
  @Override
  public String describe() {
    return name == null ? "memory" : "memory:" + name;
  }

  /**
   * Takes the write lock of this instance until {@link #close()}.
   *
   * @throws StorageLockedException if it is held, by another log on this same instance
   */
  @Override
  public synchronized void lockForWriting() throws IOException {
    checkAlive();
    if (locked) {
      throw new StorageLockedException("this MemoryStorage is already locked for writing by another"
          + " WriteAheadLog; close that log (which releases the lock) before opening another one");
    }
    locked = true;
  }

  @Override
  public synchronized List<String> list() throws IOException {
    checkAlive();
    return new ArrayList<>(files.keySet());
  }

  @Override
  public synchronized boolean exists(String name) throws IOException {
    FileNames.check(name);
    checkAlive();
    return files.containsKey(name);
  }

  @Override
  public synchronized long size(String name) throws IOException {
    return existing(name).length();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Preallocated zeros count against the capacity: if they do not fit, no file is created.
   */
  @Override
  public synchronized SegmentOutput create(String name, long preallocateBytes) throws IOException {
    FileNames.check(name);
    checkAlive();
    if (preallocateBytes < 0) {
      throw new IllegalArgumentException("preallocateBytes must not be negative: " + preallocateBytes);
    }
    if (files.containsKey(name)) {
      throw new FileAlreadyExistsException(name);
    }
    if (preallocateBytes > capacity - usedBytes()) {
      throw noSpace();
    }
    MemoryFile file = MemoryFile.preallocated(preallocateBytes);
    files.put(name, file);
    return new Output(name, file, 0);
  }

  @Override
  public synchronized SegmentOutput openForWrite(String name, long position) throws IOException {
    MemoryFile file = existing(name);
    if (position < 0 || position > file.length()) {
      throw new IllegalArgumentException("cannot write " + name + " at position " + position
          + ": the file has " + file.length() + " bytes");
    }
    return new Output(name, file, position);
  }

  @Override
  public synchronized SegmentInput openForRead(String name) throws IOException {
    return new Input(name, existing(name));
  }

  @Override
  public synchronized void truncate(String name, long size) throws IOException {
    MemoryFile file = existing(name);
    if (size < 0) {
      throw new IllegalArgumentException("cannot truncate " + name + " to negative size " + size);
    }
    file.cutVisible(size);
    file.sync();
  }

  @Override
  public synchronized void rename(String from, String to) throws IOException {
    MemoryFile file = existing(from);
    FileNames.check(to);
    if (files.containsKey(to)) {
      throw new FileAlreadyExistsException(to, from, "cannot rename " + from + " onto an existing file");
    }
    files.remove(from);
    files.put(to, file);
  }

  @Override
  public synchronized void delete(String name) throws IOException {
    existing(name);
    files.remove(name);
  }

  @Override
  public synchronized void syncDirectory() throws IOException {
    checkAlive();
    durableFiles = new HashMap<>(files);
  }

  /** Releases the write lock only: the files stay, and this instance can be locked again. */
  @Override
  public synchronized void close() throws IOException {
    checkAlive();
    locked = false;
  }

  /**
   * Simulates a power loss now and returns the storage as it comes back: the durable namespace;
   * in each file its durable bytes, with part of the bytes written since its last sync written
   * over them, chosen from {@code seed}: none of them in about a fifth of the cases, all in a
   * fifth, a prefix cut at a random byte (possibly mid-record) in two fifths, and in a fifth the
   * 4 KiB pages of the unsynced range each kept or lost on its own — a later page may survive
   * where an earlier one is lost, as disks reorder writes within an unsynced range. Where nothing
   * was kept the durable content, such as preallocated zeros, remains. The same seed on the same
   * state gives the same result.
   *
   * <p>The returned storage is unlocked, has this storage's capacity and no pending injected
   * faults. This instance is dead afterwards: every later call on it, and on every output and
   * input it handed out, throws {@link IOException}. Safe to call from any thread while others
   * write.
   *
   * @param seed chooses which unsynced writes survive, so that a crash can be replayed
   * @return a new storage holding what survived the crash
   * @throws IllegalStateException if this instance has already crashed
   */
  public synchronized MemoryStorage crash(long seed) {
    checkAliveForControl();
    crashed = true;
    return survivorOf(seed);
  }

  /** What {@link #crash(long)} returns, without killing this instance: lets tests crash twice. */
  synchronized MemoryStorage survivorOf(long seed) {
    MemoryStorage after = name == null ? new MemoryStorage() : new MemoryStorage(name);
    after.capacity = capacity;
    Random random = new Random(seed);
    for (String name : new TreeSet<>(durableFiles.keySet())) {
      MemoryFile survivor = durableFiles.get(name).survivor(random);
      after.files.put(name, survivor);
      after.durableFiles.put(name, survivor);
    }
    return after;
  }

  /** Makes the next {@link SegmentOutput#write} on any file throw {@link IOException} and write nothing. */
  public synchronized void failNextWrite() {
    checkAliveForControl();
    failNextWrite = true;
  }

  /** Makes the next {@link SegmentOutput#sync()} on any file throw {@link IOException}; nothing becomes durable. */
  public synchronized void failNextSync() {
    checkAliveForControl();
    failNextSync = true;
  }

  /**
   * Limits the total size of all files to {@code bytes}, like a disk. A write that would exceed it
   * writes the bytes that fit and then throws {@link IOException}; deleting or truncating files
   * frees space again. {@link Long#MAX_VALUE} (the default) means unlimited.
   *
   * @param bytes the capacity in bytes
   */
  public synchronized void setCapacity(long bytes) {
    checkAliveForControl();
    if (bytes < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + bytes);
    }
    capacity = bytes;
  }

  /** {@return the total current size of all files, preallocated zeros included} */
  public synchronized long usedBytes() {
    checkAliveForControl();
    long used = 0;
    for (MemoryFile file : files.values()) {
      used += file.length();
    }
    return used;
  }

  /**
   * For tests that simulate bit rot: a copy of the current bytes of a file.
   *
   * @param name the file's name
   * @return a copy of the file's current bytes
   * @throws IOException if the file does not exist or this storage has crashed
   */
  public synchronized byte[] contents(String name) throws IOException {
    return existing(name).contents();
  }

  /**
   * For tests that simulate bit rot: replaces the current and the durable content of a file, as
   * damage on the medium would. Outputs open on the file keep their positions.
   *
   * @param name the file's name
   * @param bytes the new content of the file
   * @throws IOException if the file does not exist or this storage has crashed
   */
  public synchronized void replaceContents(String name, byte[] bytes) throws IOException {
    MemoryFile file = existing(name);
    file.replace(bytes.clone());
  }

  private MemoryFile existing(String name) throws IOException {
    FileNames.check(name);
    checkAlive();
    MemoryFile file = files.get(name);
    if (file == null) {
      throw new NoSuchFileException(name);
    }
    return file;
  }

  private void checkAlive() throws IOException {
    if (crashed) {
      throw new IOException(CRASHED);
    }
  }

  private void checkAliveForControl() {
    if (crashed) {
      throw new IllegalStateException(CRASHED);
    }
  }

  private IOException noSpace() {
    return new IOException("No space left on device: MemoryStorage capacity " + capacity + " bytes");
  }

  /** Writes at a tracked position; all state is guarded by the storage's monitor. */
  private final class Output implements SegmentOutput {
    private final String name;
    private final MemoryFile file;
    private long position;
    private boolean closed;

    Output(String name, MemoryFile file, long position) {
      this.name = name;
      this.file = file;
      this.position = position;
    }

    @Override
    public long position() {
      synchronized (MemoryStorage.this) {
        return position;
      }
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      synchronized (MemoryStorage.this) {
        checkOpen();
        long count = 0;
        for (int i = offset; i < offset + length; i++) {
          count += srcs[i].remaining();
        }
        if (failNextWrite) {
          failNextWrite = false;
          throw new IOException("simulated write failure on " + name + " at position " + position);
        }
        if (position + count > MemoryBytes.MAX_WRITTEN_END) {
          throw new IOException("cannot write " + name + " past 2 GiB: MemoryStorage keeps files in arrays");
        }
        long fits = count;
        if (capacity != Long.MAX_VALUE) {
          long free = Math.max(0, capacity - usedBytes());
          fits = Math.min(count, Math.max(0, file.length() + free - position));
        }
        file.write(position, srcs, offset, length, fits);
        position += fits;
        if (fits < count) {
          throw noSpace();
        }
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (MemoryStorage.this) {
        checkOpen();
      }
    }

    @Override
    public void sync() throws IOException {
      synchronized (MemoryStorage.this) {
        checkOpen();
        if (failNextSync) {
          failNextSync = false;
          throw new IOException("simulated sync failure on " + name + ": nothing became durable");
        }
        file.sync();
      }
    }

    @Override
    public void truncateToPosition() throws IOException {
      synchronized (MemoryStorage.this) {
        checkOpen();
        file.cutVisible(position);
      }
    }

    @Override
    public void close() throws IOException {
      synchronized (MemoryStorage.this) {
        checkAlive();
        closed = true;
      }
    }

    private void checkOpen() throws IOException {
      checkAlive();
      if (closed) {
        throw new IOException("output of " + name + " is closed");
      }
    }
  }

  /** Positional reads of one file node, which stays readable after the name is deleted. */
  private final class Input implements SegmentInput {
    private final String name;
    private final MemoryFile file;
    private boolean closed;

    Input(String name, MemoryFile file) {
      this.name = name;
      this.file = file;
    }

    @Override
    public long size() throws IOException {
      synchronized (MemoryStorage.this) {
        checkOpen();
        return file.length();
      }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      synchronized (MemoryStorage.this) {
        checkOpen();
        if (position < 0) {
          throw new IllegalArgumentException("cannot read " + name + " at negative position " + position);
        }
        return file.read(position, dst);
      }
    }

    @Override
    public void close() throws IOException {
      synchronized (MemoryStorage.this) {
        checkAlive();
        closed = true;
      }
    }

    private void checkOpen() throws IOException {
      checkAlive();
      if (closed) {
        throw new IOException("input of " + name + " is closed");
      }
    }
  }
}
