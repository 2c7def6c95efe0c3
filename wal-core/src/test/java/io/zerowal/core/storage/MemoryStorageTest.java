/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link MemoryStorage} beyond the storage contract: the crash model and faults. */
class MemoryStorageTest {
  private static final byte[] SYNCED = bytes("synced-part|");
  private static final byte[] UNSYNCED = bytes("unsynced-part-that-a-crash-may-cut");

  private final MemoryStorage storage = new MemoryStorage();

  // ---- power loss: file content ----------------------------------------------------------

  @Property(tries = 200)
  void crashKeepsSyncedBytesAndAPrefixOfTheUnsyncedOnes(
      @ForAll @Size(max = 64) byte[] synced, @ForAll @Size(max = 64) byte[] unsynced, @ForAll long seed)
      throws IOException {
    MemoryStorage storage = new MemoryStorage();
    SegmentOutput out = storage.create("a", 0);
    storage.syncDirectory();
    out.write(ByteBuffer.wrap(synced));
    out.sync();
    out.write(ByteBuffer.wrap(unsynced));

    byte[] survived = storage.crash(seed).contents("a");

    byte[] written = concat(synced, unsynced);
    assertThat(survived.length).isBetween(synced.length, written.length);
    assertThat(survived).isEqualTo(Arrays.copyOf(written, survived.length));
  }

  @Test
  void unsyncedSuffixIsCutAtBothEndsAndInBetweenAcrossSeeds() throws IOException {
    Set<Integer> lengths = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      lengths.add(crashedAfterPartialSync(seed).length);
    }

