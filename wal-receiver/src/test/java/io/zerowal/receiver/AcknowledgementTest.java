/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Acknowledging upstream where the source needs it: blocking stores, completions on an executor,
 * a single-threaded source like a Kafka consumer, the last commits at a graceful stop, and source
 * positions stored with blocks.
 */
class AcknowledgementTest {
  private MemoryStorage metadata = new MemoryStorage();
  private Map<String, MemoryStorage> data = new HashMap<>();

  private MicroBatchEngine.Builder engine(Receiver receiver) {
    return MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new MemoryStorage()))
        .metadataStorage(metadata).durability(Durability.SYNC)
        .batchInterval(Duration.ofMillis(20)).blockInterval(Duration.ofMillis(5))
        .receiver("source", receiver).processor(b -> { });
  }

  private static List<ByteBuffer> records(String... texts) {
    List<ByteBuffer> l = new ArrayList<>();
    for (String t : texts) {
      l.add(ByteBuffer.wrap(t.getBytes(StandardCharsets.UTF_8)));
    }
    return l;
  }

  /**
   * A consumer like Kafka's: it belongs to the thread that created it and throws
   * ConcurrentModificationException when any other thread touches it.
   */
  static final class FakeConsumer {
    private final Thread owner = Thread.currentThread();
    final AtomicLong committed;
    long position;

    FakeConsumer(AtomicLong committed) {
      this.committed = committed;
      this.position = committed.get();
    }

    private void check() {
      if (Thread.currentThread() != owner) {
        throw new ConcurrentModificationException("FakeConsumer is not safe for multi-threaded"
            + " access: owned by " + owner.getName() + ", touched by "
            + Thread.currentThread().getName());
      }
    }

    /** The next {@code n} records, offsets position .. position + n - 1. */
    List<ByteBuffer> poll(int n) {
      check();
      List<ByteBuffer> l = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        l.add(ByteBuffer.wrap(Long.toString(position++).getBytes(StandardCharsets.UTF_8)));
      }
      return l;
    }

    void commit(long nextOffset) {
      check();
      committed.set(nextOffset);
    }
  }

  @Test
  void storeAndWaitReturnsTheDurableBlockOnTheCallingThread() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(r).build();
    e.start();
    BlockInfo block = r.context.storeAndWait(records("a", "b"));
    assertThat(block.recordCount()).isEqualTo(2);
    assertThat(e.receiverStats().get("source").records()).isEqualTo(2);
    assertThat(r.context.storeAndWait(ByteBuffer.wrap(new byte[3])).bytes()).isEqualTo(3);
    e.stop();
    assertThatThrownBy(() -> r.context.storeAndWait(records("late")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is stopped");
  }

  @Test
  void acknowledgingOnTheLogThreadLosesTheCommitsOfASingleThreadedSource() throws Exception {
    // What the issue saw: the commit throws inside the future's callback and nobody notices.
    AtomicLong committed = new AtomicLong();
    AtomicReference<Throwable> swallowed = new AtomicReference<>();
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(r).build();
    e.start();
    AtomicReference<FakeConsumer> ref = new AtomicReference<>();
    AtomicReference<List<ByteBuffer>> polled = new AtomicReference<>();
    Thread poller = new Thread(() -> {
      ref.set(new FakeConsumer(committed));
      polled.set(ref.get().poll(3));
    }, "poller");
    poller.start();
    poller.join();
    FakeConsumer consumer = ref.get();
    r.context.store(polled.get()).thenAccept(b -> consumer.commit(3))
        .exceptionally(t -> {
          swallowed.set(t);
          return null;
        }).get();
    e.stop();
    assertThat(committed.get()).isZero();
    assertThat(swallowed.get()).hasCauseInstanceOf(ConcurrentModificationException.class);
  }

  /**
   * The pattern for a source that must be touched from its own thread (README, "Acknowledging a
   * single-threaded source"): callbacks only queue the acknowledged position; the polling thread
   * commits what is queued before each poll, and once more after the engine drained the stores.
   */
  static final class SingleThreadedSource implements Receiver {
    final AtomicLong committed;
    final int perPoll;
    final long upTo;
    final Queue<Long> acked = new ConcurrentLinkedQueue<>();
    final CountDownLatch drained = new CountDownLatch(1);
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    volatile Thread poller;
    volatile boolean stop;

    SingleThreadedSource(AtomicLong committed, int perPoll, long upTo) {
      this.committed = committed;
      this.perPoll = perPoll;
      this.upTo = upTo;
    }

    @Override
    public void onStart(ReceiverContext ctx) {
      poller = ctx.startThread("poll", () -> {
        FakeConsumer consumer = new FakeConsumer(committed);
        try {
          while (!stop && !ctx.isStopped() && consumer.position < upTo) {
            commitAcked(consumer);
            List<ByteBuffer> polled = consumer.poll(perPoll);
            long next = consumer.position;
            ctx.store(polled).thenAccept(block -> acked.add(next)); // never touches the consumer
          }
          // Stopped polling: wait until the engine drained our stores, then commit the rest.
          drained.await();
          commitAcked(consumer);
        } catch (Throwable t) {
          errors.add(t);
        }
      });
    }

    private void commitAcked(FakeConsumer consumer) {
      Long last = null;
      for (Long n; (n = acked.poll()) != null; ) {
        last = last == null ? n : Math.max(last, n);
      }
      if (last != null) {
        consumer.commit(last);
      }
    }

    @Override
    public void onStop() {
      stop = true; // the poller stops storing; it commits after onDrained
    }

    @Override
    public void onDrained() {
      drained.countDown();
      try {
        poller.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aSingleThreadedSourceCommitsOnItsOwnThreadAndLosesNoCommitAtAGracefulStop()
      throws Exception {
    AtomicLong committed = new AtomicLong();
    List<Long> processed = new CopyOnWriteArrayList<>();
    SingleThreadedSource source = new SingleThreadedSource(committed, 7, 5_000);
    MicroBatchEngine e = engine(source).processor(b -> b.records().forEach(
        rec -> processed.add(Long.parseLong(StandardCharsets.UTF_8.decode(rec).toString()))))
        .build();
    e.start();
    Thread.sleep(100);
    e.stop();

    assertThat(source.errors).isEmpty();
    long stored = e.receiverStats().get("source").records();
    assertThat(stored).isPositive();
    // Every stored record is committed: a restarted consumer sends nothing twice.
    assertThat(committed.get()).isEqualTo(stored);
    assertThat(processed).hasSize((int) stored).doesNotHaveDuplicates();
  }

  @Test
  void onDrainedRunsAfterEveryAcknowledgementAndNotOnStopNow() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    ManualReceiver r = new ManualReceiver() {
      @Override
      public void onDrained() {
        events.add("drained");
      }
    };
    ExecutorService acks = Executors.newSingleThreadExecutor(t -> new Thread(t, "acks"));
    try {
      GatedStorage gated = new GatedStorage();
      MicroBatchEngine e = engine(r).dataStorage(id -> gated).completionExecutor(acks).build();
      e.start();
      gated.closeGate(); // every callback is attached before its store completes
      for (int i = 0; i < 50; i++) {
        r.context.store(ByteBuffer.wrap(new byte[] {(byte) i})).thenAccept(b -> {
          sleepQuietly(1); // a slow acknowledgement: the stop must wait for it
          events.add("ack on " + Thread.currentThread().getName());
        });
      }
      gated.openGate();
      e.stop();
      assertThat(events).last().isEqualTo("drained");
      assertThat(events.subList(0, events.size() - 1)).isNotEmpty()
          .allMatch(s -> s.equals("ack on acks"));

      events.clear();
      ManualReceiver r2 = new ManualReceiver() {
        @Override
        public void onDrained() {
          events.add("drained");
        }
      };
      MicroBatchEngine e2 = engine(r2).build();
      e2.start();
      e2.stopNow();
      assertThat(events).isEmpty();
    } finally {
      acks.shutdown();
    }
  }

  @Test
  void gracefulStopTimeoutBoundsAStopBehindASlowProcessorAndKeepsTheRestForTheNextStart()
      throws Exception {
    ManualReceiver r = new ManualReceiver();
    CountDownLatch running = new CountDownLatch(1);
    MicroBatchEngine e = engine(r).gracefulStopTimeout(Duration.ofMillis(100))
        .processor(b -> {
          if (b.recordCount() > 0) {
            running.countDown();
            Thread.sleep(600);
          }
        }).build();
    e.start();
    r.storeBlock("first").get();
    running.await();
    r.storeBlock("second").get(); // stored while the slow batch runs
    long start = System.nanoTime();
    e.stop();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(tookMillis).as("the running batch finishes, no last batch").isLessThan(1_100);

    List<String> next = new CopyOnWriteArrayList<>();
    ManualReceiver r2 = new ManualReceiver();
    MicroBatchEngine e2 = engine(r2).processor(b -> b.records()
        .forEach(rec -> next.add(ManualReceiver.text(rec)))).build();
    e2.start();
    e2.stop();
    assertThat(next).containsExactly("second");
  }

  @Test
  void metadataStoredWithABlockIsReadableAtTheNextStartAcrossSnapshots() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(r).metadataSegmentSize(4096).build();
    e.start();
    assertThat(r.context.lastMetadata()).isEmpty();
    for (long offset = 1; offset <= 300; offset++) {
      r.context.storeAndWait(records("x"), position(offset));
      if (offset % 50 == 0) {
        Thread.sleep(25); // batches complete, the metadata log rolls and snapshots
      }
    }
    r.storeBlock("no metadata").get(); // leaves the latest metadata as it was
    assertThat(r.context.lastMetadata()).get().extracting(AcknowledgementTest::offset)
        .isEqualTo(300L);
    e.stop();
    assertThat(metadata.list().get(0)).as("compacted behind a snapshot")
        .isNotEqualTo("00000000000000000000.wal");

    ManualReceiver r2 = new ManualReceiver();
    MicroBatchEngine e2 = engine(r2).metadataSegmentSize(4096).build();
    e2.start();
    assertThat(r2.context.lastMetadata()).get().extracting(AcknowledgementTest::offset)
        .isEqualTo(300L);
    e2.stop();
  }

  @Test
  void metadataSurvivesPowerLossAtLeastAsFarAsWhatWasAcknowledged() throws Exception {
    for (long seed = 1; seed <= 5; seed++) {
      metadata = new MemoryStorage();
      data = new HashMap<>();
      ManualReceiver r = new ManualReceiver();
      MicroBatchEngine e = engine(r).build();
      e.start();
      AtomicLong acked = new AtomicLong();
      for (long offset = 1; offset <= 200; offset++) {
        long o = offset;
        r.context.store(records("x"), position(offset))
            .thenAccept(b -> acked.accumulateAndGet(o, Math::max));
      }
      long ackedAtCrash = acked.get();
      metadata = metadata.crash(seed);
      Map<String, MemoryStorage> survived = new HashMap<>();
      for (Map.Entry<String, MemoryStorage> d : data.entrySet()) {
        survived.put(d.getKey(), d.getValue().crash(seed));
      }
      e.stopNow();
      data = survived;

      ManualReceiver r2 = new ManualReceiver();
      MicroBatchEngine e2 = engine(r2).build();
      e2.start();
      long recovered = r2.context.lastMetadata().map(AcknowledgementTest::offset).orElse(0L);
      assertThat(recovered).as("seed " + seed).isGreaterThanOrEqualTo(ackedAtCrash)
          .isLessThanOrEqualTo(200);
      e2.stop();
    }
  }

  @Test
  void metadataOverTheBoundIsRefusedNamingIt() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(r).build();
    e.start();
    int max = r.context.maxMetadataBytes();
    assertThat(max).isEqualTo(64 << 10 < (1 << 20) / 8 ? 64 << 10 : (1 << 20) / 8);
    assertThatThrownBy(() -> r.context.store(records("x"), ByteBuffer.allocate(max + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata of " + (max + 1) + " bytes");
    e.stop();
  }

  @Test
  void metadataStoredWithSingleRecordsIsTheLatestOfTheirBlocksAndSurvivesARestart()
      throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine e = engine(r).build();
    e.start();
    List<CompletableFuture<BlockInfo>> stores = new ArrayList<>();
    for (long offset = 1; offset <= 500; offset++) {
      // Every third record without a position: the block keeps its latest record's with one.
      ByteBuffer position = offset % 3 == 0 ? null : position(offset);
      stores.add(r.context.store(ByteBuffer.wrap(("r" + offset).getBytes(StandardCharsets.UTF_8)),
          position));
    }
    CompletableFuture.allOf(stores.toArray(CompletableFuture[]::new)).join();
    long blocks = stores.stream().map(CompletableFuture::join).distinct().count();
    assertThat(blocks).as("records gathered into shared blocks").isLessThan(500);
    assertThat(r.context.lastMetadata()).get().extracting(AcknowledgementTest::offset)
        .isEqualTo(500L);
    r.context.storeAndWait(ByteBuffer.wrap("no position".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.context.lastMetadata()).get().extracting(AcknowledgementTest::offset)
        .isEqualTo(500L);
    r.context.storeAndWait(ByteBuffer.wrap("r501".getBytes(StandardCharsets.UTF_8)), position(501));
    assertThat(r.context.lastMetadata()).get().extracting(AcknowledgementTest::offset)
        .isEqualTo(501L);
    int max = r.context.maxMetadataBytes();
    assertThatThrownBy(() -> r.context.store(ByteBuffer.wrap(new byte[1]),
        ByteBuffer.allocate(max + 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata of " + (max + 1) + " bytes");
    e.stop();

    ManualReceiver r2 = new ManualReceiver();
    MicroBatchEngine e2 = engine(r2).build();
    e2.start();
    assertThat(r2.context.lastMetadata()).get().extracting(AcknowledgementTest::offset)
        .isEqualTo(501L);
    e2.stop();
  }

  private static ByteBuffer position(long offset) {
    return ByteBuffer.allocate(8).putLong(0, offset);
  }

  private static long offset(ByteBuffer b) {
    return b.getLong(b.position());
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
