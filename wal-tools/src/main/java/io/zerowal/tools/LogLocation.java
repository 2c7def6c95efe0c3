/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The log a command works on, and how to read it: a picocli mixin shared by every command. */
final class LogLocation {
  private static final int MIB = 1 << 20;
  /** {@code scheme://...}: a URI, as opposed to a local path. */
  private static final Pattern URI_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*");

  @Parameters(index = "0", paramLabel = "DIR",
      description = "The log: a directory of segments (<base>.wal), a local path or a"
          + " hdfs://namenode:port/path URI (needs Hadoop's client on the classpath).")
  String location;

  @Option(names = "--max-record-size", paramLabel = "BYTES", defaultValue = "16777216",
      description = "The maxRecordSize the log was written with (default: ${DEFAULT-VALUE}, the"
          + " library's default). A record longer than this is reported, not read.")
  int maxRecordSize;

  /**
   * The storage of the log. A local directory must exist: opening a {@link LocalStorage} would
   * create a missing one, and looking must not write.
   */
  Storage storage() throws IOException {
    Matcher uri = URI_SCHEME.matcher(location);
    if (uri.matches() && !uri.group(1).equalsIgnoreCase("file")) {
      return hadoopStorage(URI.create(location));
    }
    Path dir = uri.matches() ? Path.of(URI.create(location)) : Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(location, null, "no log directory here");
    }
    return new LocalStorage(dir);
  }

  /**
   * A log on HDFS (or any Hadoop file system): Hadoop is loaded only here, and only if it is on the
   * classpath; {@code bin/walctl} adds it from {@code $HADOOP_CLASSPATH} or {@code hadoop classpath}.
   */
  private static Storage hadoopStorage(URI uri) throws IOException {
    try {
      Class.forName("org.apache.hadoop.fs.FileSystem", false, LogLocation.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IOException(uri + " is a Hadoop file system URI, and Hadoop's client is not on"
          + " walctl's classpath: set HADOOP_CLASSPATH (or put the hadoop command on the PATH) and"
          + " run bin/walctl again");
    }
    return HdfsLocation.open(uri);
  }

  /**
   * A builder for this log on {@code storage} with the options given; the segment size only has to
   * fit the records. The storage stays the caller's to close (a read-only view does not close it).
   */
  WriteAheadLog.Builder builder(Storage storage, RecoveryPolicy policy) {
    long segmentSize = Math.max(64L * MIB, (long) maxRecordSize + MIB);
    return WriteAheadLog.builder(storage).maxRecordSize(maxRecordSize).segmentSize(segmentSize)
        .recoveryPolicy(policy);
  }
}
