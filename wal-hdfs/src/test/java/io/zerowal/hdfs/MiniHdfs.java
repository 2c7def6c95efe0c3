/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.hdfs;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * An in-process HDFS for tests: a NameNode and datanodes on loopback, replication 3, a 1 s
 * heartbeat (lease and block recovery then take about a second instead of about three), and the
 * best-effort datanode replacement that a 3-datanode cluster needs to keep writing when one dies.
 * Start one per test class: it takes 3 to 7 s.
 */
public final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;
  private final Configuration conf;

  private MiniHdfs(MiniDFSCluster cluster, Configuration conf) {
    this.cluster = cluster;
    this.conf = conf;
  }

  /** Starts a cluster of {@code datanodes} datanodes under {@code target/minidfs}. */
  public static MiniHdfs start(int datanodes) throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/minidfs/" + UUID.randomUUID()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    conf.setInt("dfs.replication", Math.min(3, datanodes));
    conf.setLong("dfs.heartbeat.interval", 1);
    conf.setBoolean(HdfsStorage.BEST_EFFORT, true);
    // The datanodes and the NameNode listen on loopback only.
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.setInt("dfs.namenode.handler.count", 4);
    conf.setInt("dfs.datanode.handler.count", 4);
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(datanodes).build();
    cluster.waitActive();
    return new MiniHdfs(cluster, conf);
  }

  /** The cluster's configuration, for clients. */
  public Configuration conf() {
    return new Configuration(conf);
  }

  /** {@code hdfs://127.0.0.1:port}. */
  public URI uri() {
    return cluster.getURI();
  }

  /** The cluster's shared client (one HDFS client name). */
  public DistributedFileSystem fs() throws IOException {
    return cluster.getFileSystem();
  }

  /** A new HDFS client, as another process would have: its own client name and leases. */
  public DistributedFileSystem newClient() throws IOException {
    return (DistributedFileSystem) FileSystem.newInstance(uri(), conf());
  }

  public MiniDFSCluster cluster() {
    return cluster;
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
