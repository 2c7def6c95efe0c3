/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

// The README's "Logs on HDFS" example, compiled by the build; ReadmeQuickStartTest keeps the two
// identical. Run it against a cluster: HdfsQuickStart hdfs://namenode:8020/apps/wal/orders
// tag::quickstart[]
import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.hdfs.HdfsStorage;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;

public final class HdfsQuickStart {
  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "hdfs://localhost:8020/apps/wal/demo";
    Configuration conf = new Configuration(); // reads core-site.xml / hdfs-site.xml from the classpath

    // One log: SYNC = hsync (survives a power loss of the cluster), FLUSH = hflush (survives the
    // loss of this machine). Opening takes the log over from a dead or paused writer elsewhere.
    try (WriteAheadLog log = WriteAheadLog.builder(HdfsStorage.open(conf, URI.create(base + "/single")))
        .durability(Durability.SYNC).open()) {
      log.append("hello, HDFS".getBytes(StandardCharsets.UTF_8)).join(); // durable on every datanode
    }

    // The receiver engine with its data and metadata logs on HDFS: a restart on any machine recovers.
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> hdfs(conf, URI.create(base + "/data/" + id)))
        .metadataStorage(hdfs(conf, URI.create(base + "/meta")))
        .batchInterval(Duration.ofSeconds(1))
        .receiver("lines", new Receiver() {
          private final ExecutorService source = Executors.newSingleThreadExecutor();

          @Override public void onStart(ReceiverContext ctx) {
            source.execute(() -> {
              for (int i = 0; i < 1_000 && !ctx.isStopped(); i++) {
                ctx.store(("line " + i).getBytes(StandardCharsets.UTF_8))
                    .thenAccept(block -> { /* durable on HDFS: ack upstream here */ });
              }
            });
          }

          @Override public void onStop() {
            source.shutdownNow();
          }
        })
        .processor(batch -> System.out.println("batch " + batch.batchTime() + ": "
            + batch.recordCount() + " records"))
        .build();
    engine.start();
    Thread.sleep(3_000);
    engine.stop();
  }

  private static HdfsStorage hdfs(Configuration conf, URI dir) {
    try {
      return HdfsStorage.open(conf, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
// end::quickstart[]
