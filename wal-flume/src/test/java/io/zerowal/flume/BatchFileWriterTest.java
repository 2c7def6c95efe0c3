/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.receiver.MemoryStorages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flume.Context;
import org.apache.flume.Sink.Status;
import org.apache.flume.Transaction;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFileWriterTest {
  @TempDir Path out;

  @Test
  void aBatchThatReRunsAfterItsFileWasWrittenReplacesItsOwnFile() throws Exception {
    BatchFileWriter writer = new BatchFileWriter(out);
    AtomicBoolean crashedOnce = new AtomicBoolean();
    List<Long> batchTimes = new ArrayList<>();
    MemoryChannel channel = new MemoryChannel();
    channel.setName("c1");
    Configurables.configure(channel, new Context(Map.of("keep-alive", "0")));
    channel.start();
    ZeroWalSink sink = new ZeroWalSink(batch -> {
      if (batch.recordCount() == 0) {
        // Empty batches run every 10 ms from the start: crashing on one before process() stored
        // the events would fail the wrong engine, and the test would wait for the next for good.
        return;
      }
      writer.process(batch);
      batchTimes.add(batch.batchTime());
      if (crashedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("died after writing, before the batch completed");
      }
    }, new MemoryStorages()::configure);
    sink.setName("k1");
    sink.setChannel(channel);
    sink.configure(new Context(Map.of("directory", "in-memory", "batchIntervalMs", "10",
        "restartBackoffMs", "0")));
    sink.start();
    try {
      Transaction tx = channel.getTransaction();
      tx.begin();
      for (int i = 0; i < 5; i++) {
        channel.put(EventBuilder.withBody("line " + i, StandardCharsets.UTF_8));
      }
      tx.commit();
      tx.close();
      assertThat(sink.process()).isEqualTo(Status.READY);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (sink.engine().isRunning()) { // the first run of the batch fails
        assertThat(System.nanoTime()).isLessThan(deadline);
        sink.engine().awaitTermination(java.time.Duration.ofMillis(50));
      }
      assertThat(sink.process()).isEqualTo(Status.BACKOFF); // a new engine re-runs the batch
    } finally {
      sink.stop();
      channel.stop();
    }

    assertThat(batchTimes).hasSize(2).allMatch(t -> t.equals(batchTimes.get(0)));
    List<Path> files;
    try (Stream<Path> s = Files.list(out)) {
      files = s.toList();
    }
    assertThat(files).containsExactly(writer.fileOf(batchTimes.get(0)));
    assertThat(Files.readAllLines(files.get(0)))
        .containsExactly("line 0", "line 1", "line 2", "line 3", "line 4");
  }
}
