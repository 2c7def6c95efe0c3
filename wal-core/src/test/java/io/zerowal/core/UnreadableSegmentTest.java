package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment that is no longer a readable file (replaced by a directory) fails {@code open} by name:
 * the first segment in particular, whose absence recovery cannot tell from {@code truncateBefore}
 * (issue 10, item 14). The storage here lists every directory entry, as {@code Storage.list()}
 * must for recovery to see such a segment at all.
 */
class UnreadableSegmentTest {
  @TempDir Path dir;

  @Test
  void firstSegmentReplacedByADirectoryFailsOpenNamingIt() throws Exception {
    try (WriteAheadLog log = open()) {
      for (int i = 0; i < 60; i++) {
        log.append(new byte[100]).get();
      }
    }
    String first;
    try (Stream<Path> files = Files.list(dir)) {
      first = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted()
          .findFirst().orElseThrow();
    }
    Files.delete(dir.resolve(first));
    Files.createDirectory(dir.resolve(first));

    assertThatThrownBy(this::open).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(first).hasMessageContaining("not a regular file");
    assertThat(Files.isDirectory(dir.resolve(first))).isTrue();
  }

  private WriteAheadLog open() throws IOException {
    return WriteAheadLog.builder(new ListingEverything(new LocalStorage(dir))).segmentSize(4096)
        .maxRecordSize(1000).open();
  }

  /** A LocalStorage whose {@code list()} includes directories. */
  private final class ListingEverything implements Storage {
    private final LocalStorage local;

    ListingEverything(LocalStorage local) {
      this.local = local;
    }

    @Override
    public List<String> list() throws IOException {
      try (Stream<Path> entries = Files.list(dir)) {
        return entries.map(p -> p.getFileName().toString())
            .filter(n -> !n.equals(LocalStorage.LOCK_FILE)).toList();
      }
    }

    @Override
    public String describe() {
      return local.describe();
    }

    @Override
    public void lockForWriting() throws IOException {
      local.lockForWriting();
    }

    @Override
    public boolean exists(String name) throws IOException {
      return local.exists(name);
    }

    @Override
    public long size(String name) throws IOException {
      return local.size(name);
    }

    @Override
    public SegmentOutput create(String name, long preallocateBytes) throws IOException {
      return local.create(name, preallocateBytes);
    }

    @Override
    public SegmentOutput openForWrite(String name, long position) throws IOException {
      return local.openForWrite(name, position);
    }

    @Override
    public SegmentInput openForRead(String name) throws IOException {
      return local.openForRead(name);
    }

    @Override
    public void truncate(String name, long size) throws IOException {
      local.truncate(name, size);
    }

    @Override
    public void rename(String from, String to) throws IOException {
      local.rename(from, to);
    }

    @Override
    public void delete(String name) throws IOException {
      local.delete(name);
    }

    @Override
    public void syncDirectory() throws IOException {
      local.syncDirectory();
    }

    @Override
    public void close() throws IOException {
      local.close();
    }
  }
}
