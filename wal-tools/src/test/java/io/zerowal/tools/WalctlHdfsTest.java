/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.WriteAheadLog;
import io.zerowal.hdfs.HdfsStorage;
import io.zerowal.hdfs.MiniHdfs;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** walctl on a log in HDFS: the same commands, the storage chosen by the hdfs:// scheme. */
class WalctlHdfsTest {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startCluster() throws Exception {
    hdfs = MiniHdfs.start(1);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Walctl.commandLine(new ByteArrayOutputStream());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new String[] {String.valueOf(exit), out.toString(), err.toString()};
  }

  @Test
  void inspectVerifyAndDumpReadALogInHdfsWithoutWritingToIt() throws Exception {
    URI log = URI.create(hdfs.uri() + "/logs/orders");
    try (WriteAheadLog wal = WriteAheadLog.builder(HdfsStorage.open(hdfs.conf(), log)).open()) {
      for (int i = 0; i < 5; i++) {
        wal.append(("order " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).join();
      }
    }
    long modified = hdfs.fs().getFileStatus(new Path(log)).getModificationTime();

    String[] inspect = run("inspect", log.toString());
    String[] verify = run("verify", log.toString());
    String[] dump = run("dump", "--from", "3", log.toString());

    assertThat(inspect[0]).as(inspect[2]).isEqualTo("0");
    assertThat(inspect[1]).contains("records 5, first sequence 0, next sequence 5");
    assertThat(verify[0]).as(verify[2]).isEqualTo("0");
    assertThat(verify[1]).contains("OK: 1 segments, 5 records checked");
    assertThat(dump[1].lines().toList()).hasSize(2).last().asString().contains("payload=\"order 4\"");
    assertThat(hdfs.fs().getFileStatus(new Path(log)).getModificationTime())
        .as("the directory was not changed").isEqualTo(modified);
  }

  @Test
  void trackerReadsAnEnginesMetadataLogInHdfs() throws Exception {
    String base = hdfs.uri() + "/engines/shop";
    WalctlTrackerTest.Source source = new WalctlTrackerTest.Source();
    java.util.concurrent.CountDownLatch processed = new java.util.concurrent.CountDownLatch(2);
    io.zerowal.receiver.MicroBatchEngine engine = io.zerowal.receiver.MicroBatchEngine.builder()
        .dataStorage(id -> open(URI.create(base + "/" + id)))
        .metadataStorage(open(URI.create(base + "/meta")))
        .receiver("clicks", source).batchInterval(java.time.Duration.ofMillis(20))
        .processor(batch -> batch.blocks().forEach(b -> processed.countDown())).build();
    engine.start();
    try {
      source.store("c-1", "c-2");
      source.store("c-3");
      assertThat(processed.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      engine.stop();
    }

    String[] tracker = run("tracker", base + "/meta");

    assertThat(tracker[0]).as(tracker[2]).isEqualTo("0");
    assertThat(tracker[1]).contains("pending batches: none").containsPattern("clicks +2 +0 +0 +0 +-");
  }

  private static io.zerowal.core.storage.Storage open(URI uri) {
    try {
      return HdfsStorage.open(hdfs.conf(), uri);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aMissingHdfsDirectoryIsAnErrorAndIsNotCreated() throws Exception {
    URI missing = URI.create(hdfs.uri() + "/logs/nope");

    String[] r = run("inspect", missing.toString());

    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("no log directory");
    assertThat(hdfs.fs().exists(new Path(missing))).isFalse();
  }
}
