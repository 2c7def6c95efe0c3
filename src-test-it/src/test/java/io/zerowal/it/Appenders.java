/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.RecordHandle;
import io.zerowal.core.WalException;
import io.zerowal.core.WriteAheadLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appending threads: each appends self-describing payloads with a small window of futures in
 * flight, records every acknowledgement in the {@link Ledger}, and stops when told to or when the log
 * refuses appends. {@link #awaitAll} checks that every future settled within a bound.
 */
final class Appenders {
  static final long SETTLE_SECONDS = 30;

  private final List<Future<?>> tasks = new ArrayList<>();
  final AtomicBoolean stop = new AtomicBoolean();
  final AtomicLong unsettled = new AtomicLong();
  final AtomicLong maxAckedSequence = new AtomicLong(-1);

  /** Starts {@code writers} appenders of up to {@code perWriter} records each, keys of {@code phase}. */
  Appenders start(ExecutorService pool, WriteAheadLog log, Ledger ledger, int phase, int writers,
      int perWriter, int window) {
    for (int w = 0; w < writers; w++) {
      int writer = w;
      tasks.add(pool.submit(() -> append(log, ledger, phase, writer, perWriter, window)));
    }
    return this;
  }

  private void append(WriteAheadLog log, Ledger ledger, int phase, int writer, int perWriter,
      int window) {
    ArrayDeque<CompletableFuture<?>> inFlight = new ArrayDeque<>();
    for (int i = 0; i < perWriter && !stop.get(); i++) {
      long key = Payloads.key(phase, writer, i);
      byte[] payload = ledger.submit(key);
      CompletableFuture<RecordHandle> f;
      try {
        f = log.append(payload);
      } catch (WalException e) {
        break; // closed or failed: the documented refusals
      }
      inFlight.add(f.thenAccept(h -> {
        ledger.acked(key, h);
        maxAckedSequence.accumulateAndGet(h.sequence(), Math::max);
      }));
      if (inFlight.size() >= window) {
        settle(inFlight.poll());
      }
    }
    for (CompletableFuture<?> f : inFlight) {
      settle(f);
    }
  }

  private void settle(CompletableFuture<?> f) {
    try {
      f.get(SETTLE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // failed futures are expected after a crash or fault
    } catch (TimeoutException e) {
      unsettled.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean allDone() {
    for (Future<?> t : tasks) {
      if (!t.isDone()) {
        return false;
      }
    }
    return true;
  }

  /** Waits for every appender; returns a problem description, or null if all settled in time. */
  String awaitAll() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS * 2);
    for (Future<?> t : tasks) {
      try {
        t.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return "an appender did not finish within " + SETTLE_SECONDS * 2 + "s";
      } catch (ExecutionException e) {
        return "an appender threw " + e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    return unsettled.get() == 0 ? null : unsettled.get() + " futures never settled";
  }
}
