/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A {@link MemoryStorage} that loses power at its N-th counted operation, just before or just after
 * it, on the thread doing it; or now, from any thread ({@link #crashNow()}). A crash placed by a
 * number lands exactly inside a segment roll, a {@code truncateBefore} or a recovery, which a timer
 * hits only by luck, and replays from that number. {@link #survivor()} is what the power loss left
 * ({@link MemoryStorage#crash(long)} with the given seed); the log may go on using this storage, but
 * nothing it does after the crash reaches the survivor.
 *
 * <p>Which operations count is the one thing its users choose: the core's crash properties count
 * every call but an output's close, the integration tests' tripwire only the mutating ones (see
 * {@link Operation#mutating()}). Closing the storage never counts.
 *
 * <p>Also remembers, per file, the end of what the last successful sync covered, following renames.
 */
public class CrashPointStorage extends ForwardingStorage {

  /** The calls a log makes on a storage and its outputs (an input's reads are not counted). */
  public enum Operation {
    LOCK_FOR_WRITING("lockForWriting", false),
    LIST("list", false),
    EXISTS("exists", false),
    SIZE("size", false),
    OPEN_FOR_READ("openForRead", false),
    CREATE("create", true),
    OPEN_FOR_WRITE("openForWrite", true),
    TRUNCATE("truncate", true),
    RENAME("rename", true),
    DELETE("delete", true),
    SYNC_DIRECTORY("syncDirectory", true),
    WRITE("write", true),
    FLUSH("flush", true),
    SYNC("sync", true),
    TRUNCATE_TO_POSITION("truncateToPosition", true),
    /** An output's close. */
    CLOSE("close", true);

    private final String method;
    private final boolean mutating;

    Operation(String method, boolean mutating) {
      this.method = method;
      this.mutating = mutating;
    }

    /** Whether the operation can change what the storage holds or what a power loss leaves. */
    public boolean mutating() {
      return mutating;
    }

    @Override
    public String toString() {
      return method;
    }
  }

  private final MemoryStorage memory;
  private final long seed;
  private final Predicate<Operation> counted;
  private final boolean afterOperation;
  private long crashAt;
  private long operations;
  private volatile MemoryStorage survivor;
  private volatile String crashedAt;
  private final Map<String, Output> outputs = new ConcurrentHashMap<>();
  private final Map<String, Long> syncedUpTo = new ConcurrentHashMap<>();

  /**
   * Starts disarmed.
   *
   * @param counted the operations that count towards {@link #crashAt(long)}
   * @param afterOperation whether the crash comes just after the operation (it took effect) rather
   *     than just before it
   */
  public CrashPointStorage(MemoryStorage memory, long seed, Predicate<Operation> counted,
      boolean afterOperation) {
    super(memory);
    this.memory = memory;
    this.seed = seed;
    this.counted = counted;
    this.afterOperation = afterOperation;
  }

  /** Loses power at the {@code operation}-th counted operation (1: the first); 0 or less disarms. */
  public final synchronized void crashAt(long operation) {
    crashAt = operation;
  }

  /** How many counted operations have started. */
  public final synchronized long operations() {
    return operations;
  }

  /** Crashes now, unless it already has; returns what survived. */
  public final synchronized MemoryStorage crashNow() {
    crash("external");
    return survivor;
  }

  /** What the crash left, or null if the power has not gone out. */
  public final MemoryStorage survivor() {
    return survivor;
  }

  /** The operation the crash hit ({@code "before sync 00000000000000000000.wal"}), or null. */
  public final String crashedAt() {
    return crashedAt;
  }

  /** The end of the bytes of {@code name} that a successful sync covered, or 0. */
  public final long syncedUpTo(String name) {
    return syncedUpTo.getOrDefault(name, 0L);
  }

  private synchronized void crash(String at) {
    if (survivor == null) {
      crashedAt = at;
      survivor = memory.crash(seed);
    }
  }

  private synchronized void before(Operation op, String name) {
    if (counted.test(op)) {
      operations++;
      if (!afterOperation && operations == crashAt) {
        crash("before " + label(op, name));
      }
    }
  }

  private synchronized void after(Operation op, String name) {
    if (afterOperation && counted.test(op) && operations == crashAt) {
      crash("after " + label(op, name));
    }
  }

  private static String label(Operation op, String name) {
    return name == null ? op.toString() : op + " " + name;
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private <T> T call(Operation op, String name, IoCall<T> call) throws IOException {
    before(op, name);
    T result = call.call();
    after(op, name);
    return result;
  }

  private void run(Operation op, String name, IoAction action) throws IOException {
    before(op, name);
    action.run();
    after(op, name);
  }

  @Override
  public String describe() {
    return "crash-point(" + super.describe() + ")";
  }

  @Override
  public void lockForWriting() throws IOException {
    run(Operation.LOCK_FOR_WRITING, null, super::lockForWriting);
  }

  @Override
  public List<String> list() throws IOException {
    return call(Operation.LIST, null, super::list);
  }

  @Override
  public boolean exists(String name) throws IOException {
    return call(Operation.EXISTS, name, () -> super.exists(name));
  }

  @Override
  public long size(String name) throws IOException {
    return call(Operation.SIZE, name, () -> super.size(name));
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    SegmentOutput out = call(Operation.CREATE, name, () -> super.create(name, preallocateBytes));
    return track(new Output(out, name));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    SegmentOutput out = call(Operation.OPEN_FOR_WRITE, name, () -> super.openForWrite(name, position));
    return track(new Output(out, name));
  }

  private Output track(Output output) {
    outputs.put(output.name, output);
    return output;
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    return call(Operation.OPEN_FOR_READ, name, () -> super.openForRead(name));
  }

  @Override
  public void truncate(String name, long size) throws IOException {
    run(Operation.TRUNCATE, name, () -> super.truncate(name, size));
  }

  @Override
  public void rename(String from, String to) throws IOException {
    run(Operation.RENAME, from, () -> {
      super.rename(from, to);
      // An output open on the file keeps writing it under its new name (the log renames its
      // preallocated spare into place while holding it open): its syncs count for the new name.
      Output output = outputs.remove(from);
      if (output != null) {
        output.name = to;
        outputs.put(to, output);
      }
      Long synced = syncedUpTo.remove(from);
      if (synced != null) {
        syncedUpTo.put(to, synced);
      }
    });
  }

  @Override
  public void delete(String name) throws IOException {
    run(Operation.DELETE, name, () -> super.delete(name));
  }

  @Override
  public void syncDirectory() throws IOException {
    run(Operation.SYNC_DIRECTORY, null, super::syncDirectory);
  }

  private final class Output extends ForwardingSegmentOutput {
    private volatile String name;

    Output(SegmentOutput out, String name) {
      super(out);
      this.name = name;
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      run(Operation.WRITE, name, () -> super.write(srcs, offset, length));
    }

    @Override
    public void flush() throws IOException {
      run(Operation.FLUSH, name, super::flush);
    }

    @Override
    public void sync() throws IOException {
      run(Operation.SYNC, name, () -> {
        super.sync();
        syncedUpTo.merge(name, position(), Math::max);
      });
    }

    @Override
    public void truncateToPosition() throws IOException {
      run(Operation.TRUNCATE_TO_POSITION, name, super::truncateToPosition);
    }

    @Override
    public void close() throws IOException {
      run(Operation.CLOSE, name, super::close);
    }
  }
}
