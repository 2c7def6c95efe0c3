package io.zerowal.receiver;

import io.zerowal.core.Durability;
import io.zerowal.core.storage.LocalStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store throughput with 1 KiB records, 4 receivers, on local disk, SYNC against NONE. A measurement,
 * not a check: run with {@code -Dzerowal.throughput=true}. JMH versions belong in wal-bench.
 */
@EnabledIfSystemProperty(named = "zerowal.throughput", matches = "true")
class StoreThroughputTest {
  @TempDir Path dir;

  @Test
  void syncAgainstNone() throws Exception {
    run(Durability.NONE, dir.resolve("warmup"), 3);
    double none = run(Durability.NONE, dir.resolve("none"), 8);
    double sync = run(Durability.SYNC, dir.resolve("sync"), 8);
    System.out.printf("store throughput, 1 KiB records, 4 receivers: SYNC %.0f records/s, NONE %.0f"
        + " records/s; the durable path adds %.0f%% to the time per record%n", sync, none,
        (none / sync - 1) * 100);
  }

  private double run(Durability durability, Path root, int seconds) throws Exception {
    AtomicLong acked = new AtomicLong();
    MicroBatchEngine.Builder b = MicroBatchEngine.builder()
        .dataStorage(id -> local(root.resolve(id))).metadataStorage(local(root.resolve("meta")))
        .durability(durability).batchInterval(Duration.ofMillis(500))
        .processor(batch -> batch.records().count());
    for (int i = 0; i < 4; i++) {
      b.receiver("r" + i, new Receiver() {
        private volatile boolean stop;
        private Thread t;

        @Override
        public void onStart(ReceiverContext context) {
          t = new Thread(() -> {
            ByteBuffer record = ByteBuffer.allocate(1024);
            while (!stop && !context.isStopped()) {
              context.store(record).thenRun(acked::incrementAndGet);
            }
          });
          t.start();
        }

        @Override
        public void onStop() {
          stop = true;
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
    }
    MicroBatchEngine engine = b.build();
    engine.start();
    Thread.sleep(1000);
    long start = acked.get();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double rate = (acked.get() - start) / ((System.nanoTime() - t0) / 1e9);
    engine.stop();
    System.out.printf("%s: %.0f records/s (%.0f MiB/s)%n", durability, rate, rate / 1024);
    return rate;
  }

  private static LocalStorage local(Path p) {
    try {
      return new LocalStorage(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
