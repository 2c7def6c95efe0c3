/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.hdfs.HdfsStorage;
import io.zerowal.hdfs.MiniHdfs;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the cluster under a live log: a datanode dies while four threads append with SYNC, and
 * the NameNode restarts under an open log (between two rounds of appends) and between sessions. One MiniDFSCluster (3 datanodes,
 * replication 3, best-effort datanode replacement); the NameNode test runs first, while all three
 * datanodes are up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HdfsClusterFaultIT {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startCluster() throws IOException {
    hdfs = MiniHdfs.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private static WriteAheadLog open(Path dir) throws IOException {
    return WriteAheadLog.builder(new HdfsStorage(hdfs.fs(), dir)).durability(Durability.SYNC)
        .segmentSize(256 << 10).maxRecordSize(4096).open();
  }

  @Test
  @Order(1)
  void aNameNodeRestartUnderAnOpenLogAndBetweenSessionsLosesNothing() throws Exception {
    long seed = Settings.seed();
    Summary summary = new Summary("hdfs-namenode-restart", "-Dit.test=HdfsClusterFaultIT");
    Ledger ledger = new Ledger(seed, 1000);
    Path dir = new Path("/it/namenode-restart");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      try (WriteAheadLog log = open(dir)) {
        assertThat(new Appenders().start(pool, log, ledger, 0, 4, 500, 16).awaitAll()).isNull();
        hdfs.cluster().restartNameNode(true); // the segment stays open for write meanwhile
        // The same log goes on: hflush/hsync of the open segment, rolls (creates) on the new NameNode.
        assertThat(new Appenders().start(pool, log, ledger, 1, 4, 500, 16).awaitAll()).isNull();
      }
      hdfs.cluster().restartNameNode(true);
      try (WriteAheadLog log = open(dir)) {
        assertThat(new Appenders().start(pool, log, ledger, 2, 4, 500, 16).awaitAll()).isNull();
      }
      try (WriteAheadLog log = open(dir)) {
        LogAudit audit = LogAudit.of(log, ledger, 0);
        summary.run(seed, ledger.ackedCount(), audit);
        assertThat(ledger.ackedCount()).isEqualTo(6_000);
      }
    } finally {
      pool.shutdownNow();
    }
    summary.note("NameNode restarted once under the open log, once between sessions");
    summary.finish();
  }

  @Test
  @Order(2)
  void appendsContinueWhileADatanodeDiesAndEveryAcknowledgedRecordSurvives() throws Exception {
    long seed = Settings.seed();
    Summary summary = new Summary("hdfs-datanode-loss", "-Dit.test=HdfsClusterFaultIT");
    Ledger ledger = new Ledger(seed, 1000);
    Path dir = new Path("/it/datanode-loss");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    int ackedBeforeStop;
    int ackedAfterStop;
    try {
      try (WriteAheadLog log = open(dir)) {
        Appenders appenders = new Appenders().start(pool, log, ledger, 0, 4, Integer.MAX_VALUE, 16);
        Thread.sleep(1_500);
        ackedBeforeStop = ledger.ackedCount();
        hdfs.cluster().stopDataNode(0);
        Thread.sleep(3_000);
        appenders.stop.set(true);
        assertThat(appenders.awaitAll()).isNull();
        ackedAfterStop = ledger.ackedCount() - ackedBeforeStop;
        long key = Payloads.key(1, 0, 0); // the log still takes appends: it was never poisoned
        ledger.acked(key, log.append(ledger.submit(key)).get(30, TimeUnit.SECONDS));
      }
      try (WriteAheadLog log = open(dir)) {
        LogAudit audit = LogAudit.of(log, ledger, 0);
        summary.run(seed, ledger.ackedCount(), audit);
      }
    } finally {
      pool.shutdownNow();
    }
    summary.note("acked before the datanode stopped=" + ackedBeforeStop + ", after=" + ackedAfterStop);
    summary.finish();
    assertThat(ackedBeforeStop).isPositive();
    assertThat(ackedAfterStop).isPositive();
  }
}
