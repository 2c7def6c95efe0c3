/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.LogFailedException;
import io.zerowal.core.WriteAheadLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receivers of a running engine: their contexts (each with its {@link BlockWriter}), their
 * {@code onStart} and {@code onStop}, and the block-cutting thread that ticks their generators
 * every blockInterval. Thread-safe.
 */
final class Receivers {
  private static final Logger log = LoggerFactory.getLogger(Receivers.class);

  private final EngineConfig config;
  private final EngineThreads threads;
  private final Backlog backlog;
  private final Map<String, ReceiverContext> contexts = new LinkedHashMap<>();
  private final Map<String, ReceiverSupervisor> supervisors = new LinkedHashMap<>();
  /** The engine's logs, watched by the block-cutting thread for a failure no store has seen. */
  private final List<WriteAheadLog> watched = new ArrayList<>();
  private final ReceiverSupervisor.Engine engine;
  private boolean logFailureReported; // the block-cutting thread only
  private final AtomicBoolean stopped = new AtomicBoolean();
  private Thread cutter;

  /**
   * A context and a supervisor per receiver over its data log; {@code engine} hears of failed
   * logs and failed receivers.
   */
  Receivers(EngineConfig config, EngineLogs logs, LogCleaner cleaner, Backlog backlog,
      DiskQuota quota, EngineThreads threads, ReceiverSupervisor.Engine engine) {
    this.config = config;
    this.threads = threads;
    this.backlog = backlog;
    this.engine = engine;
    watched.addAll(logs.dataLogs().values());
    watched.add(logs.metadata());
    logs.dataLogs().forEach((id, dataLog) -> {
      ReceiverContext context = new ReceiverContext(id, config, new BlockWriter(id, dataLog,
          logs.tracker(), cleaner.floors(id), backlog, quota, config, engine::fail, threads),
          threads);
      ReceiverSupervisor supervisor = new ReceiverSupervisor(id, config.receivers().get(id),
          context, config.restartPolicy(), config.stopEngineOnReceiverFailure(), threads, engine);
      context.supervise(supervisor);
      contexts.put(id, context);
      supervisors.put(id, supervisor);
    });
  }

  /** Starts the block-cutting thread. */
  void startCutting() {
    cutter = threads.start("blocks", true, this::cutBlocks);
  }

  /**
   * Calls every receiver's {@code onStart}, in the order they were added.
   *
   * @throws EngineFailedException naming the first receiver that threw; later ones are not
   *     started, earlier ones are left started (the caller stops the engine)
   */
  void startAll() {
    for (Map.Entry<String, ReceiverSupervisor> e : supervisors.entrySet()) {
      try {
        e.getValue().start();
      } catch (RuntimeException ex) {
        throw new EngineFailedException("receiver " + e.getKey() + " failed to start: " + ex
            + "; the engine did not start and its other receivers were stopped", ex);
      }
    }
  }

  /**
   * Stops the receivers once: marks them stopping, calls every {@code onStop}, then refuses stores;
   * with {@code flush} the generators store what they hold, otherwise they fail it.
   */
  void stopAll(boolean flush) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (cutter != null) {
      LockSupport.unpark(cutter);
    }
    contexts.values().forEach(ReceiverContext::markStopping);
    backlog.wakeAll(); // stores waiting for the processor see the stop
    supervisors.values().forEach(ReceiverSupervisor::stopWithEngine);
    contexts.values().forEach(c -> c.stop(flush));
  }

  /**
   * For a graceful stop: waits, for each receiver, until every store accepted before the stop has
   * completed and its acknowledgement ran, then calls its {@code onDrained}; until
   * {@code deadlineNanos}.
   *
   * @return false if the deadline passed first (receivers not drained by then get no
   *     {@code onDrained})
   */
  boolean awaitStoredAndDrain(long deadlineNanos) {
    for (Map.Entry<String, ReceiverContext> e : contexts.entrySet()) {
      if (!e.getValue().awaitStored(deadlineNanos)) {
        return false;
      }
      supervisors.get(e.getKey()).drained();
    }
    return true;
  }

  /** Waits for the block-cutting thread to end, after {@link #stopAll}. */
  void joinCutter() throws InterruptedException {
    if (cutter != null) {
      cutter.join();
    }
  }

  /** Each receiver's rate limiter, by id; null values for receivers without one. */
  Map<String, RateLimiter> rateLimiters() {
    Map<String, RateLimiter> m = new LinkedHashMap<>();
    contexts.forEach((id, c) -> m.put(id, c.rateLimiter()));
    return m;
  }

  Map<String, ReceiverStats> stats() {
    Map<String, ReceiverStats> m = new LinkedHashMap<>();
    contexts.forEach((id, c) -> m.put(id, c.stats()));
    return Collections.unmodifiableMap(m);
  }

  private void cutBlocks() {
    long interval = Long.MAX_VALUE;
    for (String id : contexts.keySet()) {
      interval = Math.min(interval, config.blockInterval(id).toNanos());
    }
    while (!stopped.get()) {
      LockSupport.parkNanos(this, interval); // unparked by stopAll
      for (ReceiverContext c : contexts.values()) {
        try {
          c.tick(System.nanoTime());
        } catch (RuntimeException e) {
          log.debug("cutting a block of receiver {}", c.receiverId(), e);
        }
      }
      checkLogs();
    }
  }

  /**
   * Fails the engine if one of its logs failed: a log can fail while no store is in flight (its
   * writer finds its lock file gone while idle), and a failed store would be the only other news of
   * it, perhaps never if the receivers have nothing to store.
   */
  private void checkLogs() {
    if (logFailureReported) {
      return;
    }
    for (WriteAheadLog l : watched) {
      Optional<LogFailedException> f = l.failure();
      if (f.isPresent()) {
        logFailureReported = true;
        engine.fail(f.get());
        return;
      }
    }
  }
}
