/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.receiver.Receiver;
import scala.collection.mutable.ArrayBuffer;

/**
 * The Spark Streaming driver that {@code SparkDriverKillIT} runs in a child JVM and kills: a
 * {@code local[4]} job with a reliable receiver that writes the ids of every record whose
 * {@code store(ArrayBuffer)} returned to {@code acked-*.txt}, and an output operation that writes
 * every id it processes to {@code processed-*.txt}. Started again on the same checkpoint directory it
 * recovers from it. The receiver stops storing once {@code <work>/quiesce} exists; the job stops
 * gracefully once {@code <work>/stop} exists.
 *
 * <p>Arguments: work directory, log ({@code zerowal} or {@code spark}), durability
 * ({@code SYNC}/{@code FLUSH}, for zerowal).
 */
public final class KillableStreamingApp {
  private KillableStreamingApp() {}

  /**
   * Runs the job until the stop file appears.
   *
   * @param args work directory, log, durability
   * @throws Exception if Spark fails
   */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    String wal = args[1];
    String durability = args.length > 2 ? args[2] : "FLUSH";
    String checkpoint = work.resolve("checkpoint").toString();
    Function0<JavaStreamingContext> create = () -> {
      SparkConf conf = new SparkConf().setMaster("local[4]").setAppName("zerowal-kill-it")
          .set("spark.ui.enabled", "false")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.driver.bindAddress", "127.0.0.1")
          .set("spark.streaming.receiver.writeAheadLog.enable", "true");
      if (wal.equals("zerowal")) {
        conf.set("spark.streaming.receiver.writeAheadLog.class", ZeroWalSparkLog.class.getName())
            .set("spark.streaming.driver.writeAheadLog.class", ZeroWalSparkLog.class.getName())
            .set(ZeroWalSparkLog.DIR, work.resolve("zerowal").toString())
            .set(ZeroWalSparkLog.DURABILITY, durability);
      }
      JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));
      ssc.checkpoint(checkpoint);
      ssc.receiverStream(new AckingReceiver(work.toString()))
          .foreachRDD(new WriteProcessed(work.toString()));
      return ssc;
    };
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(checkpoint, create);
    ssc.start();
    System.out.println("STARTED");
    Path stop = work.resolve("stop");
    while (!Files.exists(stop)) {
      if (ssc.awaitTerminationOrTimeout(200)) {
        throw new IllegalStateException("the streaming context ended on its own");
      }
    }
    ssc.stop(true, true);
    System.out.println("STOPPED");
  }

  /** Appends lines to a file of its own, flushed to the OS (which keeps them past a kill -9). */
  static void appendLines(Path file, CharSequence lines) {
    try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reliable source: stores 50 records at a time and acknowledges them once store returned. */
  static final class AckingReceiver extends Receiver<String> {
    private static final long serialVersionUID = 1L;
    private final String work;

    AckingReceiver(String work) {
      super(StorageLevel.MEMORY_AND_DISK_SER());
      this.work = work;
    }

    @Override
    public void onStart() {
      String run = UUID.randomUUID().toString().substring(0, 8);
      Path acked = Path.of(work, "acked-" + run + ".txt");
      Path quiesce = Path.of(work, "quiesce");
      Thread t = new Thread(() -> {
        long n = 0;
        while (!isStopped()) {
          if (Files.exists(quiesce)) {
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              return;
            }
            continue;
          }
          ArrayBuffer<String> block = new ArrayBuffer<>();
          StringBuilder ids = new StringBuilder();
          for (int i = 0; i < 50; i++, n++) {
            String id = run + "-" + n;
            block.addOne(id);
            ids.append(id).append('\n');
          }
          try {
            store(block); // returns once the block is in the write-ahead log
          } catch (Exception e) { // SparkException: checked, and not declared by store
            if (!isStopped()) {
              restart("store failed", e);
            }
            return;
          }
          appendLines(acked, ids);
          try {
            Thread.sleep(10); // a source of about 5,000 records/s
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "acking-receiver");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void onStop() {}
  }

  /** The output operation: every id processed, one file per partition and batch. */
  static final class WriteProcessed implements VoidFunction<JavaRDD<String>> {
    private static final long serialVersionUID = 1L;
    private final String work;

    WriteProcessed(String work) {
      this.work = work;
    }

    @Override
    public void call(JavaRDD<String> rdd) {
      String dir = work;
      rdd.foreachPartition(new WritePartition(dir));
    }
  }

  static final class WritePartition implements VoidFunction<Iterator<String>> {
    private static final long serialVersionUID = 1L;
    private final String work;

    WritePartition(String work) {
      this.work = work;
    }

    @Override
    public void call(Iterator<String> ids) {
      StringBuilder out = new StringBuilder();
      ids.forEachRemaining(id -> out.append(id).append('\n'));
      if (out.length() > 0) {
        appendLines(Path.of(work, "processed-" + UUID.randomUUID() + ".txt"), out);
      }
    }
  }
}
