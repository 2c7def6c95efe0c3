package io.zerowal.receiver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
  private final Map<String, ReceiverContext> contexts = new LinkedHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private Thread cutter;

  /** A context per receiver over its data log; {@code onLogFailure} hears of a failed log. */
  Receivers(EngineConfig config, EngineLogs logs, LogCleaner cleaner, EngineThreads threads,
      Consumer<Throwable> onLogFailure) {
    this.config = config;
    this.threads = threads;
    logs.dataLogs().forEach((id, dataLog) -> contexts.put(id, new ReceiverContext(id, config,
        new BlockWriter(id, dataLog, logs.tracker(), cleaner.floors(id), config, onLogFailure,
            threads))));
  }

  /** Starts the block-cutting thread. */
  void startCutting() {
    cutter = threads.start("zerowal-blocks", true, this::cutBlocks);
  }

  /**
   * Calls every receiver's {@code onStart}.
   *
   * @throws EngineFailedException naming the first receiver that threw; later ones are not started
   */
  void startAll() {
    for (Map.Entry<String, Receiver> e : config.receivers().entrySet()) {
      try {
        threads.callback(() -> e.getValue().onStart(contexts.get(e.getKey())));
      } catch (RuntimeException ex) {
        throw new EngineFailedException("receiver " + e.getKey() + " failed in onStart", ex);
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
    for (Map.Entry<String, Receiver> e : config.receivers().entrySet()) {
      try {
        threads.callback(() -> e.getValue().onStop());
      } catch (RuntimeException ex) {
        log.warn("receiver {} failed in onStop", e.getKey(), ex);
      }
    }
    contexts.values().forEach(c -> c.stop(flush));
  }

  /** Waits until every store accepted before the stop has completed, one way or the other. */
  void awaitStored() {
    contexts.values().forEach(ReceiverContext::awaitStored);
  }

  /** Waits for the block-cutting thread to end, after {@link #stopAll}. */
  void joinCutter() throws InterruptedException {
    if (cutter != null) {
      cutter.join();
    }
  }

  Map<String, ReceiverStats> stats() {
    Map<String, ReceiverStats> m = new LinkedHashMap<>();
    contexts.forEach((id, c) -> m.put(id, c.stats()));
    return Collections.unmodifiableMap(m);
  }

  private void cutBlocks() {
    long interval = config.blockInterval().toNanos();
    while (!stopped.get()) {
      LockSupport.parkNanos(this, interval); // unparked by stopAll
      for (ReceiverContext c : contexts.values()) {
        try {
          c.tick();
        } catch (RuntimeException e) {
          log.debug("cutting a block of receiver {}", c.receiverId(), e);
        }
      }
    }
  }
}
