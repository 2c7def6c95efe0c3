/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.hdfs.MiniHdfs;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.util.WriteAheadLogRecordHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An {@code hdfs://} directory goes to HdfsStorage: the same semantics on a MiniDFSCluster. */
class ZeroWalSparkLogHdfsTest {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    hdfs = MiniHdfs.start(1);
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private static SparkConf conf() {
    return new SparkConf(false).set(ZeroWalSparkLog.DURABILITY, "SYNC")
        .set(ZeroWalSparkLog.SEGMENT_SIZE, "4096").set(ZeroWalSparkLog.MAX_RECORD_SIZE, "1k")
        .set("spark.hadoop.dfs.replication", "1");
  }

  private static String string(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return new String(a, UTF_8);
  }

  private static String block(int i) {
    return "block-" + i + "-" + "p".repeat(100);
  }

  @Test
  void writeReadReadAllCleanAndReadOnlyReadOnHdfs() throws Exception {
    String dir = hdfs.uri() + "/apps/spark-wal/receiver-0";
    ZeroWalSparkLog log = new ZeroWalSparkLog(conf(), dir);
    List<WriteAheadLogRecordHandle> handles = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      handles.add(ZeroWalSparkLogTest.roundTrip(
          log.write(ByteBuffer.wrap(block(i).getBytes(UTF_8)), 1_000 + i)));
    }
    assertThat(log.directory()).startsWith("hdfs://");
    assertThat(string(log.read(handles.get(5)))).isEqualTo(block(5));
    log.clean(1_060, true);
    List<String> left = new ArrayList<>();
    log.readAll().forEachRemaining(b -> left.add(string(b)));
    assertThat(left).hasSizeLessThan(120).contains(block(60)).endsWith(block(119));
    assertThat(hdfs.fs().listStatus(new Path(dir))).isNotEmpty();
    log.close();

    ZeroWalSparkLog reader = new ZeroWalSparkLog(conf(), hdfs.uri() + "/apps/spark-wal/none");
    assertThat(string(reader.read(handles.get(100)))).isEqualTo(block(100));
    reader.close();
    assertThat(hdfs.fs().exists(new Path(hdfs.uri() + "/apps/spark-wal/none"))).isFalse();

    ZeroWalSparkLog reopened = new ZeroWalSparkLog(conf(), dir);
    List<String> again = new ArrayList<>();
    reopened.readAll().forEachRemaining(b -> again.add(string(b)));
    assertThat(again).isEqualTo(left);
    reopened.close();
  }
}
