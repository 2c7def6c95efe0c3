/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.receiver.MicroBatchEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The server of {@link ServerCrashIT}, in a JVM of its own so that the test can kill it with
 * {@code kill -9}: an engine on local disk (SYNC) with one {@link IngestServer} on the given
 * loopback port, and a sink that writes each batch's records to {@code sink/<batchTime>.txt}
 * (written aside and renamed, so a batch re-run after a crash replaces its own file). Prints
 * {@code LISTENING} once it serves; stops gracefully when its standard input says {@code stop}.
 * Arguments: directory, port, and optionally the data segment size and the largest block in
 * bytes (default the engine's).
 */
public final class IngestServerProcess {
  private IngestServerProcess() {}

  /**
   * Runs the server until told to stop or killed.
   *
   * @param args directory, port, optionally the data segment size and maxBlockBytes
   * @throws Exception if the engine cannot start
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Path sink = Files.createDirectories(dir.resolve("sink"));
    IngestServer server = IngestServer.builder().port(port).build();
    MicroBatchEngine.Builder builder = MicroBatchEngine.builder();
    if (args.length > 2) {
      builder.dataSegmentSize(Long.parseLong(args[2])).maxBlockBytes(Integer.parseInt(args[3]));
    }
    MicroBatchEngine engine = builder
        .dataStorage(id -> local(dir.resolve("data-" + id)))
        .metadataStorage(local(dir.resolve("metadata")))
        .durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(200))
        .receiver("ingest", server)
        .processor(batch -> {
          String lines = batch.records()
              .map(r -> StandardCharsets.UTF_8.decode(r).toString())
              .collect(Collectors.joining("\n"));
          Path tmp = sink.resolve(batch.batchTime() + ".tmp");
          Files.writeString(tmp, lines);
          Files.move(tmp, sink.resolve(batch.batchTime() + ".txt"),
              StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        })
        .build();
    engine.start();
    System.out.println("LISTENING " + server.localAddress().getPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("stop")) {
      // waits for the parent's word
    }
    engine.stop();
    System.out.println("STOPPED stored=" + server.batchesStored() + " duplicates="
        + server.duplicatesAnswered());
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
