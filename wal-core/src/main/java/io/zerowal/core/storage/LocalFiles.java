/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;

/** Channel operations of {@link LocalStorage} that need care: full writes and messages naming the file. */
final class LocalFiles {
  private static final int ZERO_CHUNK = 1 << 20;

  private LocalFiles() {}

  /**
   * An exception for {@code what} on {@code path}. File system exceptions already name the file and
   * keep their type (callers test for them); so do closed-channel exceptions
   * ({@link ClosedByInterruptException} included), which tell a caller that the channel is gone and
   * must be reopened rather than that the medium failed: they are replaced by ones of the same type
   * that name the file. Others are wrapped with the path in the message.
   */
  static IOException failure(String what, Path path, IOException e) {
    if (e instanceof FileSystemException) {
      return e;
    }
    String message = what + " " + path + " failed: " + e;
    IOException named;
    if (e instanceof ClosedByInterruptException) {
      named = new NamedClosedByInterrupt(message);
    } else if (e instanceof ClosedChannelException) {
      named = new NamedClosedChannel(message);
    } else {
      return new IOException(message, e);
    }
    named.initCause(e);
    return named;
  }

  /** A {@link ClosedChannelException} (the JDK's has no message) that names the file. */
  private static final class NamedClosedChannel extends ClosedChannelException {
    private static final long serialVersionUID = 1L;
    private final String message;

    NamedClosedChannel(String message) {
      this.message = message;
    }

    @Override
    public String getMessage() {
      return message;
    }
  }

  /** A {@link ClosedByInterruptException} that names the file. */
  private static final class NamedClosedByInterrupt extends ClosedByInterruptException {
    private static final long serialVersionUID = 1L;
    private final String message;

    NamedClosedByInterrupt(String message) {
      this.message = message;
    }

    @Override
    public String getMessage() {
      return message;
    }
  }

  /**
   * The attributes of {@code path} if it is a regular file (or a link to one).
   *
   * @throws FileSystemException naming the path and what it is instead: a directory, a dangling
   *     symbolic link, or another kind of file
   * @throws java.nio.file.NoSuchFileException if nothing is there
   */
  static BasicFileAttributes checkRegularFile(Path path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(path)) {
        throw new FileSystemException(path.toString(), null, "is a dangling symbolic link (to "
            + Files.readSymbolicLink(path) + "): restore its target or remove the link");
      }
      throw e;
    }
    if (attributes.isDirectory()) {
      throw new FileSystemException(path.toString(), null,
          "is a directory, not a segment file: move it out of the log directory");
    }
    if (!attributes.isRegularFile()) {
      throw new FileSystemException(path.toString(), null,
          "is not a regular file: move it out of the log directory");
    }
    return attributes;
  }

  /**
   * Writes {@code bytes} zeros from position 0 and forces data and size to the medium. Real zeros,
   * not a sparse {@code setLength}: only allocated blocks spare later fdatasyncs a metadata update.
   */
  static void writeZeros(FileChannel channel, Path path, long bytes) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, bytes));
    try {
      long position = 0;
      while (position < bytes) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - position));
        while (zeros.hasRemaining()) {
          position += channel.write(zeros, position);
        }
      }
      channel.force(true);
    } catch (IOException e) {
      throw failure("preallocate " + bytes + " bytes in", path, e);
    }
  }
}
