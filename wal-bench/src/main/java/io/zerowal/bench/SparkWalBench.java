/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import io.zerowal.spark.ZeroWalSparkLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.receiver.Receiver;
import scala.collection.mutable.ArrayBuffer;

/**
 * Records per second acknowledged by a Spark Streaming receiver's {@code store(ArrayBuffer)} with
 * the receiver write-ahead log on: Spark's own {@code FileBasedWriteAheadLog} against
 * {@link ZeroWalSparkLog} with SYNC and with FLUSH, the same {@code local[8]} job (receivers storing
 * blocks as fast as they return, an output operation counting each batch), on local disk.
 * Interleaved rounds; each point is a fresh StreamingContext measured for {@code seconds} after a
 * warm-up; the table gives the median and the min-max of the rounds, and the ratio of medians to
 * Spark's own log.
 *
 * <pre>
 * ./mvnw -q -pl wal-bench -am -DskipTests -Pcompare package -Dcompare.main=io.zerowal.bench.SparkWalBench \
 *     -Dcompare.args="--rounds 5 --seconds 5 --receivers 4 --records 100 --size 100"
 * </pre>
 */
public final class SparkWalBench {
  /** Records acknowledged by store() in this JVM (local mode: the receivers run here). */
  static final AtomicLong ACKED = new AtomicLong();

  private SparkWalBench() {}

  /**
   * Runs the comparison and prints the table.
   *
   * @param args {@code --rounds N --seconds S --receivers R --records per store --size bytes
   *     --dir directory}
   * @throws Exception if Spark fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>(Map.of("--rounds", "5", "--seconds", "5",
        "--receivers", "4", "--records", "100", "--size", "100", "--dir", "target/spark-wal-bench"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!a.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + a.keySet());
      }
      a.put(args[i], args[i + 1]);
    }
    int rounds = Integer.parseInt(a.get("--rounds"));
    int seconds = Integer.parseInt(a.get("--seconds"));
    int receivers = Integer.parseInt(a.get("--receivers"));
    int records = Integer.parseInt(a.get("--records"));
    int size = Integer.parseInt(a.get("--size"));
    Path dir = Path.of(a.get("--dir")).toAbsolutePath();
    Files.createDirectories(dir);
    List<String> systems = List.of("Spark FileBasedWAL (hflush)", "ZeroWalSparkLog FLUSH",
        "ZeroWalSparkLog SYNC");
    Map<String, List<Double>> results = new LinkedHashMap<>();
    systems.forEach(s -> results.put(s, new ArrayList<>()));
    System.out.printf("SparkWalBench: %d receivers, %d records of %d bytes per store, %d s per"
        + " point, %d rounds, %d cores, dir %s%n", receivers, records, size, seconds, rounds,
        Runtime.getRuntime().availableProcessors(), dir);
    run(systems.get(0), dir.resolve("warmup"), receivers, records, size, 2); // JIT, page cache
    for (int round = 0; round < rounds; round++) {
      List<String> order = new ArrayList<>(systems);
      Collections.rotate(order, round); // no system always runs first
      for (String s : order) {
        double rps = run(s, dir.resolve("r" + round + "-" + s.replaceAll("[^A-Za-z]", "")),
            receivers, records, size, seconds);
        results.get(s).add(rps);
        System.out.printf("round %d  %-28s %,12.0f records/s%n", round + 1, s, rps);
      }
    }
    double base = median(results.get(systems.get(0)));
    System.out.printf("%n| log | records/s acknowledged by store(), median | min-max | vs Spark |%n"
        + "|---|---:|---|---:|%n");
    for (Map.Entry<String, List<Double>> e : results.entrySet()) {
      List<Double> v = e.getValue();
      System.out.printf("| %s | %,.0f | %,.0f-%,.0f | %.2fx |%n", e.getKey(), median(v),
          Collections.min(v), Collections.max(v), median(v) / base);
    }
  }

  private static double run(String system, Path dir, int receivers, int records, int size,
      int seconds) throws Exception {
    SparkConf conf = new SparkConf().setMaster("local[" + (receivers + 4) + "]")
        .setAppName("spark-wal-bench")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.streaming.receiver.writeAheadLog.enable", "true");
    if (system.startsWith("ZeroWalSparkLog")) {
      conf.set("spark.streaming.receiver.writeAheadLog.class", ZeroWalSparkLog.class.getName())
          .set("spark.streaming.driver.writeAheadLog.class", ZeroWalSparkLog.class.getName())
          .set(ZeroWalSparkLog.DIR, dir.resolve("zerowal").toString())
          .set(ZeroWalSparkLog.DURABILITY, system.endsWith("SYNC") ? "SYNC" : "FLUSH");
    }
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    ssc.sparkContext().setLogLevel("WARN");
    ssc.checkpoint(dir.resolve("checkpoint").toString());
    for (int i = 0; i < receivers; i++) {
      ssc.receiverStream(new StoringReceiver(records, size)).foreachRDD(rdd -> {
        rdd.count();
      });
    }
    ssc.start();
    Thread.sleep(3000); // receivers started, first batches done
    long from = ACKED.get();
    long t0 = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    long acked = ACKED.get() - from;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    ssc.stop(true, false);
    return acked / elapsed;
  }

  /** Stores blocks of {@code records} records as fast as store() returns. */
  static final class StoringReceiver extends Receiver<byte[]> {
    private static final long serialVersionUID = 1L;
    private final int records;
    private final int size;

    StoringReceiver(int records, int size) {
      super(StorageLevel.MEMORY_AND_DISK_SER());
      this.records = records;
      this.size = size;
    }

    @Override
    public void onStart() {
      Thread t = new Thread(() -> {
        // Distinct arrays: Java serialization writes an array already in the stream as a
        // back-reference, so one array repeated would reach the logs as a few bytes a record.
        byte[][] distinct = new byte[records][];
        for (int i = 0; i < records; i++) {
          distinct[i] = Workloads.payload(size, i + 1);
        }
        while (!isStopped()) {
          ArrayBuffer<byte[]> block = new ArrayBuffer<>(records);
          for (int i = 0; i < records; i++) {
            block.addOne(distinct[i]);
          }
          try {
            store(block);
          } catch (Exception e) { // SparkException is checked in Java's eyes, not declared
            return; // stopping
          }
          ACKED.addAndGet(records);
        }
      }, "storing-receiver");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void onStop() {}
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
