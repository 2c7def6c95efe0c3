/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A synthetic upstream like a Kafka partition: records {@code id:n} for n = 0, 1, 2, ...; a record
 * counts as acknowledged only when its store future completed, and a restarted source resumes at
 * the first record never acknowledged (its committed offset), so records after it are sent again.
 */
final class CountingSource implements Receiver {
  final String id;
  final boolean asLists;
  final Set<Long> produced;
  final ConcurrentSkipListSet<Long> acked;
  private final long from;
  private volatile boolean stop;
  private Thread thread;

  CountingSource(String id, boolean asLists, Set<Long> produced, ConcurrentSkipListSet<Long> acked) {
    this.id = id;
    this.asLists = asLists;
    this.produced = produced;
    this.acked = acked;
    long offset = 0;
    while (acked.contains(offset)) {
      offset++;
    }
    this.from = offset;
  }

  @Override
  public void onStart(ReceiverContext context) {
    thread = new Thread(() -> run(context), "source-" + id);
    thread.start();
  }

  private void run(ReceiverContext context) {
    long next = from;
    int batch = 1;
    while (!stop && !context.isStopped()) {
      List<Long> ids = new ArrayList<>();
      List<ByteBuffer> records = new ArrayList<>();
      int n = asLists ? batch++ % 5 + 1 : 1;
      for (int i = 0; i < n; i++) {
        long r = next++;
        ids.add(r);
        records.add(ByteBuffer.wrap((id + ":" + r).getBytes(StandardCharsets.UTF_8)));
      }
      produced.addAll(ids);
      CompletableFuture<BlockInfo> f;
      try {
        f = asLists ? context.store(records) : context.store(records.get(0));
      } catch (RuntimeException e) {
        return; // the engine is failing: like a consumer whose sink is down
      }
      f.whenComplete((block, error) -> {
        if (error == null) {
          acked.addAll(ids);
        }
      });
    }
  }

  @Override
  public void onStop() {
    stop = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
