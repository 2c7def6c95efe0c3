/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import io.zerowal.receiver.BlockInfo;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code walctl tracker} on the metadata logs of real engines run by these tests: stopped cleanly,
 * crashed with a batch running (the files as a killed process leaves them, torn tail included),
 * damaged mid-log, and a log that is not an engine's.
 */
class WalctlTrackerTest {
  private static final long WAIT = 30;

  @TempDir Path root;

  record Run(int exit, String out, String err) {}

  private static Run walctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Walctl.commandLine(new ByteArrayOutputStream());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A receiver the test drives through its context. */
  static final class Source implements Receiver {
    volatile ReceiverContext context;

    @Override
    public void onStart(ReceiverContext context) {
      this.context = context;
    }

    @Override
    public void onStop() {}

    BlockInfo store(String... records) throws Exception {
      List<ByteBuffer> list = Stream.of(records)
          .map(r -> ByteBuffer.wrap(r.getBytes(StandardCharsets.UTF_8))).toList();
      return context.store(list).get(WAIT, TimeUnit.SECONDS);
    }
  }

  private MicroBatchEngine.Builder engine(Path dir, Source a, Source b) {
    Function<String, Storage> storages = LocalStorage.under(dir);
    return MicroBatchEngine.builder().dataStorage(storages)
        .metadataStorage(storages.apply("meta")).receiver("clicks", a).receiver("orders", b)
        .durability(Durability.SYNC).batchInterval(Duration.ofMillis(20))
        .blockInterval(Duration.ofMillis(5));
  }

