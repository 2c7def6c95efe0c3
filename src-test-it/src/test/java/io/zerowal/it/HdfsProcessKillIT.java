/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.hdfs.MiniHdfs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A writer on HDFS killed with {@code kill -9}: child JVMs ({@link HdfsKillChild}) append to a log in
 * a MiniDFSCluster (3 datanodes, replication 3) and are killed at random moments; after each kill
 * the parent, another HDFS client, opens the log (recovering the dead writer's leases) and audits
 * every acknowledged record: present, in order, byte-identical, no phantom. The third scenario is
 * the receiver engine with its data and metadata logs on HDFS: every acknowledged record in a
 * completed batch after the restart.
 */
class HdfsProcessKillIT {
  @Test
  void everyAcknowledgedRecordSurvivesKill9OfAWriterOnHdfs() throws Exception {
    int kills = Settings.count("it.hdfs.kill.count", 15);
    long seed = Settings.seed();
    try (MiniHdfs hdfs = MiniHdfs.start(3)) {
      ProcessKillIT.runKills(List.of(new HdfsLogKillScenario(Durability.FLUSH, seed, hdfs),
          new HdfsLogKillScenario(Durability.SYNC, seed + 1, hdfs),
          new HdfsReceiverKillScenario(seed + 2, hdfs)), kills, seed,
          "-Dit.test=HdfsProcessKillIT -Dit.seed=SEED -Dit.hdfs.kill.count=" + kills);
    }
  }
}
