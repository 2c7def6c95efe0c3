/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Sink;
import org.apache.flume.SinkRunner;
import org.apache.flume.Transaction;
import org.apache.flume.channel.file.FileChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.sink.DefaultSinkProcessor;

/**
 * The agent {@link FlumeSinkKillIT} kills: a real {@link FileChannel} and a {@link ZeroWalSink}
 * (SYNC, {@link BatchFileWriter}) run by Flume's own {@link SinkRunner}.
 *
 * <ul>
 *   <li>{@code produce <work> <run>}: a producer thread puts events {@code r<run>-<seq>} into the
 *       channel in transactions of 50 and prints {@code ACKED <run> <seq>} after each commit (the
 *       channel then holds them durably: the test's "produced"), until it is killed (or 120 s).</li>
 *   <li>{@code drain <work>}: no producer; runs the sink until the channel is empty, stops it
 *       gracefully (the engine processes what it stored), prints {@code DRAINED} and exits 0.</li>
 * </ul>
 */
public final class FlumeAgentChild {
  private FlumeAgentChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path work = Path.of(args[1]);
    FileChannel channel = new FileChannel();
    channel.setName("c1");
    Configurables.configure(channel, new Context(Map.of(
        "checkpointDir", work.resolve("channel/checkpoint").toString(),
        "dataDirs", work.resolve("channel/data").toString(),
        "capacity", "2000000",
        "transactionCapacity", "1000",
        "checkpointInterval", "2000",
        "keep-alive", "1")));
    channel.start();

    ZeroWalSink sink = new ZeroWalSink();
    sink.setName("k1");
    sink.setChannel(channel);
    Configurables.configure(sink, new Context(Map.of(
        "directory", work.resolve("wal").toString(),
        "processor", BatchFileWriter.class.getName(),
        "processor.directory", work.resolve("out").toString(),
        "durability", "SYNC",
        "batchSize", "200",
        "batchIntervalMs", "100",
        "restartBackoffMs", "100")));
    if (mode.equals("drain")) {
      sink.start();
      int empty = 0;
      for (int calls = 0; empty < 3; calls++) {
        if (calls > 100_000) {
          throw new IllegalStateException("the channel did not drain in 100000 transactions");
        }
        try {
          empty = sink.process() == Sink.Status.BACKOFF ? empty + 1 : 0;
        } catch (EventDeliveryException e) {
          System.err.println("drain: " + e);
          Thread.sleep(100);
        }
      }
      sink.stop();
      channel.stop();
      System.out.println("DRAINED");
      System.out.flush();
      System.exit(0);
    }

    int run = Integer.parseInt(args[2]);
    DefaultSinkProcessor processor = new DefaultSinkProcessor();
    processor.setSinks(java.util.List.of(sink));
    SinkRunner runner = new SinkRunner(processor);
    runner.start(); // starts the sink processor, which starts the sink
    long end = System.nanoTime() + 120_000_000_000L;
    long seq = 0;
    while (System.nanoTime() < end) {
      Transaction tx = channel.getTransaction();
      tx.begin();
      for (int i = 0; i < 50; i++, seq++) {
        String id = "r" + run + "-" + seq;
        channel.put(EventBuilder.withBody(id, StandardCharsets.UTF_8, Map.of("id", id)));
      }
      tx.commit();
      tx.close();
      System.out.println("ACKED " + run + " " + (seq - 1));
      System.out.flush();
    }
    System.exit(3); // the test kills it long before
  }
}
