/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.storage.Storage;
import io.zerowal.hdfs.HdfsStorage;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * The child JVM of the receiver scenario of {@link ProcessKillIT}: starts the engine of
 * {@link ReceiverRig} (recovering what earlier kills left) with a source that stores keyed payloads
 * and acknowledges each key only when its store future completes, until it is killed. One flushed
 * line each:
 * <pre>
 * READY          once the engine started (recovery done)
 * SUB key        before a payload is stored
 * ACK key .      when its store completed: durable in the data log and journaled
 * </pre>
 */
public final class ReceiverKillChild {
  private ReceiverKillChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    long salt = Long.parseLong(args[2]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
    CountDownLatch ready = new CountDownLatch(1); // the parent expects READY as the first line
    // With a fourth argument, the engine's logs live under that HDFS URI (HdfsReceiverKillScenario).
    Function<String, Storage> logs = args.length > 3
        ? name -> hdfs(args[3] + "/" + name) : name -> ReceiverRig.local(dir.resolve(name));
    MicroBatchEngine engine = ReceiverRig.engine(dir, new Receiver() {
      @Override
      public void onStart(ReceiverContext context) {
        Thread t = new Thread(() -> {
          try {
            ready.await();
          } catch (InterruptedException e) {
            return;
          }
          Semaphore window = new Semaphore(256);
          for (int i = 0; !context.isStopped(); i++) {
            long key = Payloads.key(round, 0, i);
            window.acquireUninterruptibly();
            KillChild.line(out, "SUB " + Long.toHexString(key));
            context.store(ReceiverRig.buffer(key, salt)).whenComplete((block, e) -> {
              window.release();
              if (e == null) {
                KillChild.line(out, "ACK " + Long.toHexString(key) + " .");
              }
            });
          }
        }, "source");
        t.setDaemon(true);
        t.start();
      }

      @Override
      public void onStop() {}
    }, logs);
    engine.start();
    KillChild.line(out, "READY");
    ready.countDown();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static Storage hdfs(String uri) {
    try {
      return HdfsStorage.open(new Configuration(), URI.create(uri));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
