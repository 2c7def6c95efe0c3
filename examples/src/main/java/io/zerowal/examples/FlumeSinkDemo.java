/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import io.zerowal.flume.ZeroWalSink;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.apache.flume.Context;
import org.apache.flume.SinkRunner;
import org.apache.flume.Transaction;
import org.apache.flume.channel.file.FileChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.sink.DefaultSinkProcessor;

/**
 * A Flume agent built in code from the same keys an agent properties file holds: a durable
 * {@link FileChannel} and a {@link ZeroWalSink} whose processor writes one file per batch. Events
 * put into the channel are committed there; the sink takes them, stores them durably in its
 * ZeroWAL logs, commits the channel transaction, and every second the engine writes a batch file.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am -DskipTests -Pdemo package
 * -Ddemo.main=io.zerowal.examples.FlumeSinkDemo -Ddemo.args="events dir"} (defaults: 20000 events,
 * target/flume-demo, emptied first). Kill it with {@code kill -9} half-way and run it with
 * {@code events = 0} on the same directory: the channel and the sink recover, and every event
 * the channel had committed ends in a batch file.
 */
public final class FlumeSinkDemo {
  // What an agent's properties file would say (flume-ng agent -n agent -f agent.properties),
  // with the source left out: this demo puts the events into the channel itself.
  private static final String AGENT_PROPERTIES = """
      agent.channels = c1
      agent.sinks = k1
      agent.channels.c1.type = file
      agent.channels.c1.checkpointDir = ${dir}/channel/checkpoint
      agent.channels.c1.dataDirs = ${dir}/channel/data
      agent.channels.c1.minimumRequiredSpace = 1048576
      agent.sinks.k1.type = io.zerowal.flume.ZeroWalSink
      agent.sinks.k1.channel = c1
      agent.sinks.k1.directory = ${dir}/wal
      agent.sinks.k1.durability = SYNC
      agent.sinks.k1.batchSize = 500
      agent.sinks.k1.batchIntervalMs = 1000
      agent.sinks.k1.processor = io.zerowal.flume.BatchFileWriter
      agent.sinks.k1.processor.directory = ${dir}/out
      """;

  private FlumeSinkDemo() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path dir = Path.of(args.length > 1 ? args[1] : "target/flume-demo").toAbsolutePath();
    if (events > 0) {
      deleteRecursively(dir); // a fresh run; events = 0 recovers what a killed run left
    }
    Properties agent = new Properties();
    agent.load(new StringReader(AGENT_PROPERTIES.replace("${dir}", dir.toString())));

    FileChannel channel = new FileChannel();
    channel.setName("c1");
    Configurables.configure(channel, component(agent, "agent.channels.c1."));
    channel.start();
    ZeroWalSink sink = new ZeroWalSink();
    sink.setName("k1");
    sink.setChannel(channel);
    Configurables.configure(sink, component(agent, "agent.sinks.k1."));
    DefaultSinkProcessor sinks = new DefaultSinkProcessor();
    sinks.setSinks(List.of(sink));
    SinkRunner runner = new SinkRunner(sinks);
    runner.start(); // starts the sink: its engine recovers the logs first

    long start = System.nanoTime();
    for (int i = 0; i < events; i += 100) { // the "source": transactions of 100 events
      Transaction tx = channel.getTransaction();
      tx.begin();
      for (int j = i; j < Math.min(events, i + 100); j++) {
        channel.put(EventBuilder.withBody("event " + j, StandardCharsets.UTF_8,
            Map.of("id", Integer.toString(j))));
      }
      tx.commit(); // durable in the FileChannel: the source may acknowledge its client now
      tx.close();
    }
    System.out.printf("put %d events into the FileChannel in %d ms%n", events,
        (System.nanoTime() - start) / 1_000_000);

    // Wait until the sink finds the channel empty (its counter, as Flume's monitoring shows it),
    // then stop: the sink's stop processes what it stored in a last batch.
    long emptyTakes = emptyTakes();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (emptyTakes() == emptyTakes && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    runner.stop();
    channel.stop();
    long written = linesWritten(dir.resolve("out"));
    System.out.printf("%d events in %d batch files under %s (%d ms)%n", written,
        countFiles(dir.resolve("out")), dir.resolve("out"), (System.nanoTime() - start) / 1_000_000);
  }

  /** Transactions in which the sink found the channel empty: Flume's SinkCounter, over JMX. */
  private static long emptyTakes() throws Exception {
    return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(
        new ObjectName("org.apache.flume.sink:type=k1"), "BatchEmptyCount");
  }

  /** The keys under {@code prefix}, prefix stripped: what Flume hands a component's configure. */
  private static Context component(Properties agent, String prefix) {
    Map<String, String> keys = new HashMap<>();
    for (String name : agent.stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        keys.put(name.substring(prefix.length()), agent.getProperty(name));
      }
    }
    return new Context(keys);
  }

  private static long linesWritten(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
        try (Stream<String> lines = Files.lines(f)) {
          n += lines.count();
        }
      }
    }
    return n;
  }

  private static long countFiles(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(p -> p.toString().endsWith(".txt")).count();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
