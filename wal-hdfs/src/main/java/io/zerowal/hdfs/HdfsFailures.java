/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.AccessControlException;

/**
 * Turns Hadoop's exceptions into the {@code java.nio.file} ones the storage SPI documents, with
 * messages that name the file and what the user can do.
 */
final class HdfsFailures {
  private HdfsFailures() {}

  /** The exception to throw for {@code e}, raised while doing {@code what} to {@code path}. */
  static IOException translate(String what, Path path, IOException e) {
    IOException cause = e instanceof RemoteException ? ((RemoteException) e).unwrapRemoteException() : e;
    String file = path.toString();
    String detail = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
    if (cause instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
      return withCause(new FileAlreadyExistsException(file, null, what + ": the file exists"), cause);
    }
    if (cause instanceof FileNotFoundException) {
      return withCause(new NoSuchFileException(file, null, what + ": no such file (" + detail + ")"),
          cause);
    }
    if (cause instanceof AccessControlException) {
      return withCause(new AccessDeniedException(file, null, what + ": permission denied (" + detail
          + "); run as a user allowed to write the log's directory, or choose another directory"),
          cause);
    }
    if (isSafeMode(cause)) {
      return new IOException("cannot " + what + " " + file + ": the NameNode is in safe mode; wait"
          + " until it leaves safe mode ('hdfs dfsadmin -safemode get') and try again", cause);
    }
    if (cause instanceof InterruptedIOException || cause instanceof FileSystemException
        || cause instanceof WriterFencedException) {
      return cause;
    }
    return new IOException("cannot " + what + " " + file + ": " + cause, cause);
  }

  private static boolean isSafeMode(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getClass().getSimpleName().equals("SafeModeException")
          || (c instanceof RemoteException
              && ((RemoteException) c).getClassName().endsWith(".SafeModeException"))) {
        return true;
      }
    }
    return false;
  }

  private static IOException withCause(FileSystemException e, Throwable cause) {
    e.initCause(cause);
    return e;
  }
}
