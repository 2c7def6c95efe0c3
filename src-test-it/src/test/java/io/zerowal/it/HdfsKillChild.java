/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.hdfs.HdfsStorage;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;

/**
 * The child JVM of the HDFS crash and fencing tests: opens the log at the HDFS URI {@code args[0]}
 * (lease recovery of what a previous writer left open, then recovery) with durability
 * {@code args[1]}, then appends forever from four threads, half of them paced, reporting on stdout
 * as {@link KillChild} does.
 */
public final class HdfsKillChild {
  private HdfsKillChild() {}

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    int phase = Integer.parseInt(args[2]);
    long salt = Long.parseLong(args[3]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
    WriteAheadLog log = WriteAheadLog.builder(HdfsStorage.open(new Configuration(), uri))
        .durability(durability).segmentSize(64 << 10).maxRecordSize(4096).open();
    KillChild.line(out, "READY");
    KillChild.appendForever(log, phase, salt, true, out);
  }
}
