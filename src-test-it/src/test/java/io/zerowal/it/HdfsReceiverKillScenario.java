/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.hdfs.HdfsStorage;
import io.zerowal.hdfs.MiniHdfs;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The receiver engine with its data and metadata logs on HDFS, under kill -9: {@link ReceiverKillChild}
 * runs it against the parent's MiniDFSCluster; after each kill the parent, another HDFS client,
 * restarts the engine on the same HDFS logs (recovering the dead child's leases) and checks that
 * every acknowledged record is in a completed batch of the sink (local: the sink is the outside
 * world).
 */
final class HdfsReceiverKillScenario extends ReceiverKillScenario {
  private final MiniHdfs hdfs;

  HdfsReceiverKillScenario(long salt, MiniHdfs hdfs) {
    super(salt);
    this.hdfs = hdfs;
  }

  @Override
  public String name() {
    return "hdfs-process-kill-receiver";
  }

  @Override
  public List<String> command(Path dir, int round) {
    return List.of(ReceiverKillChild.class.getName(), dir.toString(), Integer.toString(round),
        Long.toString(salt()), hdfs.uri() + HdfsLogKillScenario.hdfsDir(dir).toString());
  }

  @Override
  MicroBatchEngine restart(Path dir, Receiver idle) {
    return ReceiverRig.engine(dir, idle, name -> {
      try {
        return new HdfsStorage(hdfs.fs(), new org.apache.hadoop.fs.Path(
            HdfsLogKillScenario.hdfsDir(dir), name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
