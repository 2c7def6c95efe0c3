package io.zerowal.core;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A {@link MemoryStorage} that loses power on request: now ({@link #crashNow()}, from any thread) or
 * just before its N-th namespace or file operation ({@link #crashBeforeOperation(int)}), so that a
 * crash inside {@code truncateBefore} or inside recovery is replayable from a number. Writes and
 * syncs of the outputs it hands out count as operations too, so a crash can be placed between a
 * group's write and its sync.
 */
final class CrashingStorage implements Storage {
  private final MemoryStorage memory;
  private final long crashSeed;
  private int operationsBeforeCrash = -1;
  private MemoryStorage survivor;

  CrashingStorage(MemoryStorage memory, long crashSeed) {
    this.memory = memory;
    this.crashSeed = crashSeed;
  }

  /** Crashes just before the operation after the next {@code operations} ones (0: the next one). */
  synchronized void crashBeforeOperation(int operations) {
    operationsBeforeCrash = operations;
  }

  /** Crashes now, if it has not crashed yet, and returns what the power loss left. */
  synchronized MemoryStorage crashNow() {
    if (survivor == null) {
      survivor = memory.crash(crashSeed);
    }
    return survivor;
  }

  /** What the crash left, or null if it has not crashed. */
  synchronized MemoryStorage survivor() {
    return survivor;
  }

  private void operation() {
    synchronized (this) {
      if (operationsBeforeCrash >= 0 && operationsBeforeCrash-- == 0) {
        crashNow();
      }
    }
  }

  @Override
  public String describe() {
    return "crashing " + memory.describe();
  }

  @Override
  public void lockForWriting() throws IOException {
    operation();
    memory.lockForWriting();
  }

  @Override
  public List<String> list() throws IOException {
    operation();
    return memory.list();
  }

  @Override
  public boolean exists(String name) throws IOException {
    operation();
    return memory.exists(name);
  }

  @Override
  public long size(String name) throws IOException {
    operation();
    return memory.size(name);
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    operation();
    return new CountedOutput(memory.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    operation();
    return new CountedOutput(memory.openForWrite(name, position));
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    operation();
    return memory.openForRead(name);
  }

  @Override
  public void truncate(String name, long size) throws IOException {
    operation();
    memory.truncate(name, size);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    operation();
    memory.rename(from, to);
  }

  @Override
  public void delete(String name) throws IOException {
    operation();
    memory.delete(name);
  }

  @Override
  public void syncDirectory() throws IOException {
    operation();
    memory.syncDirectory();
  }

  @Override
  public void close() throws IOException {
    memory.close();
  }

  private final class CountedOutput implements SegmentOutput {
    private final SegmentOutput out;

    CountedOutput(SegmentOutput out) {
      this.out = out;
    }

    @Override
    public long position() {
      return out.position();
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      operation();
      out.write(srcs, offset, length);
    }

    @Override
    public void flush() throws IOException {
      operation();
      out.flush();
    }

    @Override
    public void sync() throws IOException {
      operation();
      out.sync();
    }

    @Override
    public void truncateToPosition() throws IOException {
      operation();
      out.truncateToPosition();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
