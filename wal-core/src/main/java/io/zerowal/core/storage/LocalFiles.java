package io.zerowal.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** Channel operations of {@link LocalStorage} that need care: full writes and messages naming the file. */
final class LocalFiles {
  private static final int ZERO_CHUNK = 1 << 20;

  private LocalFiles() {}

  /**
   * An exception for {@code what} on {@code path}. File system exceptions already name the file and
   * keep their type (callers test for them); others are wrapped with the path in the message.
   */
  static IOException failure(String what, Path path, IOException e) {
    if (e instanceof FileSystemException) {
      return e;
    }
    return new IOException(what + " " + path + " failed: " + e, e);
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
