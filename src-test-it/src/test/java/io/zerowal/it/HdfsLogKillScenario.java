/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.Storage;
import io.zerowal.hdfs.HdfsStorage;
import io.zerowal.hdfs.MiniHdfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The log on HDFS under kill -9: {@link HdfsKillChild} writes to the MiniDFSCluster of the parent,
 * which reopens the log after each kill (recovering the dead child's leases) and audits it. The
 * local directory the harness makes only names the log's HDFS directory.
 */
final class HdfsLogKillScenario extends LogKillScenario {
  private final MiniHdfs hdfs;

  HdfsLogKillScenario(Durability durability, long salt, MiniHdfs hdfs) {
    super(durability, salt);
    this.hdfs = hdfs;
  }

  static org.apache.hadoop.fs.Path hdfsDir(Path dir) {
    return new org.apache.hadoop.fs.Path("/it/" + dir.getFileName());
  }

  @Override
  public String name() {
    return "hdfs-process-kill-" + durability().name().toLowerCase(Locale.ROOT);
  }

  @Override
  public List<String> command(Path dir, int round) {
    return List.of(HdfsKillChild.class.getName(), hdfs.uri() + hdfsDir(dir).toString(),
        durability().name(), Integer.toString(round), Long.toString(salt()));
  }

  @Override
  Storage storage(Path dir) throws IOException {
    return new HdfsStorage(hdfs.fs(), hdfsDir(dir));
  }
}
