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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server ({@link IngestServerProcess}, SYNC on local disk) in a child JVM under hostile
 * limits: a 64 MiB heap, or {@code ulimit -n 256} with hundreds of small segments. Clients send
 * 1 KiB records and one record near the 1 MiB frame limit; the server is stopped and restarted
 * once; every acknowledged record must be in its sink, and the server's output must show no
 * OutOfMemoryError and no "Too many open files".
 */
class HostileServerIT {
  private static final int RECORD = 1024;
  private static final int PER_BATCH = 100;
  private static final int NEAR_MAX = (1 << 20) - 64;

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void ingestWorksInA64MibHeap() throws Exception {
    Outcome o = run(List.of("-Xmx64m"), List.of(), 4, 50, NEAR_MAX);
    assertThat(o.serverOutput).doesNotContain("OutOfMemoryError");
    o.assertEverythingAckedAndProcessed();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void ingestOfHundredsOfSegmentsWorksUnderAUlimitOf256() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    // 128 KiB segments of one ~100 KiB batch each: the ~38 MiB sent make about 380 of them,
    // more than the process may open; the near-max record is near this engine's maxBlockBytes.
    Outcome o = run(List.of("-Xmx256m"),
        List.of(String.valueOf(128 << 10), String.valueOf(120 << 10)), 16, 24, 110 << 10);
    assertThat(o.serverOutput).doesNotContainIgnoringCase("too many open files");
    o.assertEverythingAckedAndProcessed();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void moreConnectionsThanFileDescriptorsLeaveTheServerServingOnceTheyClose() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    int port = freePort();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    StringBuilder output = new StringBuilder();
    Process server = startServer(List.of("-Xmx256m"), List.of(), true, port, output);
    List<java.net.Socket> flood = new ArrayList<>();
    try {
      // 300 idle connections against a limit of 256 descriptors (jars and logs hold some too).
      for (int i = 0; i < 300; i++) {
        java.net.Socket s = new java.net.Socket();
        s.connect(address, 5_000);
        flood.add(s);
      }
      Thread.sleep(500); // lets the server try to accept them all: a state, not an event
      for (java.net.Socket s : flood) {
        s.close();
      }
      flood.clear();
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicLong failed = new AtomicLong();
      try (IngestClient client = IngestClient.builder(address)
          .ackTimeout(Duration.ofSeconds(2)).deliveryTimeout(Duration.ofSeconds(10)).build()) {
        List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
          String id = "after-flood-" + b;
          acks.add(track(client.send(List.of(record(id, RECORD))), List.of(id), acked, failed));
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
            .exceptionally(e -> null).get(40, TimeUnit.SECONDS);
      }
      assertThat(failed.get()).isZero();
      assertThat(acked).hasSize(20);
      stop(server);
    } finally {
      for (java.net.Socket s : flood) {
        s.close();
      }
      server.destroyForcibly();
    }
    String out;
    synchronized (output) {
      out = output.toString();
    }
    assertThat(out).as("the server says why it refused connections")
        .contains("near its limit of open files");
    assertThat(out).as("the engine did not fail").doesNotContain("engine engine failed");
    // Accepting stops before the limit (AcceptGate): the process never ran out of descriptors,
    // not even for a moment that happened to hit no log file.
    assertThat(out).as("the server never reached its limit")
        .doesNotContainIgnoringCase("too many open files").doesNotContain("errno: 24");
  }

  /** What one run produced. */
  private record Outcome(Set<String> acked, long failed, int expected, Set<String> processed,
      String serverOutput) {
    void assertEverythingAckedAndProcessed() {
      Set<String> lost = new HashSet<>(acked);
      lost.removeAll(processed);
      System.out.printf("produced %d records, acked %d, failed batches %d, processed %d,"
          + " lost %d%n", expected, acked.size(), failed, processed.size(), lost.size());
      assertThat(lost).as("acknowledged but not processed").isEmpty();
      assertThat(failed).isZero();
      assertThat(acked).hasSize(expected);
    }
  }