    assertThat(lengths).contains(SYNCED.length, SYNCED.length + UNSYNCED.length);
    assertThat(lengths).anyMatch(n -> n > SYNCED.length && n < SYNCED.length + UNSYNCED.length);
  }

  @Test
  void sameSeedOnTheSameStateGivesTheSameSurvivor() throws IOException {
    for (long seed = 0; seed < 50; seed++) {
      assertThat(crashedAfterPartialSync(seed)).as("seed %d", seed).isEqualTo(crashedAfterPartialSync(seed));
    }
  }

  @Test
  void unsyncedOverwriteKeepsTheOldBytesPastTheCut() throws IOException {
    write("a", "0123456789", true);
    storage.syncDirectory();
    SegmentOutput out = storage.openForWrite("a", 2);
    out.write(ByteBuffer.wrap(bytes("abcd")));

    Set<String> possible = new HashSet<>();
    for (int kept = 0; kept <= 4; kept++) {
      possible.add("01" + "abcd".substring(0, kept) + "2345".substring(kept) + "6789");
    }
    Set<String> seen = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      seen.add(new String(crashCopy(seed).contents("a"), UTF_8));
    }

    assertThat(possible).containsAll(seen);
    assertThat(seen).contains("0123456789", "01abcd6789");
  }

  @Test
  void preallocatedZerosSurviveACrash() throws IOException {
    SegmentOutput out = storage.create("a", 100);
    storage.syncDirectory();
    out.write(ByteBuffer.wrap(bytes("head")));

    byte[] survived = storage.crash(1).contents("a");

    assertThat(survived).hasSize(100);
    assertThat(Arrays.copyOfRange(survived, 4, 100)).containsOnly(0);
  }

  @Test
  void unsyncedTruncateToPositionIsUndoneButASyncedOneSticks() throws IOException {
    SegmentOutput out = storage.create("a", 100);
    storage.syncDirectory();
    out.write(ByteBuffer.wrap(bytes("head")));
    out.sync();
    out.truncateToPosition();
    assertThat(storage.size("a")).isEqualTo(4);

    assertThat(crashCopy(7).size("a")).isEqualTo(100);

    out.sync();
    assertThat(storage.crash(7).contents("a")).isEqualTo(bytes("head"));
  }

  @Test
  void storageTruncateIsDurableAtOnce() throws IOException {
    write("a", "0123456789", true);
    storage.syncDirectory();

    storage.truncate("a", 3);

    assertThat(storage.crash(3).contents("a")).isEqualTo(bytes("012"));
  }

  // ---- power loss: namespace ----------------------------------------------------------------

  @Test
  void unsyncedCreateVanishesAndASyncedOneSticks() throws IOException {
    write("kept", "x", true);
    storage.syncDirectory();
    write("lost", "y", true);

    assertThat(crashCopy(1).list()).containsExactly("kept");

    storage.syncDirectory();
    assertThat(storage.crash(1).list()).containsExactlyInAnyOrder("kept", "lost");
  }

  @Test
  void unsyncedDeleteIsRevivedWithItsDurableContent() throws IOException {
    write("a", "durable", true);
    storage.syncDirectory();

    storage.delete("a");

    assertThat(crashCopy(1).contents("a")).isEqualTo(bytes("durable"));
    storage.syncDirectory();
    assertThat(storage.crash(1).list()).isEmpty();
  }

  @Test
  void unsyncedRenameIsUndoneAndASyncedOneSticks() throws IOException {
    write("a", "content", true);
    storage.syncDirectory();

    storage.rename("a", "b");

    MemoryStorage undone = crashCopy(1);
    assertThat(undone.list()).containsExactly("a");
    assertThat(undone.contents("a")).isEqualTo(bytes("content"));
    storage.syncDirectory();
    assertThat(storage.crash(1).list()).containsExactly("b");
  }

  // ---- the dead instance ------------------------------------------------------------------

  @Test
  void crashedInstanceAndEverythingItHandedOutFailEveryCall() throws IOException {
    write("a", "abc", true);
    SegmentOutput out = storage.openForWrite("a", 3);
    SegmentInput in = storage.openForRead("a");

    storage.crash(1);

    List<ThrowingCallable> calls = List.of(
        storage::lockForWriting, storage::list, () -> storage.exists("a"), () -> storage.size("a"),
        () -> storage.create("b", 0), () -> storage.openForWrite("a", 0), () -> storage.openForRead("a"),
        () -> storage.truncate("a", 0), () -> storage.rename("a", "b"), () -> storage.delete("a"),
        storage::syncDirectory, storage::close, () -> storage.contents("a"),
        () -> storage.replaceContents("a", new byte[0]),
        () -> out.write(ByteBuffer.allocate(1)), out::flush, out::sync, out::truncateToPosition, out::close,
        in::size, () -> in.read(ByteBuffer.allocate(1), 0), in::close);
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(IOException.class).hasMessage(MemoryStorage.CRASHED);
    }
    assertThatThrownBy(() -> storage.crash(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(storage::failNextWrite).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void crashFromAnotherThreadStopsAWriterMidStream() throws Exception {
    SegmentOutput out = storage.create("a", 0);
    storage.syncDirectory();
    CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() -> {
      try {
        for (int i = 0; ; i++) {
          out.write(ByteBuffer.wrap(new byte[] {(byte) i, (byte) (i >> 8)}));
          if (i % 7 == 0) {
            out.sync();
          }
        }
      } catch (IOException e) {
        return e;
      }
    });
    while (storage.usedBytes() < 10_000) {
      Thread.onSpinWait();
    }

    byte[] survived = storage.crash(5).contents("a");

    assertThat(writer.get(10, TimeUnit.SECONDS)).hasMessage(MemoryStorage.CRASHED);
    assertThat(survived.length).isGreaterThan(0);
    for (int i = 0; i < survived.length; i++) {
      int record = i / 2;
      byte expected = (byte) (i % 2 == 0 ? record : record >> 8);
      assertThat(survived[i]).as("byte %d", i).isEqualTo(expected);
    }
  }

  @Test
  void survivorIsUnlockedAndUsable() throws IOException {
    storage.lockForWriting();
    MemoryStorage survivor = storage.crash(1);

    survivor.lockForWriting();
    survivor.create("a", 0).write(ByteBuffer.wrap(bytes("after")));

    assertThat(survivor.contents("a")).isEqualTo(bytes("after"));
  }

  // ---- lock and reuse --------------------------------------------------------------------

  @Test
  void closeReleasesTheLockAndKeepsTheFilesForTheNextLog() throws IOException {
    storage.lockForWriting();
    write("a", "kept", false);
    assertThatThrownBy(storage::lockForWriting)
        .isInstanceOf(StorageLockedException.class).hasMessageContaining("close that log");

    storage.close();
    storage.lockForWriting();

    assertThat(storage.contents("a")).isEqualTo(bytes("kept"));
  }

  // ---- fault injection ---------------------------------------------------------------------

  @Test
  void failNextWriteFailsOnceAndWritesNothing() throws IOException {
    SegmentOutput out = storage.create("a", 0);
    storage.failNextWrite();
    ByteBuffer data = ByteBuffer.wrap(bytes("data"));

    assertThatThrownBy(() -> out.write(data)).isInstanceOf(IOException.class).hasMessageContaining("a");
    assertThat(storage.contents("a")).isEmpty();
    assertThat(out.position()).isZero();

    out.write(data);
    assertThat(storage.contents("a")).isEqualTo(bytes("data"));
  }

  @Test
  void failNextSyncMakesNothingDurable() throws IOException {
    SegmentOutput out = storage.create("a", 0);
    storage.syncDirectory();
    out.write(ByteBuffer.wrap(bytes("not durable")));
    storage.failNextSync();

    assertThatThrownBy(out::sync).isInstanceOf(IOException.class);

    Set<Integer> survivingLengths = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      survivingLengths.add(crashCopy(seed).contents("a").length);
    }
    assertThat(survivingLengths).contains(0); // still unsynced: some crashes keep none of it
  }

  @Test
  void fullCapacityWritesWhatFitsThenFailsAndFreedSpaceLetsWritesContinue() throws IOException {
    write("other", "0123456789", true);
    storage.setCapacity(16);
    SegmentOutput out = storage.create("a", 0);

    assertThatThrownBy(() -> out.write(ByteBuffer.wrap(bytes("abcdefgh"))))
        .isInstanceOf(IOException.class)
        .hasMessage("No space left on device: MemoryStorage capacity 16 bytes");
    assertThat(storage.contents("a")).isEqualTo(bytes("abcdef"));
    assertThat(out.position()).isEqualTo(6);
    assertThat(storage.usedBytes()).isEqualTo(16);

    storage.delete("other");
    out.write(ByteBuffer.wrap(bytes("gh")));

    assertThat(storage.contents("a")).isEqualTo(bytes("abcdefgh"));
  }

  @Test
  void preallocationBeyondCapacityFailsWithoutCreatingTheFile() throws IOException {
    storage.setCapacity(100);

    assertThatThrownBy(() -> storage.create("a", 101)).hasMessageContaining("No space left on device");

    assertThat(storage.exists("a")).isFalse();
    storage.create("a", 100).close();
    assertThat(storage.usedBytes()).isEqualTo(100);
  }

  @Test
  void replaceContentsDamagesCurrentAndDurableBytes() throws IOException {
    write("a", "good", true);
    storage.syncDirectory();

    storage.replaceContents("a", bytes("b0rk"));

    assertThat(storage.contents("a")).isEqualTo(bytes("b0rk"));
    assertThat(storage.crash(9).contents("a")).isEqualTo(bytes("b0rk"));
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** What a crash now would leave, keeping {@link #storage} alive for the next step. */
  private MemoryStorage crashCopy(long seed) {
    return storage.survivorOf(seed);
  }

  private byte[] crashedAfterPartialSync(long seed) throws IOException {
    MemoryStorage fresh = new MemoryStorage();
    SegmentOutput out = fresh.create("a", 0);
    fresh.syncDirectory();
    out.write(ByteBuffer.wrap(SYNCED));
    out.sync();
    out.write(ByteBuffer.wrap(UNSYNCED));
    return fresh.crash(seed).contents("a");
  }

  private void write(String name, String content, boolean sync) throws IOException {
    try (SegmentOutput out = storage.create(name, 0)) {
      out.write(ByteBuffer.wrap(bytes(content)));
      if (sync) {
        out.sync();
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
