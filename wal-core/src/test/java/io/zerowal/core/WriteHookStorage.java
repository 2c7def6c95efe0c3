package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/** A storage that runs a hook on the writer thread just before each segment write reaches it. */
final class WriteHookStorage implements Storage {
  private final Storage delegate;
  volatile Consumer<ByteBuffer[]> beforeWrite = srcs -> {};

  WriteHookStorage(Storage delegate) {
    this.delegate = delegate;
  }

  private SegmentOutput hooked(SegmentOutput out) {
    return new SegmentOutput() {
      @Override
      public long position() {
        return out.position();
      }

      @Override
      public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        beforeWrite.accept(srcs);
        out.write(srcs, offset, length);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void sync() throws IOException {
        out.sync();
      }

      @Override
      public void truncateToPosition() throws IOException {
        out.truncateToPosition();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  @Override
  public SegmentOutput create(String name, long preallocateBytes) throws IOException {
    return hooked(delegate.create(name, preallocateBytes));
  }

  @Override
  public SegmentOutput openForWrite(String name, long position) throws IOException {
    return hooked(delegate.openForWrite(name, position));
  }

  @Override
  public SegmentInput openForRead(String name) throws IOException {
    return delegate.openForRead(name);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void lockForWriting() throws IOException {
    delegate.lockForWriting();
  }

  @Override
  public List<String> list() throws IOException {
    return delegate.list();
  }

  @Override
  public boolean exists(String name) throws IOException {
    return delegate.exists(name);
  }

  @Override
  public long size(String name) throws IOException {
    return delegate.size(name);
  }

  @Override
  public void truncate(String name, long size) throws IOException {
    delegate.truncate(name, size);
  }

  @Override
  public void rename(String from, String to) throws IOException {
    delegate.rename(from, to);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public void syncDirectory() throws IOException {
    delegate.syncDirectory();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
