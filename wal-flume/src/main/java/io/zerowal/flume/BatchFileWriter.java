/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import io.zerowal.receiver.Batch;
import io.zerowal.receiver.BatchProcessor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.conf.Configurable;
import org.apache.flume.conf.ConfigurationException;

/**
 * A processor for {@link ZeroWalSink} that writes each batch to one file named by its batch time,
 * {@code batch-<batchTime, 20 digits>.txt}: the body of each event followed by a newline, in
 * order (as Flume's text serializer). Idempotent per batch time: the file is written aside,
 * synced, and renamed over any earlier attempt, so a batch that re-runs after a crash replaces its
 * own file and each batch appears once, whole or not at all. An empty batch writes no file.
 *
 * <p>In an agent: {@code <sink>.processor = io.zerowal.flume.BatchFileWriter} and
 * {@code <sink>.processor.directory = /path/to/output}. Not thread-safe: the engine calls it from
 * its batch thread only.
 */
public final class BatchFileWriter implements BatchProcessor, Configurable {
  /** The key (after {@code processor.}) of the output directory. */
  public static final String DIRECTORY = "directory";

  private Path directory;

  /** A writer to be configured by Flume ({@code processor.directory}). */
  public BatchFileWriter() {}

  /**
   * A writer into {@code directory}, created if missing.
   *
   * @param directory where the batch files go
   */
  public BatchFileWriter(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory must not be null");
  }

  /**
   * Reads {@code directory}.
   *
   * @param context the sink's {@code processor.*} keys, the prefix stripped
   * @throws ConfigurationException if {@code processor.directory} is missing or not a path
   */
  @Override
  public void configure(Context context) {
    String dir = context.getString(DIRECTORY);
    if (dir == null || dir.isBlank()) {
      throw new ConfigurationException("BatchFileWriter: processor.directory is required: the"
          + " directory the batch files are written to, e.g. <sink>.processor.directory ="
          + " /var/lib/flume/out");
    }
    try {
      directory = Path.of(dir.trim());
    } catch (InvalidPathException e) {
      throw new ConfigurationException("BatchFileWriter: processor.directory = \"" + dir
          + "\" is not a path: " + e.getMessage(), e);
    }
  }

  /**
   * The file a batch is written to.
   *
   * @param batchTime the batch's time ({@link Batch#batchTime()})
   * @return {@code <directory>/batch-<batchTime, 20 digits>.txt}
   * @throws IllegalStateException if the writer has no directory yet
   */
  public Path fileOf(long batchTime) {
    return directory().resolve(String.format("batch-%020d.txt", batchTime));
  }

  /**
   * Writes the batch's event bodies to its file, replacing an earlier attempt.
   *
   * @param batch the batch
   * @throws IOException if the file cannot be written: the engine stops and the batch re-runs
   * @throws CorruptEventException if a record is not an event
   */
  @Override
  public void process(Batch batch) throws IOException {
    if (batch.recordCount() == 0) {
      return;
    }
    Path dir = directory();
    Files.createDirectories(dir);
    Path target = fileOf(batch.batchTime());
    Path temp = dir.resolve(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        Stream<ByteBuffer> records = batch.records()) {
      for (Iterator<ByteBuffer> it = records.iterator(); it.hasNext(); ) {
        Event e = EventFormat.decode(it.next());
        out.write(e.getBody());
        out.write('\n');
      }
      out.flush();
      ch.force(true);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  private Path directory() {
    if (directory == null) {
      throw new IllegalStateException("BatchFileWriter has no directory: configure it with"
          + " processor.directory, or create it with new BatchFileWriter(directory)");
    }
    return directory;
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
