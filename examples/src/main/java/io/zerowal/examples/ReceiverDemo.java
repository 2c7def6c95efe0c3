/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.receiver.Batch;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Kill -9 in the middle of a stream, restart, and check that nothing acknowledged was lost.
 *
 * <p>The parent runs a child JVM with a {@link MicroBatchEngine} (1 s batches, SYNC) and a counter
 * source that behaves like a Kafka consumer: it appends every record id it got acknowledged (store
 * future completed) to {@code acks.txt}, its committed offsets, and after a restart resumes at the
 * highest acknowledged id + 1. The sink writes one file per batch named by the batch time, so a
 * re-run batch overwrites its own file. The parent kills the child with {@code destroyForcibly()}
 * at a random moment, restarts it, lets it finish gracefully, and checks every acknowledged id
 * against the sink files. Exit code 1 if any acknowledged record is missing.
 *
 * <pre>./mvnw -q -pl examples -am -DskipTests -Preceiver-demo package</pre>
 * Arguments: {@code [seed]}.
 */
public final class ReceiverDemo {
  private ReceiverDemo() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      runChild(Path.of(args[1]), Long.parseLong(args[2]));
      return;
    }
    long seed = args.length > 0 ? Long.parseLong(args[0]) : System.nanoTime();
    Random random = new Random(seed);
    Path dir = Files.createTempDirectory("zerowal-receiver-demo");
    System.out.println("ReceiverDemo seed " + seed + " (replay: pass it as the argument), dir " + dir);

    long killAfter = 3000 + random.nextInt(5000);
    Process first = child(dir, 0);
    Thread.sleep(killAfter);
    first.destroyForcibly().waitFor();
    System.out.printf("killed the engine (kill -9) after %d ms, %d ids acked so far%n", killAfter,
        readIds(dir.resolve("acks.txt")).size());

    Process second = child(dir, 5);
    if (!second.waitFor(60, TimeUnit.SECONDS) || second.exitValue() != 0) {
      second.destroyForcibly();
      System.out.println("the restarted engine failed; see its output above");
      System.exit(2);
    }

    Set<Long> acked = readIds(dir.resolve("acks.txt"));
    Set<Long> processed = new HashSet<>();
    try (Stream<Path> files = Files.list(dir.resolve("sink"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".txt"))
          .collect(Collectors.toList())) {
        processed.addAll(readIds(f));
      }
    }
    long reruns = Files.exists(dir.resolve("reruns.txt"))
        ? Files.readAllLines(dir.resolve("reruns.txt")).size() : 0;
    Set<Long> lost = new HashSet<>(acked);
    lost.removeAll(processed);
    System.out.printf("acked %d, processed %d distinct, lost %d, re-run batches %d%n", acked.size(),
        processed.size(), lost.size(), reruns);
    if (!lost.isEmpty()) {
      System.out.println("LOST acknowledged ids, e.g. " + lost.stream().sorted().limit(10)
          .collect(Collectors.toList()) + " (seed " + seed + ", files in " + dir + ")");
      System.exit(1);
    }
    deleteRecursively(dir);
  }

  private static Process child(Path dir, long finishAfterSeconds) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.slf4j.simpleLogger.log.io.zerowal.receiver=info", "-cp", System.getProperty("java.class.path"),
        ReceiverDemo.class.getName(), "child", dir.toString(), Long.toString(finishAfterSeconds))
        .inheritIO().start();
  }

  // ---------------------------------------------------------------- the child: engine, source, sink

  /** Runs the engine; with {@code finishAfterSeconds > 0} stops gracefully after that long. */
  private static void runChild(Path dir, long finishAfterSeconds) throws Exception {
    Path sink = Files.createDirectories(dir.resolve("sink"));
    CounterSource source = new CounterSource(dir.resolve("acks.txt"));
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> local(dir.resolve("data").resolve(id)))
        .metadataStorage(local(dir.resolve("metadata")))
        .durability(Durability.SYNC)
        .batchInterval(Duration.ofSeconds(1))
        .receiver("counter", source)
        .processor(batch -> writeBatch(sink, dir.resolve("reruns.txt"), batch))
        .build();
    engine.start();
    System.out.printf("child: engine started, source resumes at id %d%n", source.next);
    if (finishAfterSeconds > 0) {
      Thread.sleep(finishAfterSeconds * 1000);
      engine.stop();
      System.out.printf("child: stopped gracefully after %d batches (%s)%n",
          engine.batchesCompleted(), engine.receiverStats().get("counter"));
    } else {
      Thread.sleep(Long.MAX_VALUE); // until killed
    }
  }

  /**
   * One file per batch, named by batch time, replaced atomically: a re-run overwrites it. Takes
   * 400 ms, like a sink writing to a remote store, so that a kill often lands inside a batch.
   */
  private static void writeBatch(Path sink, Path reruns, Batch batch)
      throws IOException, InterruptedException {
    Thread.sleep(400);
    StringBuilder text = new StringBuilder();
    batch.records().forEach(r -> text.append(r.getLong(0)).append('\n'));
    Path tmp = sink.resolve("batch-" + batch.batchTime() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, sink.resolve("batch-" + batch.batchTime() + ".txt"),
        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (batch.isRecovered()) {
      Files.writeString(reruns, batch.batchTime() + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      System.out.printf("child: re-ran batch %d with %d records%n", batch.batchTime(),
          batch.recordCount());
    }
  }

  /**
   * Counts upward, 100 ids every 5 ms; like a Kafka consumer it commits (appends to the ack file)
   * only what the engine acknowledged, and resumes after the highest committed id.
   */
  static final class CounterSource implements Receiver {
    private final OutputStream acks;
    final long next;
    private volatile boolean stop;
    private Thread thread;

    CounterSource(Path ackFile) throws IOException {
      Set<Long> done = readIds(ackFile);
      this.next = done.isEmpty() ? 0 : done.stream().mapToLong(Long::longValue).max().getAsLong() + 1;
      this.acks = new FileOutputStream(ackFile.toFile(), true);
    }

    @Override
    public void onStart(ReceiverContext context) {
      thread = new Thread(() -> {
        long id = next;
        while (!stop && !context.isStopped()) {
          List<ByteBuffer> records = new ArrayList<>();
          StringBuilder ids = new StringBuilder();
          for (int i = 0; i < 100; i++, id++) {
            records.add(ByteBuffer.allocate(8).putLong(0, id));
            ids.append(id).append('\n');
          }
          byte[] line = ids.toString().getBytes(StandardCharsets.UTF_8);
          context.store(records).thenRun(() -> commit(line));
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "counter-source");
      thread.start();
    }

    private synchronized void commit(byte[] line) {
      try {
        acks.write(line); // one write(2): survives the kill of this process
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void onStop() {
      stop = true;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- files

  private static LocalStorage local(Path p) {
    try {
      return new LocalStorage(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Set<Long> readIds(Path file) throws IOException {
    Set<Long> ids = new HashSet<>();
    if (!Files.exists(file)) {
      return ids;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        ids.add(Long.parseLong(line.trim()));
      }
    }
    return ids;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
