/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import io.zerowal.core.storage.StorageLockedException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Storage} in one HDFS directory (any Hadoop {@link FileSystem} that can {@code hflush}).
 *
 * <h2>Durability</h2>
 * {@link SegmentOutput#flush()} is {@code hflush}: the bytes are on every datanode of the write
 * pipeline and survive the crash of this process or machine ({@code Durability.FLUSH}).
 * {@link SegmentOutput#sync()} is {@code hsync}: every datanode fsynced them, so they survive a
 * power loss of the whole cluster ({@code Durability.SYNC}). The NameNode's length of a file being
 * written lags (it is updated as blocks complete); this storage's readers and {@link #size} ask the
 * datanodes for the visible length instead, so {@code hsync} does not update it unless
 * {@link Builder#updateLengthOnSync} asks for it. Namespace changes are durable on the NameNode
 * when they return, so {@link #syncDirectory()} does nothing. Preallocation is ignored. Cutting a file ({@link #truncate}, {@link #openForWrite} below the end) copies a short
 * prefix to a new file and renames it over the old one, and cuts a long file with HDFS
 * {@code truncate}, waiting for block recovery (about one datanode heartbeat) if the cut is inside
 * a block.
 *
 * <h2>The write lock, and what it guarantees</h2>
 * {@link #lockForWriting()} holds the lock file {@value #LOCK_FILE} open for append; its HDFS lease
 * is the lock. HDFS cannot tell a dead holder from a paused one (a GC pause, a partition) before the
 * lease's 60 s soft limit, so the <b>newest opener wins</b>: it recovers the lock's lease at once,
 * then recovers the lease of every file of the log still open for write (the previous writer's
 * segment), waiting at most {@link Builder#leaseRecoveryTimeout} for each. Then:
 * <ul>
 *   <li>Every record the previous writer had acknowledged is in the files the new owner reads: lease
 *       recovery keeps at least every {@code hflush}ed byte. A record written but not acknowledged
 *       may be there too; recovery treats it as a record, which is not corruption.</li>
 *   <li>The previous writer, if alive, is <b>fenced</b>: its next {@code hflush}/{@code hsync} of the
 *       segment fails (its log is poisoned: nothing more is acknowledged), and it proves it still
 *       holds the lock before and after every create, rename, delete and cut, failing with
 *       {@link WriterFencedException} otherwise. A writer paused between a successful proof and the
 *       namespace change it guards (milliseconds) can still complete that one change after the take
 *       over; a file it creates then is empty, and is either seen and fenced by the new owner or
 *       makes the new owner's create of that name fail (reopen to recover).</li>
 *   <li>Within one HDFS client ({@code FileSystem} instance) a second lock on the same directory
 *       fails with {@link StorageLockedException}. Two clients (two processes or machines, or
 *       {@code FileSystem.newInstance} twice in one JVM) are two writers: the second fences the
 *       first. If two open at the same moment, one fails with {@link StorageLockedException}.</li>
 * </ul>
 * Leases need HDFS ({@link DistributedFileSystem}); on another file system the lock is only
 * exclusive within one client.
 *
 * <h2>Small clusters</h2>
 * With the default replace-datanode-on-failure policy, a 3-datanode cluster with replication 3
 * fails every write once one datanode dies ("Failed to replace a bad datanode"). {@link #open}
 * therefore sets {@value #BEST_EFFORT} to true unless the configuration sets it: the pipeline then
 * continues on the remaining datanodes. Set it yourself on a {@code FileSystem} you pass in.
 *
 * <p>Thread-safe. Files are created {@code 0600}, a missing directory with its parents
 * {@code 0700} (configurable).
 */
public final class HdfsStorage implements Storage {
  /** Name of the lock file in the log directory. */
  public static final String LOCK_FILE = "zerowal.lock";

  /** The Hadoop setting that keeps a small cluster's pipeline writing when a datanode dies. */
  public static final String BEST_EFFORT = "dfs.client.block.write.replace-datanode-on-failure.best-effort";

  /**
   * Files cut to at most this many bytes are cut by copying the prefix and renaming the copy over
   * them, which needs no block recovery; longer ones by {@code truncate}.
   */
  static final long COPY_CUT_LIMIT = 1 << 20;

  /** Suffix of the copy being made by a cut; hidden from {@link #list()}, removed at lock. */
  static final String CUT_SUFFIX = ".cutting";

  private static final Logger log = LoggerFactory.getLogger(HdfsStorage.class);

  /** Locks held in this JVM, by lock file and HDFS client. */
  private static final Set<List<String>> LOCKED_BY_CLIENT = ConcurrentHashMap.newKeySet();

  private final FileSystem fs;
  private final boolean ownsFileSystem;
  private final Path dir;
  private final FsPermission filePermission;
  private final Duration leaseRecoveryTimeout;
  private final boolean updateLengthOnSync;
  private LockFile lock; // guarded by this
  private List<String> lockKey; // guarded by this

  /**
   * A storage in {@code dir} of {@code fs}, with the default options; {@code fs} stays the caller's
   * (not closed by {@link #close()}).
   *
   * @param fs the file system, which stays the caller's to close
   * @param dir the log's directory on {@code fs}
   * @throws IllegalArgumentException if {@code dir} exists and is not a directory
   * @throws java.nio.file.AccessDeniedException if the directory cannot be created
   */
  public HdfsStorage(FileSystem fs, Path dir) throws IOException {
    this(builder(fs, dir));
  }

  private HdfsStorage(Builder b) throws IOException {
    this.fs = b.fs;
    this.ownsFileSystem = b.ownsFileSystem;
    this.dir = fs.makeQualified(b.dir);
    this.filePermission = b.filePermission;
    this.leaseRecoveryTimeout = b.leaseRecoveryTimeout;
    this.updateLengthOnSync = b.updateLengthOnSync;
    try {
      FileStatus status = fs.getFileStatus(dir);
      if (!status.isDirectory()) {
        throw new IllegalArgumentException("log directory " + dir + " exists but is not a"
            + " directory: pass a directory path");
      }
    } catch (java.io.FileNotFoundException missing) {
      try {
        // mkdirs then setPermission, so that the umask does not widen or narrow the permission.
        FileSystem.mkdirs(fs, dir, b.directoryPermission);
      } catch (IOException e) {
        throw HdfsFailures.translate("create the log directory", dir, e);
      }
    } catch (IOException e) {
      throw HdfsFailures.translate("open the log directory", dir, e);
    }
  }

  /**
   * A storage at {@code uri} (such as {@code hdfs://namenode:8020/apps/wal/orders}) on a new
   * {@code FileSystem} made from {@code conf}, owned by the storage and closed by {@link #close()}.
   * Sets {@value #BEST_EFFORT} to true unless {@code conf} sets it (see "Small clusters").
   *
   * @param conf the Hadoop configuration the file system is made from
   * @param uri the log's directory, with the file system's scheme and authority
   * @return the storage, owning its file system
   * @throws IOException if the file system cannot be reached or the directory cannot be created
   */
  public static HdfsStorage open(Configuration conf, URI uri) throws IOException {
    return forUri(conf, uri).build();
  }

  /**
   * Options for a storage at {@code uri}; see {@link #open(Configuration, URI)}.
   *
   * @param conf the Hadoop configuration the file system is made from
   * @param uri the log's directory, with the file system's scheme and authority
   * @return a builder whose storage owns its file system
   * @throws IOException if the file system cannot be made from {@code conf}
   */
  public static Builder forUri(Configuration conf, URI uri) throws IOException {
    Objects.requireNonNull(conf, "conf must not be null: pass new Configuration()");
    Objects.requireNonNull(uri, "uri must not be null: pass the log directory, such as"
        + " hdfs://namenode:8020/apps/wal/orders");
    Configuration c = new Configuration(conf);
    String[] sources = c.getPropertySources(BEST_EFFORT);
    if (sources == null || (sources.length == 1 && sources[0].endsWith("-default.xml"))) {
      c.setBoolean(BEST_EFFORT, true);
    }
    Builder b = new Builder(FileSystem.newInstance(uri, c), new Path(uri));
    b.ownsFileSystem = true;
    return b;
  }

  /**
   * Options for a storage in {@code dir} of {@code fs}, which stays the caller's.
   *
   * @param fs the file system, which stays the caller's to close
   * @param dir the log's directory on {@code fs}
   * @return a builder with the default options
   */
  public static Builder builder(FileSystem fs, Path dir) {
    return new Builder(fs, dir);
  }

  /** The qualified directory, such as {@code hdfs://namenode:8020/apps/wal/orders}. */
  @Override
  public String describe() {
    return dir.toString();
  }

  /**
   * Takes the log's write lock, fencing a previous holder, then recovers the lease of every file of
   * the log still open for write, so that recovery reads what the previous writer left (one NameNode
   * call per file to find them). See the class documentation for what it guarantees.
   *
   * @throws StorageLockedException if this HDFS client already holds it, or another writer took it
   *     while this one was taking it
   * @throws java.io.IOException naming the file, if a lease recovery does not finish within the
   *     {@link Builder#leaseRecoveryTimeout}
   */
  @Override
  public synchronized void lockForWriting() throws IOException {
    Path lockPath = new Path(dir, LOCK_FILE);
    List<String> key = List.of(lockPath.toString(), LockFile.clientName(fs));
    if (lock != null || !LOCKED_BY_CLIENT.add(key)) {
      throw new StorageLockedException("log directory " + dir + " is already open for writing by"
          + " another WriteAheadLog on the same HDFS client; close it first");
    }
    try {
      lock = LockFile.take(fs, lockPath, filePermission, leaseRecoveryTimeout);
      lockKey = key;
      recoverOpenFiles();
    } catch (IOException | RuntimeException e) {
      LOCKED_BY_CLIENT.remove(key);
      if (lock != null) {
        try {
          lock.release();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        lock = null;
        lockKey = null;
      }
      throw e;
    }
    log.debug("locked {} for writing", lockPath);
  }

  /**
   * Closes every file a previous writer left open, so that it cannot write into them any more, and
   * removes the copies of cuts that a crash interrupted (the file they were cut from is intact).
   */
  private void recoverOpenFiles() throws IOException {
    DistributedFileSystem dfs = fs instanceof DistributedFileSystem ? (DistributedFileSystem) fs : null;
    for (FileStatus s : listStatus()) {
      Path path = s.getPath();
      try {
        if (path.getName().endsWith(CUT_SUFFIX)) {
          fs.delete(path, false);
          log.info("removed {}, the copy of an interrupted cut", path);
        } else if (dfs != null && !path.getName().equals(LOCK_FILE) && !dfs.isFileClosed(path)) {
          Duration took = LeaseRecovery.recover(dfs, path, leaseRecoveryTimeout);
          log.info("recovered the lease of {}, left open by a previous writer ({} ms)", path,
              took.toMillis());
        }
      } catch (java.io.FileNotFoundException gone) {
        // deleted meanwhile by the fenced writer's last namespace change: nothing to recover
      } catch (IOException e) {
        throw HdfsFailures.translate("recover the lease of", path, e);
      }
    }
  }

  private FileStatus[] listStatus() throws IOException {
    try {
      return fs.listStatus(dir);
    } catch (IOException e) {
      throw HdfsFailures.translate("list", dir, e);
    }
  }

  @Override
  public List<String> list() throws IOException {
    FileStatus[] entries = listStatus();
    List<String> names = new ArrayList<>(entries.length);
    for (FileStatus s : entries) {
      String name = s.getPath().getName();
      if (s.isFile() && !name.equals(LOCK_FILE) && !name.endsWith(CUT_SUFFIX)) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public boolean exists(String name) throws IOException {
    Path path = file(name);
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw HdfsFailures.translate("look up", path, e);
    }
  }

  /** {@inheritDoc} For a file still open for write: the length readers see (what was hflushed). */
  @Override
  public long size(String name) throws IOException {
    Path path = file(name);
    try {
      return HdfsSegmentInput.visibleLength(fs, path);
    } catch (IOException e) {
      throw HdfsFailures.translate("get the size of", path, e);
    }
  }

  /** {@inheritDoc} Preallocation is ignored. */
  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    if (preallocateBytes < 0) {
      throw new IllegalArgumentException("preallocateBytes must not be negative: " + preallocateBytes);
    }
    Path path = file(name);
    prove("create " + name);
    FSDataOutputStream out;
    try {
      out = fs.create(path, filePermission, false, bufferSize(), fs.getDefaultReplication(path),
          fs.getDefaultBlockSize(path), null);
    } catch (IOException e) {
      throw HdfsFailures.translate("create", path, e);
    }
    return opened(out, path, 0, "write into the new file " + name);
  }

  /**
   * {@inheritDoc} HDFS only appends: below the end, the file is first cut as by {@link #truncate},
   * then appended to.
   */
  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    Path path = file(name);
    long size = size(name);
    if (position < 0 || position > size) {
      throw new IllegalArgumentException(
          "cannot write " + path + " at position " + position + ": the file has " + size + " bytes");
    }
    if (position < size) {
      truncate(name, position);
    } else {
      prove("append to " + name);
    }
    FSDataOutputStream out;
    try {
      out = fs.append(path);
    } catch (IOException e) {
      throw HdfsFailures.translate("append to", path, e);
    }
    return opened(out, path, position, "write into " + name);
  }

  private SegmentOutput opened(FSDataOutputStream out, Path path, long position, String before)
      throws IOException {
    try {
      prove(before); // the file is seen by any writer that took the lock since: see LockFile
    } catch (IOException e) {
      try {
        out.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new HdfsSegmentOutput(out, path, position, updateLengthOnSync);
  }

  /** {@inheritDoc} Reads past the known end of a file still being written see what was hflushed since. */
  @Override
  public SegmentInput openForRead(String name) throws IOException {
    Path path = file(name);
    try {
      return new HdfsSegmentInput(fs, path);
    } catch (IOException e) {
      throw HdfsFailures.translate("open for reading", path, e);
    }
  }

  /**
   * {@inheritDoc} Crash-safe either way it is done. A cut to at most {@value #COPY_CUT_LIMIT} bytes
   * copies the prefix to a new file (hsynced, closed) and renames it over the old one, atomically on
   * the NameNode: a crash before the rename leaves the file intact and a copy that the next lock
   * removes. A longer cut is HDFS {@code truncate}, which the NameNode records at once; when it cuts
   * inside a block it returns once block recovery finished (about one datanode heartbeat, within the
   * {@link Builder#leaseRecoveryTimeout}), so that the file can be appended to at once.
   */
  @Override
  public void truncate(String name, long size) throws IOException {
    Path path = file(name);
    if (size < 0) {
      throw new IllegalArgumentException("cannot truncate " + path + " to negative size " + size);
    }
    long current = size(name);
    if (size >= current) {
      return; // as FileChannel.truncate: never extends
    }
    prove("truncate " + name);
    try {
      if (fs instanceof DistributedFileSystem && size <= COPY_CUT_LIMIT) {
        cutByCopy((DistributedFileSystem) fs, name, path, size);
      } else if (!fs.truncate(path, size) && fs instanceof DistributedFileSystem) {
        LeaseRecovery.awaitClosed((DistributedFileSystem) fs, path, leaseRecoveryTimeout,
            "block recovery after truncating it to " + size + " bytes", false);
      }
    } catch (IOException e) {
      throw HdfsFailures.translate("truncate to " + size + " bytes", path, e);
    }
  }

  private void cutByCopy(DistributedFileSystem dfs, String name, Path path, long size)
      throws IOException {
    byte[] prefix = new byte[(int) size];
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(0, prefix);
    }
    Path copy = new Path(dir, name + CUT_SUFFIX);
    try (FSDataOutputStream out = fs.create(copy, filePermission, true, bufferSize(),
        fs.getDefaultReplication(copy), fs.getDefaultBlockSize(copy), null)) {
      out.write(prefix);
      out.hsync();
    }
    prove("replace " + name + " by its first " + size + " bytes");
    dfs.rename(copy, path, Options.Rename.OVERWRITE);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Path source = file(from);
    Path target = file(to);
    prove("rename " + from + " to " + to);
    try {
      if (fs instanceof DistributedFileSystem) {
        // Fails atomically if the target exists.
        ((DistributedFileSystem) fs).rename(source, target, Options.Rename.NONE);
        return;
      }
      if (fs.exists(target)) {
        throw new FileAlreadyExistsException(target.toString(), source.toString(),
            "cannot rename onto an existing file");
      }
      if (!fs.rename(source, target)) {
        if (!fs.exists(source)) {
          throw new NoSuchFileException(source.toString(), target.toString(), "cannot rename");
        }
        throw new IOException("HDFS refused to rename " + source + " to " + target);
      }
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      throw HdfsFailures.translate("rename " + from + " onto it", target, e);
    } catch (IOException e) {
      throw HdfsFailures.translate("rename to " + to, source, e);
    }
  }

  /** {@inheritDoc} On HDFS a reader of a deleted file may fail once the datanodes drop its blocks. */
  @Override
  public void delete(String name) throws IOException {
    Path path = file(name);
    prove("delete " + name);
    boolean deleted;
    try {
      deleted = fs.delete(path, false);
    } catch (IOException e) {
      throw HdfsFailures.translate("delete", path, e);
    }
    if (!deleted) {
      throw new NoSuchFileException(path.toString(), null, "cannot delete: no such file");
    }
  }

  /** Does nothing: the NameNode makes every namespace change durable before it returns. */
  @Override
  public void syncDirectory() {}

  /** Releases the write lock (closes the lock file), and the file system if the storage made it. */
  @Override
  public synchronized void close() throws IOException {
    try {
      if (lock != null) {
        lock.release();
      }
    } finally {
      if (lockKey != null) {
        LOCKED_BY_CLIENT.remove(lockKey);
      }
      lock = null;
      lockKey = null;
      if (ownsFileSystem) {
        fs.close();
      }
    }
  }

  private void prove(String before) throws IOException {
    LockFile held;
    synchronized (this) {
      held = lock;
    }
    if (held != null) {
      held.prove(before);
    }
  }

  private int bufferSize() {
    return fs.getConf().getInt("io.file.buffer.size", 4096);
  }

  private Path file(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
        || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
        || name.indexOf(':') >= 0) {
      throw new IllegalArgumentException("invalid file name '" + name + "': a log's files are named"
          + " directly inside its directory, without path separators");
    }
    if (name.equals(LOCK_FILE)) {
      throw new IllegalArgumentException("'" + LOCK_FILE + "' is reserved for the write lock");
    }
    if (name.endsWith(CUT_SUFFIX)) {
      throw new IllegalArgumentException("names ending in '" + CUT_SUFFIX + "' are reserved for"
          + " the copies HdfsStorage makes while cutting a file: " + name);
    }
    return new Path(dir, name);
  }

  /** Options of an {@link HdfsStorage}. */
  public static final class Builder {
    private final FileSystem fs;
    private final Path dir;
    private boolean ownsFileSystem;
    private FsPermission directoryPermission = new FsPermission((short) 0700);
    private FsPermission filePermission = new FsPermission((short) 0600);
    private Duration leaseRecoveryTimeout = Duration.ofSeconds(60);
    private boolean updateLengthOnSync;

    private Builder(FileSystem fs, Path dir) {
      this.fs = Objects.requireNonNull(fs, "fs must not be null: pass FileSystem.get(uri, conf)");
      this.dir = Objects.requireNonNull(dir, "dir: the log directory must not be null");
    }

    /**
     * Permission of the log directory if the storage creates it (and its parents); default 0700.
     *
     * @param permission the directory permission
     * @return this builder
     */
    public Builder directoryPermission(FsPermission permission) {
      this.directoryPermission = Objects.requireNonNull(permission, "permission");
      return this;
    }

    /**
     * Permission of the files the storage creates, less the umask; default 0600.
     *
     * @param permission the file permission
     * @return this builder
     */
    public Builder filePermission(FsPermission permission) {
      this.filePermission = Objects.requireNonNull(permission, "permission");
      return this;
    }

    /**
     * How long to wait, per file, for lease recovery of a file a previous writer left open, and for
     * block recovery after a cut inside a block; default 60 s. It usually takes one to two datanode
     * heartbeats (3 s each by default); longer if datanodes of the last block are down.
     *
     * @param timeout the longest wait per file, positive
     * @return this builder
     */
    public Builder leaseRecoveryTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("leaseRecoveryTimeout must be positive: " + timeout);
      }
      this.leaseRecoveryTimeout = timeout;
      return this;
    }

    /**
     * Whether {@code sync} also updates the file's length on the NameNode ({@code hsync} with
     * {@code SyncFlag.UPDATE_LENGTH}), for tools that read the length from the NameNode
     * ({@code FileStatus.getLen}) while the file is being written; default false. It costs one
     * NameNode call per group, which persists the length with an edit-log sync: load on the
     * cluster's one NameNode that grows with every writer, for a length the log's own readers
     * never use. (On the one-machine test cluster its cost did not show in throughput: see
     * docs/BENCHMARKS-HDFS.md.)
     *
     * @param update whether each sync also updates the file's length on the NameNode
     * @return this builder
     */
    public Builder updateLengthOnSync(boolean update) {
      this.updateLengthOnSync = update;
      return this;
    }

    /**
     * The storage; creates the directory if missing.
     *
     * @return the storage, with its directory created
     * @throws IOException if the directory cannot be created or used
     */
    public HdfsStorage build() throws IOException {
      try {
        return new HdfsStorage(this);
      } catch (IOException | RuntimeException e) {
        if (ownsFileSystem) {
          fs.close();
        }
        throw e;
      }
    }
  }
}
