/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.netty.BatchAck;
import io.zerowal.netty.IngestClient;
import io.zerowal.netty.IngestServer;
import io.zerowal.receiver.MicroBatchEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Network ingest through a {@code kill -9}: an {@link IngestServer} in a child JVM (engine on local
 * disk, SYNC, a sink writing one file per batch time), N {@link IngestClient}s in this JVM sending
 * batches of records, the server killed at a random moment and restarted on the same port while
 * the clients retry. At the end it prints what was acked, stored (processed by the sink),
 * duplicated and lost; exit code 1 if anything acknowledged is missing or anything was stored
 * twice.
 *
 * <pre>./mvnw -q -pl examples -am -DskipTests -Pdemo package -Ddemo.main=io.zerowal.examples.IngestDemo</pre>
 * Arguments: {@code [clients (4)] [batches per client (500)] [seed]}.
 */
public final class IngestDemo {
  private static final int RECORDS_PER_BATCH = 100;

  private IngestDemo() {}

  /**
   * Runs the demo, or with {@code server dir port} the server child.
   *
   * @param args {@code [clients] [batches] [seed]}
   * @throws Exception if the demo cannot run
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      runServer(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
    if (clients < 1 || batches < 1) {
      throw new IllegalArgumentException("clients and batches must be at least 1, got " + clients
          + " and " + batches);
    }
    Random random = new Random(seed);
    Path dir = Files.createTempDirectory("zerowal-ingest-demo");
    int port = freePort();
    int killAt = clients * batches / 10 + random.nextInt(Math.max(1, clients * batches / 2));
    System.out.printf("IngestDemo seed %d (replay: pass it as the third argument), %d clients x %d"
        + " batches x %d records, server on 127.0.0.1:%d, kill -9 at %d batches acked, dir %s%n",
        seed, clients, batches, RECORDS_PER_BATCH, port, killAt, dir);

    Process server = startServer(dir, port);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong failed = new AtomicLong();
    AtomicLong duplicateAcks = new AtomicLong();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      senders.add(CompletableFuture.runAsync(() -> send(address, client, batches, acked, failed,
          duplicateAcks)));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acked.size() < killAt && System.nanoTime() < deadline) {
      Thread.sleep(1); // waits for the seeded moment of the crash
    }
    server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    System.out.printf("killed the server (kill -9) with %d batches acked; restarting it%n",
        acked.size());
    Process restarted = startServer(dir, port);
    CompletableFuture.allOf(senders.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.MINUTES);
    try (OutputStream stdin = restarted.getOutputStream()) {
      stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
    }
    if (!restarted.waitFor(60, TimeUnit.SECONDS)) {
      restarted.destroyForcibly();
      System.out.println("the restarted server did not stop; see its output above");
      System.exit(2);
    }

    Map<String, Integer> stored = new HashMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("sink"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isEmpty()) {
            stored.merge(line, 1, Integer::sum);
          }
        }
      }
    }
    long duplicates = stored.values().stream().filter(n -> n > 1).count();
    long lost = acked.stream().flatMap(b -> Stream.iterate(0, i -> i + 1).limit(RECORDS_PER_BATCH)
        .map(i -> b + "-r" + i)).filter(r -> !stored.containsKey(r)).count();
    System.out.printf("produced %d records; acked %d; stored %d; duplicates %d; lost %d"
        + " (batches failed %d, retried batches answered as duplicates %d)%n",
        (long) clients * batches * RECORDS_PER_BATCH, (long) acked.size() * RECORDS_PER_BATCH,
        stored.size(), duplicates, lost, failed.get(), duplicateAcks.get());
    if (lost > 0 || duplicates > 0) {
      System.out.println("FAILED: files kept in " + dir + " (seed " + seed + ")");
      System.exit(1);
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  private static void send(InetSocketAddress address, int client, int batches, Set<String> acked,
      AtomicLong failed, AtomicLong duplicateAcks) {
    try (IngestClient ingest = IngestClient.builder(address).ackTimeout(Duration.ofSeconds(5))
        .deliveryTimeout(Duration.ofMinutes(2)).build()) {
      List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        String id = "c" + client + "-b" + b;
        List<ByteBuffer> records = new ArrayList<>();
        for (int r = 0; r < RECORDS_PER_BATCH; r++) {
          records.add(ByteBuffer.wrap((id + "-r" + r).getBytes(StandardCharsets.UTF_8)));
        }
        acks.add(ingest.send(records).whenComplete((ack, error) -> {
          if (error != null) {
            failed.incrementAndGet();
          } else {
            acked.add(id);
            if (ack.duplicate()) {
              duplicateAcks.incrementAndGet();
            }
          }
        }));
      }
      CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null)
          .join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Process startServer(Path dir, int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.slf4j.simpleLogger.log.io.zerowal.netty=info",
        "-cp", System.getProperty("java.class.path"), IngestDemo.class.getName(), "server",
        dir.toString(), String.valueOf(port))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("LISTENING")) {
      System.out.println("server: " + line);
    }
    if (line == null) {
      throw new IllegalStateException("the server JVM ended before listening; see its output");
    }
    CompletableFuture.runAsync(() -> out.lines().forEach(l -> System.out.println("server: " + l)));
    return p;
  }

  // ---------------------------------------------------------------- the server child

  private static void runServer(Path dir, int port) throws Exception {
    Path sink = Files.createDirectories(dir.resolve("sink"));
    IngestServer server = IngestServer.builder().port(port).build();
    MicroBatchEngine engine = MicroBatchEngine.builder()
        .dataStorage(id -> local(dir.resolve("data").resolve(id)))
        .metadataStorage(local(dir.resolve("metadata")))
        .durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(200))
        .receiver("ingest", server)
        .processor(batch -> {
          // One file per batch time, replaced atomically: a batch re-run after the crash
          // overwrites its own file instead of adding its records twice.
          String text = batch.records().map(r -> StandardCharsets.UTF_8.decode(r).toString())
              .collect(Collectors.joining("\n"));
          Path tmp = sink.resolve(batch.batchTime() + ".tmp");
          Files.writeString(tmp, text);
          Files.move(tmp, sink.resolve(batch.batchTime() + ".txt"),
              StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        })
        .build();
    engine.start();
    System.out.println("LISTENING " + server.localAddress().getPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("stop")) {
      // until the parent says stop (or kills this JVM)
    }
    engine.stop();
    System.out.printf("stopped: %d batches stored, %d retried batches answered as duplicates%n",
        server.batchesStored(), server.duplicatesAnswered());
    System.out.flush();
  }

  private static LocalStorage local(Path path) {
    try {
      return new LocalStorage(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
