/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.hdfs.HdfsStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * Where a log lives, by URI scheme: a plain path or {@code file:} URI is a local directory
 * ({@link LocalStorage}), any other scheme ({@code hdfs://}, {@code viewfs://}, ...) a directory of
 * a Hadoop {@code FileSystem} ({@link HdfsStorage}). {@link #key()} is the normalized form that a
 * {@link ZeroWalRecordHandle} carries, so that any JVM can find the log again.
 */
final class LogLocation {
  private final String key;
  private final Path localDir; // null for a Hadoop FileSystem

  private LogLocation(String key, Path localDir) {
    this.key = key;
    this.localDir = localDir;
  }

  /** Parses {@code dir}, a path or URI; {@code setting} names where it came from for messages. */
  static LogLocation of(String dir, String setting) {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException(setting + " is empty: give a directory such as"
          + " /var/lib/app/wal or hdfs://namenode:8020/apps/app/wal");
    }
    String d = dir.trim();
    URI uri = null;
    try {
      uri = new URI(d);
    } catch (URISyntaxException e) {
      // a local path with characters a URI does not allow, such as a space
    }
    if (uri == null || uri.getScheme() == null || uri.getScheme().length() == 1) {
      Path p = Paths.get(d).toAbsolutePath().normalize(); // length 1: a Windows drive letter
      return local(p);
    }
    if (uri.getScheme().equals("file")) {
      return local(Paths.get(uri));
    }
    return new LogLocation(stripSlash(uri.normalize().toString()), null);
  }

  private static LogLocation local(Path dir) {
    Path p = dir.toAbsolutePath().normalize();
    // Path.toUri ends with a slash only once the directory exists: the key must not change.
    return new LogLocation(stripSlash(p.toUri().toString()), p);
  }

  private static String stripSlash(String uri) {
    String s = uri;
    while (s.endsWith("/") && !s.endsWith(":///") && !s.endsWith("://")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** The normalized URI, such as {@code file:///tmp/wal/} or {@code hdfs://nn:8020/wal}. */
  String key() {
    return key;
  }

  /** A storage for writing; creates the directory if missing. */
  Storage open(SparkConf conf) {
    try {
      return localDir != null ? new LocalStorage(localDir)
          : HdfsStorage.open(hadoopConf(conf), URI.create(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the log directory " + key + ": " + e.getMessage()
          + " (check " + ZeroWalSparkLog.DIR + " and its permissions)", e);
    }
  }

  /** A storage for reading a log that must exist already (nothing is created). */
  Storage openExisting(SparkConf conf) {
    if (localDir != null && !Files.isDirectory(localDir)) {
      throw new IllegalStateException("the log directory " + localDir + " of a ZeroWAL record"
          + " handle does not exist here: it was deleted, or it is on the local disk of another"
          + " machine; on a cluster set " + ZeroWalSparkLog.DIR + " to a directory every node"
          + " reads, such as hdfs://namenode:8020/apps/app/wal");
    }
    return open(conf);
  }

  /**
   * The Hadoop configuration for Spark's {@code spark.hadoop.*} settings, as Spark's own
   * {@code SparkHadoopUtil.newConfiguration} copies them, on top of the defaults and site files.
   */
  static Configuration hadoopConf(SparkConf conf) {
    Configuration c = new Configuration();
    for (Tuple2<String, String> kv : conf.getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) {
        c.set(kv._1().substring("spark.hadoop.".length()), kv._2());
      }
    }
    return c;
  }

  @Override
  public String toString() {
    return key;
  }
}