  /**
   * Starts the server with {@code jvmOptions} (under {@code ulimit -n 256} when {@code segment}
   * is given), sends {@code clients} x {@code batches} batches of 1 KiB records and one record of
   * {@code nearMax} bytes, stops the server, starts and stops it again, and reads its sink.
   */
  private Outcome run(List<String> jvmOptions, List<String> segment, int clients, int batches,
      int nearMax) throws Exception {
    int port = freePort();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    StringBuilder output = new StringBuilder();
    boolean ulimit = !segment.isEmpty();
    Process server = startServer(jvmOptions, segment, ulimit, port, output);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong failed = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(senders.submit(() -> {
          try (IngestClient ingest = IngestClient.builder(address)
              .ackTimeout(Duration.ofSeconds(10)).deliveryTimeout(Duration.ofSeconds(60))
              .build()) {
            List<CompletableFuture<BatchAck>> acks = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
              List<String> ids = new ArrayList<>();
              List<ByteBuffer> records = new ArrayList<>();
              for (int r = 0; r < PER_BATCH; r++) {
                String id = "c" + client + "-b" + b + "-r" + r;
                ids.add(id);
                records.add(record(id, RECORD));
              }
              acks.add(track(ingest.send(records), ids, acked, failed));
            }
            if (client == 0) {
              acks.add(track(ingest.send(List.of(record("near-max", nearMax))),
                  List.of("near-max"), acked, failed));
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
                .exceptionally(e -> null).get(90, TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get(100, TimeUnit.SECONDS);
      }
      stop(server);
      // Restarted on what is left: recovery processes whatever the first run had not.
      stop(startServer(jvmOptions, segment, ulimit, port, output));
    } finally {
      senders.shutdownNow();
      server.destroyForcibly();
    }
    Set<String> processed = new HashSet<>();
    try (Stream<Path> files = Files.list(dir.resolve("sink"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
        for (String line : Files.readAllLines(f)) {
          int bar = line.indexOf('|');
          if (bar > 0) {
            processed.add(line.substring(0, bar));
          }
        }
      }
    }
    String out;
    synchronized (output) {
      out = output.toString();
    }
    return new Outcome(acked, failed.get(), clients * batches * PER_BATCH + 1, processed, out);
  }

  private static CompletableFuture<BatchAck> track(CompletableFuture<BatchAck> f,
      List<String> ids, Set<String> acked, AtomicLong failed) {
    return f.whenComplete((ack, error) -> {
      if (error == null) {
        acked.addAll(ids);
      } else {
        failed.incrementAndGet();
        System.out.println("batch failed: " + error);
      }
    });
  }

  private static ByteBuffer record(String id, int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 'x');
    byte[] head = (id + "|").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return ByteBuffer.wrap(bytes);
  }

  private static void stop(Process server) throws Exception {
    try (OutputStream stdin = server.getOutputStream()) {
      stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server stops").isTrue();
    assertThat(server.exitValue()).as("server exit value").isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts the server JVM, its output and errors kept in {@code output}; waits for LISTENING. */
  private Process startServer(List<String> jvmOptions, List<String> extraArgs, boolean ulimit,
      int port, StringBuilder output) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        IngestServerProcess.class.getName(), dir.toString(), String.valueOf(port)));
    command.addAll(extraArgs);
    if (ulimit) {
      List<String> wrapped = new ArrayList<>(List.of("/bin/bash", "-c",
          "ulimit -n 256 && exec \"$@\"", "bash"));
      wrapped.addAll(command);
      command = wrapped;
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    CompletableFuture<Boolean> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (line.startsWith("LISTENING")) {
            listening.complete(true);
          } else if (!line.contains(" DEBUG ")) {
            System.out.println("server: " + line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      listening.complete(false);
    });
    reader.setDaemon(true);
    reader.start();
    if (!listening.get(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the server JVM ended before listening:\n" + output);
    }
    return p;
  }
}
