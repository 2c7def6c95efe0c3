/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.receiver.BatchProcessor;
import io.zerowal.receiver.BlockInfo;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Transaction;
import org.apache.flume.conf.BatchSizeSupported;
import org.apache.flume.conf.Configurable;
import org.apache.flume.conf.ConfigurationException;
import org.apache.flume.instrumentation.SinkCounter;
import org.apache.flume.lifecycle.LifecycleState;
import org.apache.flume.sink.AbstractSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flume sink that makes each channel transaction durable in a ZeroWAL log before the channel may
 * forget it: Spark's reliable Flume sink, without Spark.
 *
 * <h2>What a transaction does</h2>
 * {@link #process()} begins a channel transaction, takes up to {@code batchSize} events, encodes
 * each ({@link EventFormat}) and stores them as one or more blocks through the
 * {@link MicroBatchEngine} the sink hosts, waits until every block is durable in the data log and
 * journaled in the metadata log, and only then commits the transaction. If a store fails (a log
 * failed, the engine stopped, an event does not fit), the transaction is rolled back: the channel
 * keeps the events and delivers them again.
 *
 * <h2>Where processing happens</h2>
 * The sink hosts the engine in the agent's JVM, on the directory it is configured with: the data
 * log in {@code <directory>/flume}, the metadata log in {@code <directory>/meta}. Every
 * {@code batchIntervalMs} the engine hands what was stored to a {@link BatchProcessor}: the class
 * named by the {@code processor} key (public, with a public no-argument constructor; configured
 * with the {@code processor.*} keys if it implements Flume's {@link Configurable}), or the one
 * given to {@link #ZeroWalSink(BatchProcessor)}. The processor decodes each record with
 * {@link EventFormat#decode}. After a crash the engine re-runs unfinished batches with the same
 * batch time and blocks before anything new, so a processor whose output is idempotent per batch
 * time ({@link BatchFileWriter}) writes each batch once.
 *
 * <h2>Delivery</h2>
 * At least once from the channel to the processor: a crash after a block is durable and before
 * the transaction commits makes the channel deliver those events again (one transaction per sink
 * at most). Nothing committed is lost while the channel and the logs keep what they promise
 * (a FileChannel and {@code durability = SYNC} survive a power loss; a MemoryChannel survives
 * nothing). Events that carry a unique id can be de-duplicated by the processor.
 *
 * <h2>Failures</h2>
 * A processor that throws stops the engine (its batch stays uncompleted); transactions then roll
 * back, and every {@code restartBackoffMs} the sink starts a new engine on the same logs, which
 * re-runs the batch. {@link #stop()} stops the engine gracefully: what was stored is processed,
 * within {@code stopTimeoutMs} (what is left stays in the logs for the next start).
 *
 * <p>Thread-safety: as every Flume sink, driven by one sink runner thread.
 */
public final class ZeroWalSink extends AbstractSink implements Configurable, BatchSizeSupported {
  private static final Logger log = LoggerFactory.getLogger(ZeroWalSink.class);

  /** The receiver id of the sink's engine: its data log is {@code <directory>/flume}. */
  public static final String RECEIVER_ID = "flume";
  /** The name of the metadata log's directory under the sink's {@code directory}. */
  public static final String METADATA_DIRECTORY = "meta";
  // BlockFormat's header (5 bytes) and per-record length (4), with room to spare: the sink cuts
  // blocks by this bound so that a store never refuses a block for its size.
  private static final int BLOCK_OVERHEAD = 16;
  private static final int RECORD_OVERHEAD = 8;

  private final BatchProcessor givenProcessor;
  private final UnaryOperator<MicroBatchEngine.Builder> storages;
  private SinkConfig config;
  private BatchProcessor processor;
  private SinkCounter counter;
  private volatile MicroBatchEngine engine;
  private volatile ReceiverContext context;
  private long nextStartNanos;
  private long oversizeDropped;
  private RuntimeException startFailure; // why the last engine start failed, if it did
  private volatile Thread batchThread; // the engine's thread while it runs the processor
  // How long stop() waits past stopTimeoutMs before interrupting the processor, and after.
  private static final long STOP_GRACE_MS = 2000;

  /** A sink whose processor is named by the {@code processor} key, as Flume creates sinks. */
  public ZeroWalSink() {
    this.givenProcessor = null;
    this.storages = null;
  }

  /**
   * A sink that hands each batch to {@code processor}, for agents built in code (the
   * {@code processor} key must then be absent).
   *
   * @param processor the work on each batch; see {@link BatchProcessor}
   */
  public ZeroWalSink(BatchProcessor processor) {
    this.givenProcessor = Objects.requireNonNull(processor, "processor must not be null");
    this.storages = null;
  }

  /** For tests: the engine's logs on the storages {@code storages} sets instead of the directory. */
  ZeroWalSink(BatchProcessor processor, UnaryOperator<MicroBatchEngine.Builder> storages) {
    this.givenProcessor = Objects.requireNonNull(processor, "processor must not be null");
    this.storages = Objects.requireNonNull(storages, "storages");
  }

  /**
   * Reads the sink's keys (see the README's "Wrap your source: Flume") and creates the processor.
   *
   * @param context the sink's properties, {@code agent.sinks.<name>.} stripped
   * @throws ConfigurationException naming the key, its value and the fix
   */
  @Override
  public void configure(Context context) {
    Objects.requireNonNull(context, "context must not be null");
    SinkConfig c = SinkConfig.parse(getName(), context);
    if (givenProcessor != null) {
      if (c.processorClass != null) {
        throw new ConfigurationException("ZeroWalSink " + c.sinkName + ": " + c.key("processor")
            + " = " + c.processorClass + " is set, but this sink was built with a processor: remove"
            + " the key, or build the sink without one");
      }
      processor = givenProcessor;
    } else {
      processor = newProcessor(c);
    }
    config = c;
    if (counter == null) {
      counter = new SinkCounter(getName());
    }
  }

  private static BatchProcessor newProcessor(SinkConfig c) {
    if (c.processorClass == null) {
      throw new ConfigurationException("ZeroWalSink " + c.sinkName + ": " + c.key("processor")
          + " is required: the class that processes each batch (a public class implementing"
          + " io.zerowal.receiver.BatchProcessor with a public no-argument constructor), e.g. "
          + c.key("processor") + " = " + BatchFileWriter.class.getName());
    }
    Object instance;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type = Class.forName(c.processorClass, true,
          loader != null ? loader : ZeroWalSink.class.getClassLoader());
      if (!BatchProcessor.class.isAssignableFrom(type)) {
        throw new ConfigurationException("ZeroWalSink " + c.sinkName + ": " + c.key("processor")
            + " = " + c.processorClass + " does not implement " + BatchProcessor.class.getName());
      }
      instance = type.getConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException("ZeroWalSink " + c.sinkName + ": " + c.key("processor")
          + " = " + c.processorClass + ": no such class on the agent's classpath (put its jar in"
          + " the agent's plugins.d or lib directory)", e);
    } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
      throw new ConfigurationException("ZeroWalSink " + c.sinkName + ": " + c.key("processor")
          + " = " + c.processorClass + " cannot be created: it needs to be a public, non-abstract"
          + " class with a public no-argument constructor (" + e + ")", e);
    } catch (InvocationTargetException e) {
      throw new ConfigurationException("ZeroWalSink " + c.sinkName + ": the constructor of "
          + c.processorClass + " threw " + e.getCause(), e.getCause());
    }
    if (instance instanceof Configurable configurable) {
      configurable.configure(new Context(c.processorProperties));
    } else if (!c.processorProperties.isEmpty()) {
      throw new ConfigurationException("ZeroWalSink " + c.sinkName + ": " + c.key("processor.")
          + c.processorProperties.keySet().iterator().next() + " is set, but " + c.processorClass
          + " does not implement org.apache.flume.conf.Configurable: remove the processor.* keys");
    }
    return (BatchProcessor) instance;
  }

  /** The most events taken from the channel in one transaction ({@code batchSize}). */
  @Override
  public long getBatchSize() {
    return config == null ? 100 : config.batchSize;
  }

  /**
   * Opens the logs (recovering them: unfinished batches re-run first) and starts the engine. If
   * the engine cannot start (its logs are locked by another agent, corrupt, on a disk that is not
   * there), the failure is logged and the sink starts anyway: {@link #process()} takes nothing
   * and tries again every {@code restartBackoffMs}, naming the cause.
   *
   * @throws IllegalStateException if {@link #configure} was not called
   */
  @Override
  public synchronized void start() {
    if (config == null) {
      throw new IllegalStateException("ZeroWalSink " + getName() + " was not configured: call"
          + " configure(context) before start()");
    }
    if (getLifecycleState() == LifecycleState.START) {
      return; // a sink processor starts its sinks: a second start is not a second engine
    }
    counter.start();
    try {
      startEngine();
    } catch (RuntimeException e) {
      // The logs are locked by another agent, the disk is not there yet...: the sink starts
      // anyway, and process() rolls back and tries again every restartBackoffMs, as for an
      // engine that failed later. Nothing is taken from the channel meanwhile.
      startFailure = e;
      nextStartNanos = System.nanoTime() + config.restartBackoff.toNanos();
      log.error("ZeroWalSink {}: the engine could not start on {}: {}; the channel keeps the"
          + " events and the sink tries again every {} ms ({})", getName(),
          config.directory.toAbsolutePath(), e.getMessage(), config.restartBackoff.toMillis(),
          config.key("restartBackoffMs"), e);
    }
    super.start();
    log.info("ZeroWalSink {} started: logs in {}, durability {}, batchSize {}, maxBlockBytes {},"
        + " batchIntervalMs {}", getName(), config.directory.toAbsolutePath(), config.durability,
        config.batchSize, config.maxBlockBytes, config.batchInterval.toMillis());
  }

  /**
   * Stops the engine gracefully: what was stored is processed (within {@code stopTimeoutMs}; the
   * rest stays in the logs for the next start). Called by Flume after the sink runner has ended.
   * Bounded: a processor still running 2 s after {@code stopTimeoutMs} is interrupted, and one
   * that ignores it is no longer waited for 2 s later (its engine frees the logs once it returns).
   * Called from inside the processor, it returns at once and the engine stops after the batch.
   */
  @Override
  public synchronized void stop() {
    MicroBatchEngine e = engine;
    engine = null;
    context = null;
    if (e != null) {
      stopEngine(e);
    }
    if (counter != null) {
      counter.stop();
    }
    super.stop();
    log.info("ZeroWalSink {} stopped; {} oversize events dropped since start", getName(),
        oversizeDropped);
  }

  /**
   * Stops {@code e} gracefully, but waits no longer than {@code stopTimeoutMs} and a grace: the
   * engine waits for a running batch, and a processor blocked on an output that never answers
   * would hang the agent's shutdown. Past the timeout the processor's thread is interrupted;
   * if it still does not return, the sink gives up waiting (the engine stops, and frees its
   * logs, once the processor returns). Nothing is lost: what was not processed stays in the logs.
   */
  private void stopEngine(MicroBatchEngine e) {
    if (batchThread == Thread.currentThread()) {
      // stop() from inside the processor: the engine stops on a thread of its own once the
      // processor returns; waiting here would wait for this very thread.
      stopQuietly(e, getName());
      return;
    }
    // getName() is synchronized on the sink, which stop() holds: the stopper takes it now.
    String name = getName();
    Thread stopper = new Thread(() -> stopQuietly(e, name), "zerowal-flume-stop-" + name);
    stopper.setDaemon(true);
    stopper.start();
    boolean interrupted = false;
    long timeoutMs = config.stopTimeout.toMillis();
    try {
      if (!join(stopper, timeoutMs + STOP_GRACE_MS)) {
        Thread running = batchThread;
        log.warn("ZeroWalSink {}: the processor has not returned within {} = {} ms: interrupting"
            + " it ({})", getName(), config.key("stopTimeoutMs"), timeoutMs, running);
        if (running != null) {
          running.interrupt();
        }
        if (!join(stopper, STOP_GRACE_MS)) {
          log.error("ZeroWalSink {}: the processor ignores interrupts and has not returned {} ms"
              + " after {} = {} ms: the sink stops without waiting for it; the engine frees its"
              + " logs in {} once it returns, and what was not processed stays there for the next"
              + " start", getName(), STOP_GRACE_MS, config.key("stopTimeoutMs"), timeoutMs,
              config.directory);
        }
      }
    } catch (InterruptedException ex) {
      interrupted = true;
      log.warn("ZeroWalSink {}: interrupted while stopping its engine; it goes on stopping on"
          + " thread {}", getName(), stopper.getName());
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean join(Thread t, long millis) throws InterruptedException {
    t.join(millis);
    return !t.isAlive();
  }

  private void stopQuietly(MicroBatchEngine e, String name) {
    try {
      e.stop();
    } catch (RuntimeException ex) {
      log.error("ZeroWalSink {}: the engine had failed: {}; what was stored and not processed"
          + " stays in {} for the next start", name, ex.getMessage(), config.directory, ex);
    }
  }

  /** Runs the user's processor, keeping its thread so that a stop past its timeout interrupts it. */
  private final class TrackedProcessor implements BatchProcessor {
    private final BatchProcessor delegate;

    TrackedProcessor(BatchProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void process(io.zerowal.receiver.Batch batch) throws Exception {
      batchThread = Thread.currentThread();
      try {
        delegate.process(batch);
      } finally {
        batchThread = null;
      }
    }
  }

  private void startEngine() {
    MicroBatchEngine.Builder b = MicroBatchEngine.builder()
        .name(engineName(getName()))
        .durability(config.durability)
        .batchInterval(config.batchInterval)
        .maxBlockBytes(config.maxBlockBytes)
        .dataSegmentSize(config.dataSegmentSize)
        .maxUnprocessedBytes(config.maxUnprocessedBytes)
        .gracefulStopTimeout(config.stopTimeout)
        .receiver(RECEIVER_ID, new ChannelReceiver())
        .processor(new TrackedProcessor(processor));
    if (storages != null) {
      b = storages.apply(b);
    } else {
      var dirs = LocalStorage.under(config.directory);
      b.dataStorage(dirs).metadataStorage(dirs.apply(METADATA_DIRECTORY));
    }
    MicroBatchEngine e = b.build();
    e.start();
    engine = e;
  }

  /** An engine name from the sink's name: the same rules as a receiver id. */
  private static String engineName(String sinkName) {
    String s = "flume-" + (sinkName == null ? "sink" : sinkName.replaceAll("[^A-Za-z0-9._-]", "_"));
    return s.length() > 64 ? s.substring(0, 64) : s;
  }

  /**
   * One transaction: takes up to {@code batchSize} events, stores them durably, commits; rolls
   * back if anything fails, so that the channel keeps the events.
   *
   * @return {@link Status#BACKOFF} if the channel was empty, {@link Status#READY} otherwise
   * @throws EventDeliveryException if the events could not be stored (rolled back; the sink
   *     runner backs off and calls again)
   */
  @Override
  public Status process() throws EventDeliveryException {
    ReceiverContext ctx = runningContext();
    Channel channel = getChannel();
    Transaction tx = channel.getTransaction();
    boolean committed = false;
    tx.begin();
    try {
      List<ByteBuffer> records = new ArrayList<>(Math.min(config.batchSize, 1024));
      int taken = take(channel, records);
      if (taken == 0) {
        tx.commit();
        committed = true;
        counter.incrementBatchEmptyCount();
        return Status.BACKOFF;
      }
      if (taken < config.batchSize) {
        counter.incrementBatchUnderflowCount();
      } else {
        counter.incrementBatchCompleteCount();
      }
      counter.addToEventDrainAttemptCount(taken);
      storeDurably(ctx, records);
      checkLogsStillThere();
      tx.commit();
      committed = true;
      counter.addToEventDrainSuccessCount(records.size());
      return Status.READY;
    } catch (Throwable t) {
      counter.incrementEventWriteOrChannelFail(t);
      if (t instanceof Error err) {
        throw err;
      }
      if (t instanceof EventDeliveryException ede) {
        throw ede;
      }
      throw new EventDeliveryException("ZeroWalSink " + getName() + ": rolled back, the channel"
          + " keeps the events: " + t.getMessage(), t);
    } finally {
      if (!committed) {
        rollback(tx);
      }
      tx.close();
    }
  }

  private void rollback(Transaction tx) {
    try {
      tx.rollback();
    } catch (RuntimeException e) {
      log.error("ZeroWalSink {}: rollback failed: {}", getName(), e.getMessage(), e);
    }
  }

  /** Takes events until batchSize or an empty channel; returns how many were taken. */
  private int take(Channel channel, List<ByteBuffer> records) throws EventDeliveryException {
    int taken = 0;
    while (taken < config.batchSize) {
      Event event = channel.take();
      if (event == null) {
        break;
      }
      taken++;
      String what = null;
      try {
        long size = EventFormat.encodedSize(event);
        if (size + RECORD_OVERHEAD + BLOCK_OVERHEAD > config.maxBlockBytes) {
          what = "an event of " + size + " encoded bytes (headers " + shortly(event)
              + ") does not fit in a block of " + config.key("maxBlockBytes") + " = "
              + config.maxBlockBytes + " (less " + (RECORD_OVERHEAD + BLOCK_OVERHEAD)
              + " bytes of framing)";
        }
      } catch (IllegalArgumentException e) { // too many headers, a key over 64 KiB
        what = e.getMessage();
      }
      if (what != null) {
        if (config.oversize == SinkConfig.Oversize.DROP) {
          oversizeDropped++;
          counter.incrementEventWriteFail();
          log.warn("ZeroWalSink {}: dropped {} ({} = drop); {} dropped since start", getName(),
              what, config.key("oversizeEvents"), oversizeDropped);
          continue;
        }
        throw new EventDeliveryException("ZeroWalSink " + getName() + ": " + what + ": the"
            + " transaction is rolled back and the channel keeps the event, so this sink delivers"
            + " nothing until it is removed: raise maxBlockBytes (up to 134217728), or set "
            + config.key("oversizeEvents") + " = drop to drop such events with a warning");
      }
      records.add(EventFormat.encode(event));
    }
    return taken;
  }

  /**
   * Refuses to commit if a log's lock file is gone: the log directory was deleted (or cleaned)
   * under the running sink, and the blocks just stored went to files that no longer exist. The
   * core notices within its lock check interval (100 ms) and fails the log; a commit in that
   * window would acknowledge events kept nowhere. Two stats per transaction, against an fsync.
   */
  private void checkLogsStillThere() throws EventDeliveryException {
    if (storages != null) {
      return; // storages given by a test: no directory
    }
    for (Path lock : new Path[] {
        config.directory.resolve(RECEIVER_ID).resolve(LocalStorage.LOCK_FILE),
        config.directory.resolve(METADATA_DIRECTORY).resolve(LocalStorage.LOCK_FILE)}) {
      if (!Files.exists(lock)) {
        throw new EventDeliveryException("ZeroWalSink " + getName() + ": " + lock
            + " is gone: the log directory " + config.directory.toAbsolutePath() + " was deleted"
            + " or cleaned under the running sink, so the blocks just stored may be kept nowhere;"
            + " the transaction is rolled back and the channel keeps its events (keep temp"
            + " cleaners and scripts away from " + config.key("directory") + ")");
      }
    }
  }

  /** The event's headers for a message, cut at 200 characters. */
  private static String shortly(Event event) {
    String h = String.valueOf(event.getHeaders());
    return h.length() <= 200 ? h : h.substring(0, 200) + "...";
  }

  /** Stores the records as blocks of at most maxBlockBytes and waits until all are durable. */
  private void storeDurably(ReceiverContext ctx, List<ByteBuffer> records)
      throws EventDeliveryException {
    if (records.isEmpty()) {
      return;
    }
    List<CompletableFuture<BlockInfo>> stores = new ArrayList<>();
    int from = 0;
    long blockBytes = BLOCK_OVERHEAD;
    for (int i = 0; i < records.size(); i++) {
      long size = records.get(i).remaining() + RECORD_OVERHEAD;
      if (blockBytes + size > config.maxBlockBytes) {
        stores.add(ctx.store(records.subList(from, i)));
        from = i;
        blockBytes = BLOCK_OVERHEAD;
      }
      blockBytes += size;
    }
    stores.add(ctx.store(records.subList(from, records.size())));
    awaitAll(stores);
  }

  /**
   * Waits for every store, even when interrupted (the sink runner interrupts its thread to stop
   * it): giving up on a store that then completes would only make the channel deliver it twice.
   * A store completes or fails once its log did, or once the engine stops.
   */
  private void awaitAll(List<CompletableFuture<BlockInfo>> stores)
      throws EventDeliveryException {
    boolean interrupted = false;
    try {
      for (CompletableFuture<BlockInfo> f : stores) {
        while (true) {
          try {
            f.get();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CompletionException && cause.getCause() != null) {
              cause = cause.getCause();
            }
            throw new EventDeliveryException("ZeroWalSink " + getName() + ": a block was not"
                + " stored (" + cause + "); the transaction is rolled back and the channel keeps"
                + " its events", cause);
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The context to store through; restarts a failed engine at most every restartBackoffMs.
   *
   * @throws EventDeliveryException if the engine is down: nothing is taken from the channel
   */
  private ReceiverContext runningContext() throws EventDeliveryException {
    MicroBatchEngine e = engine;
    ReceiverContext ctx = context;
    if (isUp(e, ctx)) {
      return ctx;
    }
    synchronized (this) {
      if (config == null || getLifecycleState() != LifecycleState.START) {
        throw new EventDeliveryException("ZeroWalSink " + getName() + " is not started");
      }
      if (isUp(engine, context)) {
        return context;
      }
      String why = engine != null
          ? engine.failure().map(Throwable::toString).orElse("stopped")
          : startFailure != null ? "did not start (" + startFailure + ")" : "did not start";
      long now = System.nanoTime();
      if (now - nextStartNanos < 0) {
        throw new EventDeliveryException("ZeroWalSink " + getName() + ": the engine " + why
            + "; next start in " + (nextStartNanos - now) / 1_000_000 + " ms ("
            + config.key("restartBackoffMs") + "); the channel keeps the events");
      }
      nextStartNanos = now + config.restartBackoff.toNanos();
      MicroBatchEngine old = engine;
      engine = null;
      context = null;
      if (old != null) {
        old.stopNow();
      }
      log.warn("ZeroWalSink {}: the engine {}: starting a new one on {} (unfinished batches re-run)",
          getName(), why, config.directory);
      try {
        startEngine();
        startFailure = null;
      } catch (RuntimeException ex) {
        startFailure = ex;
        throw new EventDeliveryException("ZeroWalSink " + getName() + ": the engine could not"
            + " start: " + ex.getMessage() + "; next try in "
            + config.restartBackoff.toMillis() + " ms", ex);
      }
      return context;
    }
  }

  /** True if stores through {@code ctx} are accepted: the engine runs and is not stopping. */
  private static boolean isUp(MicroBatchEngine e, ReceiverContext ctx) {
    return e != null && ctx != null && e.isRunning() && !ctx.isStopped()
        && e.failure().isEmpty();
  }

  /** Hands the engine's context to the sink: the sink's runner thread stores through it. */
  private final class ChannelReceiver implements Receiver {
    @Override
    public void onStart(ReceiverContext ctx) {
      context = ctx;
    }

    @Override
    public void onStop() {
      // Nothing to stop: the sink runner's thread stores, and its transactions roll back once
      // stores are refused.
    }
  }

  /** For tests: oversize events dropped since start. */
  long oversizeDropped() {
    return oversizeDropped;
  }

  /** For tests and monitoring: the engine running now, if any. */
  MicroBatchEngine engine() {
    return engine;
  }
}
