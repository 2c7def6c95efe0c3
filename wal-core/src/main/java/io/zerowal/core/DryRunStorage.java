/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A storage that lets recovery run unchanged and writes nothing: the repairs a real {@code open}
 * would make are played against an overlay of the namespace and of file sizes, and written down as
 * {@link #plannedChanges()}. Reads go to the real files (cut to an overlaid size); bytes written are
 * counted and dropped. So {@link LogRecovery}, {@link TailRepair} and {@link Salvage} decide exactly
 * as they do on a real open, on one code path, and a dry run cannot drift from the real repair.
 *
 * <p>The namespace is the one listed when the dry run starts: files a running writer creates later
 * are not seen. Recovery never reads a file it created, so their bytes are not kept: reading a
 * segment that a salvage would rebuild gives the damaged file it would be rebuilt from (see
 * {@link #rebuiltFromSize}), reading any other created file fails with an {@link IOException}. It assumes the storage can write into an existing
 * file (both built-in storages and {@code HdfsStorage} can). Not thread-safe: one recovery.
 */
final class DryRunStorage implements Storage {
  private final Storage real;
  /** The names as the repairs so far would leave them, each to where its bytes are. */
  private final TreeMap<String, View> files = new TreeMap<>();
  private final List<Change> changes = new ArrayList<>();

  /** Where a name's bytes come from: a real file (possibly cut shorter), or none (created here). */
  private static final class View {
    final String source; // null: created by the dry run
    long cutTo = -1; // -1: the real file's size
    /** For a file created as {@code <name>.tmp} while {@code <name>} is real: that real file. */
    String rebuiltFrom;

    View(String source) {
      this.source = source;
    }
  }

  /** One planned change, rendered when asked (a created file's size is known only when closed). */
  private static final class Change {
    final String text;
    long bytes = -1;

    Change(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return bytes < 0 ? text : text + " (" + bytes + " bytes)";
    }
  }

  DryRunStorage(Storage real) throws IOException {
    this.real = real;
    for (String name : real.list()) {
      files.put(name, new View(name));
    }
  }

  /** The changes a real open would make to the storage, in order. */
  List<String> plannedChanges() {
    List<String> out = new ArrayList<>(changes.size());
    for (Change c : changes) {
      out.add(c.toString());
    }
    return out;
  }

  /**
   * For a segment the plan rebuilds from a damaged file: the size of that damaged file, whose bytes
   * {@link #openForRead} then gives (a reader under SKIP_CORRUPT skips the damage as the rebuild
   * would); otherwise -1.
   */
  long rebuiltFromSize(String name) throws IOException {
    View v = files.get(name);
    return v != null && v.source == null && v.rebuiltFrom != null ? real.size(v.rebuiltFrom) : -1;
  }

  private View view(String name) throws IOException {
    View v = files.get(name);
    if (v == null) {
      throw new NoSuchFileException(real.describe() + "/" + name);
    }
    return v;
  }

  /** Names the dry run, so that recovery's log lines ("rebuilt", "cutting") are not taken as done. */
  @Override
  public String describe() {
    return real.describe() + " (dry run: nothing is changed)";
  }

  @Override
  public void lockForWriting() {
    throw new UnsupportedOperationException("a dry run takes no lock");
  }

  @Override
  public List<String> list() {
    return new ArrayList<>(files.keySet());
  }

  @Override
  public boolean exists(String name) {
    return files.containsKey(name);
  }

  @Override
  public long size(String name) throws IOException {
    View v = view(name);
    return v.cutTo >= 0 || v.source == null ? Math.max(v.cutTo, 0) : real.size(v.source);
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) {
    View v = new View(null);
    v.cutTo = preallocateBytes;
    if (name.endsWith(SegmentName.TEMP_SUFFIX)) {
      // Salvage writes the rebuild of <name> as <name>.tmp from the frames of <name>.
      View damaged = files.get(name.substring(0, name.length() - SegmentName.TEMP_SUFFIX.length()));
      v.rebuiltFrom = damaged != null ? damaged.source : null;
    }
    files.put(name, v);
    Change c = new Change("create " + name);
    changes.add(c);
    return new Discarding(name, v, 0, c);
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    View v = view(name);
    long size = size(name);
    if (position < 0 || position > size) {
      throw new IllegalArgumentException("cannot write " + name + " at position " + position
          + ": the file has " + size + " bytes");
    }
    return new Discarding(name, v, position, null);
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    View v = view(name);
    if (v.source == null && v.rebuiltFrom != null) {
      return real.openForRead(v.rebuiltFrom); // see rebuiltFromSize
    }
    if (v.source == null) {
      throw new IOException(name + " in " + real.describe() + " would be written by the repair"
          + " this dry run plans; it holds no bytes yet");
    }
    SegmentInput in = real.openForRead(v.source);
    return v.cutTo < 0 ? in : new CutInput(in, v.cutTo);
  }

  @Override
  public void truncate(String name, long size) throws IOException {
    View v = view(name);
    long before = size(name);
    if (size < before) {
      v.cutTo = size;
      changes.add(new Change("truncate " + name + " from " + before + " to " + size + " bytes"));
    }
  }

  @Override
  public void rename(String from, String to) throws IOException {
    View v = view(from);
    files.remove(from);
    files.put(to, v);
    changes.add(new Change("rename " + from + " to " + to));
  }

  @Override
  public void delete(String name) throws IOException {
    view(name);
    files.remove(name);
    changes.add(new Change("delete " + name));
  }

  @Override
  public void syncDirectory() {}

  /** Closes nothing: the real storage stays its owner's. */
  @Override
  public void close() {}

  /** An output that counts what it would write, and records a cut or a write as a change. */
  private final class Discarding implements SegmentOutput {
    private final String name;
    private final View view;
    private final long start;
    private final Change created;
    private long position;

    Discarding(String name, View view, long position, Change created) {
      this.name = name;
      this.view = view;
      this.start = position;
      this.position = position;
      this.created = created;
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        position += srcs[i].remaining();
        srcs[i].position(srcs[i].limit());
      }
      if (view.source == null) {
        view.cutTo = Math.max(view.cutTo, position);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void sync() {}

    @Override
    public void truncateToPosition() throws IOException {
      DryRunStorage.this.truncate(name, position);
    }

    @Override
    public void close() {
      if (created != null) {
        created.bytes = position;
      } else if (position > start) {
        changes.add(new Change("write " + (position - start) + " bytes into " + name
            + " at offset " + start));
      }
    }
  }

  /** A real file read as if cut to {@code limit} bytes. */
  private static final class CutInput implements SegmentInput {
    private final SegmentInput in;
    private final long limit;

    CutInput(SegmentInput in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public long size() throws IOException {
      return Math.min(in.size(), limit);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      if (position >= limit) {
        return dst.hasRemaining() ? -1 : 0;
      }
      int room = (int) Math.min(dst.remaining(), limit - position);
      ByteBuffer slice = dst.slice(dst.position(), room);
      int n = in.read(slice, position);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
