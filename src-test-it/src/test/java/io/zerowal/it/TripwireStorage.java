package io.zerowal.it;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A {@link MemoryStorage} that loses power at its {@code tripAt}-th mutating operation (create,
 * openForWrite, truncate, rename, delete, syncDirectory, and each output's write, flush, sync,
 * truncateToPosition and close), just before or just after the operation, on the thread doing it.
 * This places crashes exactly inside a segment roll, a {@code truncateBefore} or a recovery, which a
 * timer hits only by luck. {@link #survivor()} is what the crash left.
 */
final class TripwireStorage implements Storage {
  private final MemoryStorage mem;
  private final long seed;
  private final boolean afterOperation;
  private long tripAt;
  private long operations;
  private volatile MemoryStorage survivor;
  private volatile String trippedAt;
  /** Per file, the end of what the last successful sync made durable. */
  private final java.util.Map<String, Long> syncedUpTo = new java.util.concurrent.ConcurrentHashMap<>();

  /** {@code tripAt <= 0} disarms the tripwire. */
  TripwireStorage(MemoryStorage mem, long seed, long tripAt, boolean afterOperation) {
    this.mem = mem;
    this.seed = seed;
    this.tripAt = tripAt;
    this.afterOperation = afterOperation;
  }

  MemoryStorage survivor() {
    return survivor;
  }

  /** The operation the crash hit, or null. */
  String trippedAt() {
    return trippedAt;
  }

  /** The end of the bytes of {@code name} that a successful sync covered, or 0. */
  long syncedUpTo(String name) {
    return syncedUpTo.getOrDefault(name, 0L);
  }

  synchronized long operations() {
    return operations;
  }

  synchronized void disarm() {
    tripAt = 0;
  }

  /** Crashes now, unless the tripwire already did; returns what survived. */
  synchronized MemoryStorage crashNow() {
    if (survivor == null) {
      trippedAt = "external";
      survivor = mem.crash(seed);
    }
    return survivor;
  }

  private synchronized void before(String op) {
    operations++;
    if (!afterOperation && operations == tripAt && survivor == null) {
      trippedAt = "before " + op;
      survivor = mem.crash(seed);
    }
  }

  private synchronized void after(String op) {
    if (afterOperation && operations == tripAt && survivor == null) {
      trippedAt = "after " + op;
      survivor = mem.crash(seed);
    }
  }

  @Override
  public String describe() {
    return "tripwire(" + mem.describe() + ")";
  }

  @Override
  public void lockForWriting() throws IOException {
    mem.lockForWriting();
  }

  @Override
  public List<String> list() throws IOException {
    return mem.list();
  }

  @Override
  public boolean exists(String name) throws IOException {
    return mem.exists(name);
  }

  @Override
  public long size(String name) throws IOException {
    return mem.size(name);
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    before("create " + name);
    SegmentOutput out = mem.create(name, preallocateBytes);
    after("create " + name);
    Output o = new Output(out, name);
    outputs.put(name, o);
    return o;
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    before("openForWrite " + name);
    SegmentOutput out = mem.openForWrite(name, position);
    after("openForWrite " + name);
    Output o = new Output(out, name);
    outputs.put(name, o);
    return o;
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    return mem.openForRead(name);
  }

  @Override
  public void truncate(String name, long size) throws IOException {
    before("truncate " + name);
    mem.truncate(name, size);
    after("truncate " + name);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    before("rename " + from);
    mem.rename(from, to);
    // An output open on the file keeps writing it under its new name (the log renames its
    // preallocated spare into place while holding it open): syncs count for the new name.
    Output o = outputs.remove(from);
    if (o != null) {
      o.name = to;
      outputs.put(to, o);
    }
    Long synced = syncedUpTo.remove(from);
    if (synced != null) {
      syncedUpTo.put(to, synced);
    }
    after("rename " + from);
  }

  @Override
  public void delete(String name) throws IOException {
    before("delete " + name);
    mem.delete(name);
    after("delete " + name);
  }

  @Override
  public void syncDirectory() throws IOException {
    before("syncDirectory");
    mem.syncDirectory();
    after("syncDirectory");
  }

  @Override
  public void close() throws IOException {
    mem.close();
  }

  private final java.util.Map<String, Output> outputs = new java.util.concurrent.ConcurrentHashMap<>();

  private final class Output implements SegmentOutput {
    private final SegmentOutput out;
    private volatile String name;

    Output(SegmentOutput out, String name) {
      this.out = out;
      this.name = name;
    }

    @Override
    public long position() {
      return out.position();
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      before("write " + name);
      out.write(srcs, offset, length);
      after("write " + name);
    }

    @Override
    public void flush() throws IOException {
      before("flush " + name);
      out.flush();
      after("flush " + name);
    }

    @Override
    public void sync() throws IOException {
      before("sync " + name);
      out.sync();
      syncedUpTo.merge(name, out.position(), Math::max);
      after("sync " + name);
    }

    @Override
    public void truncateToPosition() throws IOException {
      before("truncateToPosition " + name);
      out.truncateToPosition();
      after("truncateToPosition " + name);
    }

    @Override
    public void close() throws IOException {
      before("close " + name);
      out.close();
      after("close " + name);
    }
  }
}
