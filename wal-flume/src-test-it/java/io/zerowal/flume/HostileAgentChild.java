/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Sink;
import org.apache.flume.Transaction;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;

/**
 * The agent {@link FlumeSinkHostileIT} runs under a tiny heap or few file descriptors: a
 * {@link MemoryChannel} and a {@link ZeroWalSink} (SYNC, {@link BatchFileWriter}) configured by
 * keys, driven by {@code process()} on the main thread.
 *
 * <p>Arguments: {@code <work> <events> <bodyBytes> <bigBodyBytes> <dataSegmentSize>
 * <maxBlockBytes> <batchIntervalMs>}. Puts {@code events} events {@code e-<seq>} of
 * {@code bodyBytes} (and, in the middle, one event {@code big} of {@code bigBodyBytes}) in
 * transactions of 100, runs the sink after each, prints {@code ACKED <n>} for the events the sink
 * committed, stops the sink gracefully and prints {@code DONE}. Exits 0 only if all went well.
 */
public final class HostileAgentChild {
  private HostileAgentChild() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int events = Integer.parseInt(args[1]);
    int bodyBytes = Integer.parseInt(args[2]);
    int bigBodyBytes = Integer.parseInt(args[3]);
    MemoryChannel channel = new MemoryChannel();
    channel.setName("c1");
    Configurables.configure(channel, new Context(Map.of("capacity", "1000",
        "transactionCapacity", "1000", "byteCapacity", "200000000", "keep-alive", "0")));
    channel.start();
    ZeroWalSink sink = new ZeroWalSink();
    sink.setName("k1");
    sink.setChannel(channel);
    Configurables.configure(sink, new Context(Map.of(
        "directory", work.resolve("wal").toString(),
        "processor", BatchFileWriter.class.getName(),
        "processor.directory", work.resolve("out").toString(),
        "durability", "SYNC",
        "batchSize", "100",
        "dataSegmentSize", args[4],
        "maxBlockBytes", args[5],
        "batchIntervalMs", args[6],
        "restartBackoffMs", "100")));
    sink.start();
    long acked = 0;
    int seq = 0;
    while (seq < events) {
      Transaction tx = channel.getTransaction();
      tx.begin();
      for (int i = 0; i < 100 && seq < events; i++, seq++) {
        String id = seq == events / 2 ? "big" : "e-" + seq;
        int size = seq == events / 2 ? bigBodyBytes : bodyBytes;
        byte[] body = Arrays.copyOf(id.getBytes(StandardCharsets.UTF_8), Math.max(size, 8));
        Arrays.fill(body, id.length(), body.length, (byte) 'x');
        channel.put(EventBuilder.withBody(body, Map.of("id", id)));
      }
      tx.commit();
      tx.close();
      drain(sink); // returns once the channel is empty: the sink committed everything put
      acked = seq;
      System.out.println("ACKED " + acked);
    }
    sink.stop();
    channel.stop();
    System.out.println("DONE " + acked);
    System.out.flush();
    System.exit(acked == events ? 0 : 4);
  }

  /** Runs the sink until the channel is empty. */
  private static void drain(ZeroWalSink sink) throws InterruptedException {
    for (int failures = 0; ; ) {
      try {
        if (sink.process() == Sink.Status.BACKOFF) {
          return;
        }
      } catch (EventDeliveryException e) {
        System.out.println("FAILED " + e);
        if (++failures > 20) {
          throw new IllegalStateException("the sink failed 20 times in a row", e);
        }
        Thread.sleep(100);
      }
    }
  }
}