  @Test
  void aCleanlyStoppedEngineHasNothingPendingAndEveryReceiverListed() throws Exception {
    Path dir = root.resolve("engine");
    Source a = new Source();
    Source b = new Source();
    CountDownLatch processed = new CountDownLatch(3);
    MicroBatchEngine engine = engine(dir, a, b).processor(batch -> {
      for (int i = 0; i < batch.blocks().size(); i++) {
        processed.countDown();
      }
    }).build();
    engine.start();
    try {
      a.store("c-1", "c-2");
      a.store("c-3");
      b.store("o-1");
      assertThat(processed.await(WAIT, TimeUnit.SECONDS)).isTrue();
    } finally {
      engine.stop();
    }
    Map<String, byte[]> before = files(dir.resolve("meta"));

    Run r = walctl("tracker", dir.resolve("meta").toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("pending batches: none")
        .contains("unallocated blocks (the next batch takes them): none")
        .containsPattern("clicks +2 +0 +0 +0 +-")
        .containsPattern("orders +1 +0 +0 +0 +-")
        .contains("a reopen would: nothing to repair");
    assertThat(files(dir.resolve("meta"))).as("nothing written").isEqualTo(before);

    Run json = walctl("tracker", "--json", dir.resolve("meta").toString());
    assertThat(json.exit()).isZero();
    assertThat(json.out().trim()).startsWith("{").endsWith("}")
        .contains("\"pendingBatches\":[]", "\"unallocatedBlocks\":[]", "\"tornTail\":false",
            "{\"receiver\":\"clicks\",\"blocksAdded\":2,\"pendingBlocks\":0,\"pendingRecords\":0,"
                + "\"pendingBytes\":0,\"oldestNeededSequence\":null}");
  }

  @Test
  void aCrashedEngineShowsTheBatchARestartReRunsAndTheBlocksTheNextBatchTakes() throws Exception {
    Path dir = root.resolve("engine");
    Source a = new Source();
    Source b = new Source();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MicroBatchEngine engine = engine(dir, a, b).processor(batch -> {
      if (!batch.blocks().isEmpty()) {
        held.countDown();
        release.await(WAIT, TimeUnit.SECONDS);
      }
    }).build();
    Path crashed = root.resolve("crashed");
    BlockInfo first;
    BlockInfo later;
    engine.start();
    try {
      first = a.store("c-1", "c-2");
      assertThat(held.await(WAIT, TimeUnit.SECONDS)).isTrue();
      later = b.store("o-1", "o-2", "o-3");
      // The files as a process killed now leaves them: every write so far is in the files (SYNC).
      copy(dir.resolve("meta"), crashed);
    } finally {
      release.countDown();
      engine.stopNow();
    }
    // And a write torn by the kill: half a frame at the end of the last segment.
    String last;
    try (Stream<Path> s = Files.list(crashed)) {
      last = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted()
          .reduce((x, y) -> y).orElseThrow();
    }
    Files.write(crashed.resolve(last), new byte[] {40, 0, 0, 0, 1, 2, 3},
        StandardOpenOption.APPEND);
    Map<String, byte[]> before = files(crashed);

    Run r = walctl("tracker", "--blocks", crashed.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("cut a torn tail of 7 bytes")
        .contains("pending batches (a restart re-runs them first, same time, same blocks):")
        .contains("1 blocks, 2 records, 6 bytes")
        .contains("receiver clicks block " + first.blockId() + ": 2 records, 6 bytes")
        .contains("unallocated blocks (the next batch takes them): 1 blocks, 3 records, 9 bytes")
        .contains("receiver orders block " + later.blockId() + ": 3 records, 9 bytes")
        .containsPattern("clicks +1 +1 +2 +6 +" + first.blockId())
        .containsPattern("orders +1 +1 +3 +9 +" + later.blockId());
    assertThat(files(crashed)).as("the torn tail is reported, not cut").isEqualTo(before);

    Run json = walctl("tracker", "--json", crashed.toString());
    assertThat(json.exit()).isZero();
    assertThat(json.out()).contains("\"tornTail\":true", "\"bytesTruncated\":7",
        "\"blocks\":[{\"receiver\":\"clicks\",\"block\":" + first.blockId()
            + ",\"records\":2,\"bytes\":6}]",
        "\"unallocatedBlocks\":[{\"receiver\":\"orders\",\"block\":" + later.blockId()
            + ",\"records\":3,\"bytes\":9}]");
  }

  @Test
  void aMetadataLogDamagedInASealedSegmentFailsWithExitOneNamingIt() throws Exception {
    Path dir = root.resolve("engine");
    Source a = new Source();
    Source b = new Source();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Small metadata segments, and a batch held running: no snapshot, so the sealed ones stay.
    MicroBatchEngine engine = engine(dir, a, b).metadataSegmentSize(4096).processor(batch -> {
      if (!batch.blocks().isEmpty()) {
        held.countDown();
        release.await(WAIT, TimeUnit.SECONDS);
      }
    }).build();
    Path crashed = root.resolve("crashed");
    engine.start();
    try {
      a.store("c-0");
      assertThat(held.await(WAIT, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 120; i++) {
        b.store("o-" + i);
      }
      copy(dir.resolve("meta"), crashed);
    } finally {
      release.countDown();
      engine.stopNow();
    }
    Run healthy = walctl("tracker", crashed.toString());
    assertThat(healthy.exit()).as(healthy.err()).isZero();
    assertThat(healthy.out()).containsPattern("orders +120 +120 +120 +\\d+ +\\d+");
    Path segment;
    try (Stream<Path> s = Files.list(crashed)) {
      segment = s.filter(p -> p.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[36 + 17 + 3] ^= 0x10; // the first event's payload: its CRC no longer matches
    Files.write(segment, bytes);

    Run r = walctl("tracker", crashed.toString());

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(Walctl.CORRUPT);
    assertThat(r.err()).contains("walctl tracker:").contains(segment.getFileName().toString());
  }

  @Test
  void damageInTheLastSegmentWithValidEventsAfterItIsWarnedAbout() throws Exception {
    Path dir = root.resolve("engine");
    Source a = new Source();
    Source b = new Source();
    CountDownLatch processed = new CountDownLatch(2);
    MicroBatchEngine engine = engine(dir, a, b).processor(batch -> {
      for (int i = 0; i < batch.blocks().size(); i++) {
        processed.countDown();
      }
    }).build();
    engine.start();
    try {
      a.store("c-1");
      b.store("o-1");
      assertThat(processed.await(WAIT, TimeUnit.SECONDS)).isTrue();
    } finally {
      engine.stop();
    }
    Path segment;
    try (Stream<Path> s = Files.list(dir.resolve("meta"))) {
      segment = s.filter(p -> p.toString().endsWith(".wal")).sorted().reduce((x, y) -> y)
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[36 + 17 + 3] ^= 0x10; // the first event of the last segment
    Files.write(segment, bytes);

    Run r = walctl("tracker", dir.resolve("meta").toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("WARNING: the ").contains("events after the damage");
    assertThat(walctl("tracker", "--json", dir.resolve("meta").toString()).out())
        .containsPattern("\"recordsCut\":[1-9]");
  }

  @Test
  void aLogThatIsNotAnEnginesMetadataLogExitsOneNamingTheRecord() throws Exception {
    Path dir = Files.createDirectories(root.resolve("plain"));
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      log.append("hello".getBytes(StandardCharsets.UTF_8)).join();
    }

    Run r = walctl("tracker", dir.toString());

    assertThat(r.exit()).isEqualTo(Walctl.CORRUPT);
    assertThat(r.err()).contains("metadata record 0 has unknown event version");
  }

  @Test
  void helpAndUsageErrors() {
    Run help = walctl("tracker", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: walctl tracker", "--json", "--blocks",
        "--max-record-size", "Exit codes:");
    assertThat(walctl("--help").out()).contains("tracker");

    Run missing = walctl("tracker", root.resolve("nowhere").toString());
    assertThat(missing.exit()).isEqualTo(Walctl.USAGE_OR_IO);
    assertThat(missing.err()).contains("nowhere");
    assertThat(root.resolve("nowhere")).doesNotExist();
    assertThat(walctl("tracker").exit()).isEqualTo(Walctl.USAGE_OR_IO);
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().endsWith(".wal")) {
          Files.copy(p, to.resolve(p.getFileName()));
        }
      }
    }
  }

  private static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return new TreeMap<>(out) {
      @Override
      public boolean equals(Object o) {
        if (!(o instanceof Map<?, ?> m) || !m.keySet().equals(keySet())) {
          return false;
        }
        return keySet().stream().allMatch(k -> java.util.Arrays.equals(get(k), (byte[]) m.get(k)));
      }

      @Override
      public int hashCode() {
        return keySet().hashCode();
      }
    };
  }
}
