/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.storage.Storage;
import io.zerowal.hdfs.HdfsStorage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A log in a Hadoop file system ({@code hdfs://...}). Only this class names Hadoop types, and
 * {@link LogLocation} loads it only for such a URI once it has found Hadoop on the classpath, so
 * walctl needs no Hadoop for local logs.
 */
final class HdfsLocation {
  private HdfsLocation() {}

  /** The storage of an existing log directory at {@code uri}; the configuration is the classpath's. */
  static Storage open(URI uri) throws IOException {
    Configuration conf = new Configuration(); // core-site.xml, hdfs-site.xml from the classpath
    // HdfsStorage creates a missing directory; looking must not, so check first. FileSystem.get is
    // the shared cached instance: not closed here.
    FileSystem fs = FileSystem.get(uri, conf);
    Path dir = new Path(uri);
    if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
      throw new NoSuchFileException(uri.toString(), null, "no log directory here");
    }
    return HdfsStorage.open(conf, uri);
  }
}
