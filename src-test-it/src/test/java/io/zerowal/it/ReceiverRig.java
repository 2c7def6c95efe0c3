/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.receiver.Batch;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The receiver engine as {@link ReceiverKillChild} runs it and as the parent restarts it: SYNC logs
 * under one directory, 200 ms batches (so kills often land inside one), and a sink that writes each
 * batch's keys to {@code sink/<batchTime>.batch} by write-then-rename, so a re-run of the same batch
 * time replaces the file, as a de-duplicating sink would.
 */
final class ReceiverRig {
  static final String RECEIVER = "source";

  private ReceiverRig() {}

  static MicroBatchEngine engine(Path dir, Receiver receiver) {
    return engine(dir, receiver, name -> local(dir.resolve(name)));
  }

  /**
   * The engine with its logs in {@code logs.apply("data-<receiver>")} and {@code logs.apply("meta")}
   * (HDFS, for the HDFS scenario), its sink still under {@code dir}.
   */
  static MicroBatchEngine engine(Path dir, Receiver receiver, Function<String, Storage> logs) {
    return MicroBatchEngine.builder()
        .dataStorage(id -> logs.apply("data-" + id))
        .metadataStorage(logs.apply("meta"))
        .batchInterval(Duration.ofMillis(200)).blockInterval(Duration.ofMillis(20))
        .durability(Durability.SYNC)
        .dataSegmentSize(1 << 20).metadataSegmentSize(1 << 20).maxBlockBytes(256 << 10)
        .receiver(RECEIVER, receiver)
        .processor(batch -> sink(dir.resolve("sink"), batch))
        .build();
  }

  /** Writes the batch's keys, one hex key per line, {@code CORRUPT} for a payload that does not check out. */
  private static void sink(Path sinkDir, Batch batch) throws IOException, InterruptedException {
    Files.createDirectories(sinkDir);
    StringBuilder lines = new StringBuilder();
    batch.records().forEach(b -> {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      long key = Payloads.parse(bytes);
      lines.append(key == -1 ? "CORRUPT" : Long.toHexString(key)).append('\n');
    });
    Path tmp = sinkDir.resolve(batch.batchTime() + ".tmp");
    Files.writeString(tmp, lines, StandardCharsets.US_ASCII);
    Files.move(tmp, sinkDir.resolve(batch.batchTime() + ".batch"),
        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Thread.sleep(20); // a slower sink widens the window in which a kill lands mid-batch
  }

  /** Every key in the sink's completed batch files; {@code corrupt[0]} counts CORRUPT lines. */
  static Set<Long> processedKeys(Path dir, long[] corrupt) throws IOException {
    Set<Long> keys = new HashSet<>();
    Path sinkDir = dir.resolve("sink");
    if (!Files.isDirectory(sinkDir)) {
      return keys;
    }
    try (Stream<Path> files = Files.list(sinkDir)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".batch"))::iterator) {
        for (String line : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
          if (line.equals("CORRUPT")) {
            corrupt[0]++;
          } else if (!line.isEmpty()) {
            keys.add(Long.parseUnsignedLong(line, 16));
          }
        }
      }
    }
    return keys;
  }

  static byte[] payload(long key, long salt) {
    return Payloads.expected(key, salt, 200);
  }

  static ByteBuffer buffer(long key, long salt) {
    return ByteBuffer.wrap(payload(key, salt));
  }

  static LocalStorage local(Path p) {
    try {
      return new LocalStorage(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
