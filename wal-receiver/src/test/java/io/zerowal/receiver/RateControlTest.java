package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.MemoryStorage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Rate control driven by processing speed, in an engine. */
class RateControlTest {
  private static final long NANOS_PER_RECORD = 20_000; // the processor gets through 50,000/s

  /** Stores lists of 16 records of 16 bytes as fast as the engine lets it. */
  static final class Flood implements Receiver {
    volatile Thread thread;

    @Override
    public void onStart(ReceiverContext ctx) {
      thread = ctx.startThread("flood", () -> {
        List<ByteBuffer> records = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          records.add(ByteBuffer.allocate(16));
        }
        while (!ctx.isStopped()) {
          ctx.store(records);
        }
      });
    }

    @Override
    public void onStop() {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aSlowProcessorThrottlesAFloodingSourceAndKeepsSchedulingDelayBounded() throws Exception {
    Map<String, MemoryStorage> data = new HashMap<>();
    List<BatchStats> batches = new CopyOnWriteArrayList<>();
    // Cost per record: a batch interval of the flood's unthrottled output would take seconds.
    MicroBatchEngine e = MicroBatchEngine.builder()
        .dataStorage(id -> data.computeIfAbsent(id, k -> new MemoryStorage()))
        .metadataStorage(new MemoryStorage()).durability(Durability.NONE)
        .batchInterval(Duration.ofMillis(100)).blockInterval(Duration.ofMillis(10))
        .receiver("flood", new Flood())
        .processor(b -> LockSupport.parkNanos(b.recordCount() * NANOS_PER_RECORD))
        .rateControl(true).onBatchCompleted(batches::add).build();
    e.start();
    Thread.sleep(2_000); // the controller settles
    long recordsAtSettled = e.receiverStats().get("flood").records();
    int settledFrom = batches.size();
    Thread.sleep(2_000);
    long storedWhileSettled = e.receiverStats().get("flood").records() - recordsAtSettled;
    List<BatchStats> settled = List.copyOf(batches.subList(settledFrom, batches.size()));
    e.stopNow();
    batches.forEach(b -> System.out.println("  " + b));
    assertThat(settled).hasSizeGreaterThanOrEqualTo(5); // one each 200 ms settled: 10

    Duration maxDelay = settled.stream().map(BatchStats::schedulingDelay)
        .max(Duration::compareTo).orElseThrow();
    long maxRecords = settled.stream().mapToLong(BatchStats::records).max().orElseThrow();
    double ratePerSecond = storedWhileSettled / 2.0;
    System.out.printf("rate control, processor at 50,000 records/s, batch interval 100 ms: %d"
        + " batches in the first 2 s, then %d batches in 2 s: stored %.0f records/s, largest batch"
        + " %d records, scheduling delay at most %d ms, missed intervals %d; last %s%n",
        settledFrom, settled.size(), ratePerSecond, maxRecords, maxDelay.toMillis(),
        e.missedBatchIntervals(), settled.get(settled.size() - 1));
    // Throttled to about what the processor gets through (50,000/s at most, less while delay
    // drains), where the flood stores about 670,000/s unthrottled with a processor doing nothing.
    assertThat(ratePerSecond).isBetween(5_000.0, 60_000.0);
    // Bounded: at most a few intervals of delay, once settled, instead of growing.
    assertThat(maxDelay).isLessThan(Duration.ofMillis(400));
  }
}
