/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runs in a child JVM and is killed with {@code kill -9} in the middle of the load,
 * then restarted on the same port; the clients retry. At the end every acknowledged batch is
 * processed exactly once, and nothing is processed twice (the retried batches that the dead
 * server had stored are answered as duplicates by the restarted one).
 */
class ServerCrashIT {
  private static final int CLIENTS = 4;
  private static final int BATCHES = 400;
  private static final int PER_BATCH = 50;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void killedServerRestartsAndEveryAckedBatchIsProcessedExactlyOnce(@TempDir Path dir)
      throws Exception {
    long seed = Long.getLong("it.seed", System.nanoTime());
    Random random = new Random(seed);
    // Killed once this many batches are acked: somewhere in the middle of the load, seeded.
    int killAtAcked = CLIENTS * BATCHES / 10 + random.nextInt(CLIENTS * BATCHES / 2);
    System.out.println("ServerCrashIT seed " + seed + " (replay with -Dit.seed=" + seed
        + "), kill at " + killAtAcked + " batches acked");
    int port = freePort();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

    Process first = startServer(dir, port);
    Set<String> ackedBatches = ConcurrentHashMap.newKeySet();
    AtomicLong failedBatches = new AtomicLong();
    AtomicLong duplicateAcks = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        done.add(senders.submit(() -> {
          try (IngestClient ingest = IngestClient.builder(address)
              .ackTimeout(Duration.ofSeconds(5)).deliveryTimeout(Duration.ofSeconds(90))
              .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500)).build()) {
            List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
              String id = "c" + client + "-b" + b;
              acks.add(ingest.send(IngestFixture.records(id, PER_BATCH)).whenComplete(
                  (ack, error) -> {
                    if (error != null) {
                      failedBatches.incrementAndGet();
                    } else {
                      ackedBatches.add(id);
                      if (ack.duplicate()) {
                        duplicateAcks.incrementAndGet();
                      }
                    }
                  }));
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
                .exceptionally(e -> null).get(120, TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (ackedBatches.size() < killAtAcked && System.nanoTime() < deadline) {
        Thread.sleep(1); // polls the acks to crash at the seeded point; bounded
      }
      assertThat(ackedBatches.size()).as("acked before the kill").isGreaterThanOrEqualTo(
          killAtAcked);
      int ackedBeforeKill = ackedBatches.size();
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      System.out.println("killed the server (kill -9) with " + ackedBeforeKill
          + " batches acked");

      Process second = startServer(dir, port);
      for (Future<?> d : done) {
        d.get(130, TimeUnit.SECONDS);
      }
      try (OutputStream stdin = second.getOutputStream()) {
        stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("restarted server stops").isTrue();
      assertThat(second.exitValue()).isZero();
    } finally {
      senders.shutdownNow();
      first.destroyForcibly();
    }

    Map<String, Integer> processed = new HashMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("sink"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isEmpty()) {
            processed.merge(line, 1, Integer::sum);
          }
        }
      }
    }
    long duplicates = processed.values().stream().filter(n -> n > 1).count();
    long lost = 0;
    for (String batch : ackedBatches) {
      for (int r = 0; r < PER_BATCH; r++) {
        if (!processed.containsKey(batch + "-r" + r)) {
          lost++;
        }
      }
    }
    long produced = (long) CLIENTS * BATCHES * PER_BATCH;
    System.out.printf("produced %d records, acked %d, processed %d, duplicates %d, lost %d,"
        + " failed batches %d, duplicate acks %d%n", produced,
        (long) ackedBatches.size() * PER_BATCH, processed.size(), duplicates, lost,
        failedBatches.get(), duplicateAcks.get());
    assertThat(lost).isZero();
    assertThat(duplicates).isZero();
    assertThat(failedBatches.get()).isZero();
    assertThat(ackedBatches).hasSize(CLIENTS * BATCHES);
    assertThat(processed).hasSize((int) produced);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts the server JVM and waits (bounded) for its LISTENING line. */
  private static Process startServer(Path dir, int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        IngestServerProcess.class.getName(), dir.toString(), String.valueOf(port))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          System.out.println("server: " + line);
          if (line.startsWith("LISTENING")) {
            return line;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    String line = listening.get(60, TimeUnit.SECONDS);
    if (line == null) {
      p.destroyForcibly();
      throw new AssertionError("the server JVM ended before listening");
    }
    // Keeps draining its output so that it never blocks on a full pipe.
    CompletableFuture.runAsync(() -> {
      try {
        String l;
        while ((l = out.readLine()) != null) {
          System.out.println("server: " + l);
        }
      } catch (IOException e) {
        // the process was killed
      }
    });
    return p;
  }
}
