/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.storage.Storage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs receivers and turns what they store into micro-batches that survive crashes.
 *
 * <pre>{@code
 * MicroBatchEngine engine = MicroBatchEngine.builder()
 *     .dataStorage(id -> local(dir.resolve("data").resolve(id))) // local: new LocalStorage(path),
 *     .metadataStorage(local(dir.resolve("metadata")))           // its IOException unchecked
 *     .batchInterval(Duration.ofSeconds(1))
 *     .receiver("orders", new KafkaReceiver(...))
 *     .processor(batch -> sink.write(batch.batchTime(), batch.records()))
 *     .build();
 * engine.start();
 * ...
 * engine.stop();
 * }</pre>
 *
 * <h2>What happens</h2>
 * Each receiver stores blocks in its own data log; each block's BlockAdded is journaled in the
 * metadata log. Every {@code batchInterval} the engine journals the allocation of every unallocated
 * block to a batch, hands the batch to the {@link BatchProcessor}, and journals its completion;
 * batches run one at a time, in batch-time order. Then it deletes the data segments no batch still
 * needs and compacts the metadata log behind a snapshot, so disk use stays flat.
 *
 * <h2>Recovery</h2>
 * {@link #start()} rebuilds the tracker from the metadata log. Batches allocated but not completed
 * run again first, with the same batch time and blocks ({@link Batch#isRecovered()}); blocks stored
 * but never allocated go into the next batch; completed batches never run again. A corrupt log, or
 * a block whose data is missing from its data log, stops the start with a
 * {@link CorruptMetadataException}: the engine opens its logs with
 * {@link io.zerowal.core.RecoveryPolicy#STRICT} only, since skipping a corrupt record would drop
 * acknowledged blocks or completed batches without anyone deciding it.
 *
 * <h2>Threads</h2>
 * One batch thread ({@code zerowal-<name>-batches}, see {@link Builder#name}), one cleanup thread
 * deleting processed segments after each batch ({@code zerowal-<name>-cleanup}), one block-cutting
 * thread ({@code zerowal-<name>-blocks}), a stopping thread ({@code zerowal-<name>-stop}) when a
 * stop is called on one of the engine's own threads, short-lived threads restarting or stopping a
 * receiver, and each log's writer and completion threads; receivers bring their own or start
 * supervised ones with {@link ReceiverContext#startThread}. The engine's threads carry its name in
 * the SLF4J MDC under {@code zerowal.engine}. All methods are thread-safe.
 *
 * <h2>Failures</h2>
 * A failing receiver is restarted or stopped alone ({@link ReceiverContext}, {@link RestartPolicy});
 * a failing batch or log stops the engine ({@link #failure()}), a log failing while nothing is
 * stored (say, its lock file deleted) within a blockInterval. Each failure is logged once and
 * handed to the {@link FailureListener}.
 */
public final class MicroBatchEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MicroBatchEngine.class);

  private final EngineConfig config;
  private final Lifecycle lifecycle = new Lifecycle();
  private final EngineThreads threads;
  private volatile FailureListener failureListener;
  private volatile Consumer<BatchStats> onBatchCompleted;
  // Set once by start(), under the lifecycle's lock, before any thread that reads them starts.
  private volatile EngineLogs logs;
  private volatile Receivers receivers;
  private volatile BatchLoop loop;
  private volatile Backlog backlog;
  private final List<Consumer<BatchStats>> batchListeners = new CopyOnWriteArrayList<>();

  private MicroBatchEngine(EngineConfig config) {
    this.config = config;
    this.threads = new EngineThreads(config.name());
    this.failureListener = config.failureListener();
    this.onBatchCompleted = config.onBatchCompleted();
  }

  /**
   * Starts configuring an engine.
   *
   * @return a builder with the default options
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Opens the logs, recovers, starts the threads and calls every receiver's {@code onStart}.
   *
   * <p>If a receiver's {@code onStart} throws, the start fails: the receivers already started are
   * stopped, the engine's threads end and its logs are closed before the exception is thrown, so
   * nothing is left running; what was stored meanwhile stays in the logs for the next start.
   *
   * @throws CorruptMetadataException if a log is corrupt, the metadata log cannot be trusted, or an
   *     acknowledged block is missing from its data log; nothing is started
   * @throws EngineFailedException if a receiver failed to start; nothing is left running
   * @throws IllegalStateException if called twice: an engine runs once
   */
  public void start() {
    lifecycle.start(() -> {
      logs = EngineLogs.open(config);
      LogCleaner cleaner = new LogCleaner(logs);
      backlog = new Backlog(config, logs.tracker().allBlocks());
      EngineLogs opened = logs;
      DiskQuota quota = new DiskQuota(config.maxLogDiskBytes(), config.maxBlockTime(),
          () -> opened.stats().values().stream().mapToLong(s -> s.segmentBytes()).sum());
      loop = new BatchLoop(config, logs, cleaner, backlog, quota, threads); // before anything can fail()
      loop.onBatchCompleted(onBatchCompleted);
      loop.batchListeners(batchListeners);
      receivers = new Receivers(config, logs, cleaner, backlog, quota, threads,
          new ReceiverSupervisor.Engine() {
        @Override
        public void report(ReceiverFailure failure) {
          notifyListener(l -> l.onReceiverFailure(failure));
        }

        @Override
        public void fail(Throwable t) {
          MicroBatchEngine.this.fail(t);
        }
      });
      if (config.rateControl()) {
        loop.rateControl(new RateControl(config, receivers.rateLimiters()));
      }
      receivers.startCutting();
      threads.start("batches", false, this::runBatches);
    });
    try {
      receivers.startAll();
    } catch (EngineFailedException e) {
      lifecycle.failQuietly(e); // thrown to the caller: that is its one report
      halt();
      lifecycle.awaitTerminated(threads);
      throw e;
    }
    log.info("engine {} started: receivers {}, batchInterval {}, blockInterval {}, durability {}",
        config.name(), config.receivers().keySet(), config.batchInterval(),
        config.blockInterval(), config.durability());
  }

  /**
   * Stops gracefully: stops the receivers, stores what their block generators hold, waits for every
   * accepted store, processes everything stored in a last batch, and closes the logs. Waits for a
   * running batch to finish. Idempotent.
   *
   * <p>Called on one of the engine's own threads (from the {@link BatchProcessor}, from
   * {@code onBatchCompleted}, from a store's acknowledgement, from {@link Receiver#onStop}), it
   * starts the stop and returns at once without throwing: the stop proceeds on a thread of its own,
   * since waiting there would wait for the very thread that must return. {@link #awaitTermination}
   * and {@link #failure()} tell when and how it ended, and a {@code stop()} from any other thread
   * waits for it as usual.
   *
   * @throws EngineFailedException if the engine failed (before or during the stop), when called
   *     from a thread that is not the engine's; not for a failure {@link #start()} threw
   */
  public void stop() {
    if (stopBegun(this::drain)) {
      return;
    }
    Throwable f = lifecycle.failureToThrow();
    if (f != null) {
      throw new EngineFailedException("the engine failed: " + f.getMessage(), f);
    }
  }

  /**
   * Stops without draining: stops the receivers, fails what their block generators hold (never
   * acknowledged), waits for a running batch to finish and closes the logs. Blocks stored but not
   * processed stay in the logs for the next start. Idempotent; does not throw for a failed engine.
   * Called on one of the engine's own threads, it returns at once and the stop proceeds, as for
   * {@link #stop()}.
   */
  public void stopNow() {
    stopBegun(this::halt);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Begins a stop with {@code how}, unless one began before; then, on a thread of the engine's own,
   * returns true at once (the stop goes on on a thread of its own), elsewhere waits for the end.
   */
  private boolean stopBegun(Runnable how) {
    boolean first = lifecycle.beginStop();
    if (first) {
      log.info("engine {} stopping", config.name());
    }
    if (threads.isCurrentOwn()) {
      if (first) {
        threads.start("stop", false, how);
      }
      return true;
    }
    if (first) {
      how.run();
    }
    lifecycle.awaitTerminated(threads);
    return false;
  }

  private void drain() {
    Duration timeout = config.gracefulStopTimeout();
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    receivers.stopAll(true);
    if (!receivers.awaitStoredAndDrain(deadline)) {
      log.warn("engine {}: stores not drained within gracefulStopTimeout {}: stopping without the"
          + " last batch; what was stored stays in the logs for the next start", config.name(),
          timeout);
      loop.requestHalt();
      return;
    }
    loop.requestDrain();
    if (timeout != null) {
      try {
        if (!lifecycle.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          log.warn("engine {}: the last batch did not finish within gracefulStopTimeout {}: the"
              + " batch running now finishes, the rest stays in the logs for the next start",
              config.name(), timeout);
          loop.requestHalt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        loop.requestHalt();
      }
    }
  }

  private void halt() {
    loop.requestHalt();
    receivers.stopAll(false);
  }

  /**
   * Waits until the engine has stopped, by {@link #stop()}, {@link #stopNow()} or a failure.
   *
   * @param timeout the longest wait
   * @return true if it stopped within {@code timeout}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return lifecycle.awaitTermination(timeout);
  }

  /** {@return why the engine stopped on its own, if it did} */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(lifecycle.failure());
  }

  /** {@return true between {@link #start()} and the end of a stop or failure} */
  public boolean isRunning() {
    return lifecycle.isRunning();
  }

  private void fail(Throwable t) {
    if (lifecycle.fail(t)) {
      log.error("engine {} failed, stopping: {}", config.name(), t.getMessage(), t);
      notifyListener(l -> l.onEngineFailure(t));
      loop.requestHalt();
    }
  }

  private void notifyListener(Consumer<FailureListener> call) {
    FailureListener l = failureListener;
    if (l == null) {
      return;
    }
    try {
      threads.callback(() -> call.accept(l));
    } catch (RuntimeException e) {
      log.warn("the FailureListener threw; ignored", e);
    }
  }

  /**
   * Sets the listener of receiver and engine failures, replacing the one given to the builder;
   * null for none. Takes effect for failures from now on. Thread-safe.
   *
   * @param listener the new listener, or null for none
   */
  public void failureListener(FailureListener listener) {
    this.failureListener = listener;
  }

  private void runBatches() {
    try {
      loop.run();
    } catch (Throwable t) {
      fail(t);
    } finally {
      receivers.stopAll(false);
      try {
        receivers.joinCutter();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      logs.close();
      lifecycle.terminate();
      Throwable f = lifecycle.failure();
      log.info("engine {} stopped after {} batches, {} records{}", config.name(),
          loop.batchesCompleted(), loop.recordsProcessed(),
          f == null ? "" : " (failed: " + f.getMessage() + ")");
    }
  }

  // ---------------------------------------------------------------- stats

  /**
   * Counters of each receiver, by receiver id; empty before {@link #start()}.
   *
   * @return a snapshot of each receiver's counters, by receiver id
   */
  public Map<String, ReceiverStats> receiverStats() {
    Receivers r = receivers;
    return r == null ? Map.of() : r.stats();
  }

  /** {@return batches completed since start, re-runs included} */
  public long batchesCompleted() {
    BatchLoop l = loop;
    return l == null ? 0 : l.batchesCompleted();
  }

  /** {@return records in the batches completed since start} */
  public long recordsProcessed() {
    BatchLoop l = loop;
    return l == null ? 0 : l.recordsProcessed();
  }

  /**
   * Payload bytes stored and not yet processed (in no completed batch), all receivers together:
   * what {@link Builder#maxEngineUnprocessedBytes} bounds. 0 before {@link #start()}.
   *
   * @return the unprocessed payload bytes of all receivers
   */
  public long unprocessedBytes() {
    Backlog b = backlog;
    return b == null ? 0 : b.unprocessed();
  }

  /**
   * Batch intervals that passed without a batch starting since start, because the processor was
   * still busy: non-zero means processing is slower than the batch interval.
   *
   * @return the number of batch intervals missed since start
   */
  public long missedBatchIntervals() {
    BatchLoop l = loop;
    return l == null ? 0 : l.missedIntervals();
  }

  /**
   * The stats of the engine's logs (syncs, group sizes, pending bytes, segments, disk bytes), by
   * log: {@code "metadata"} and each receiver id; empty before {@link #start()}. A snapshot.
   *
   * @return a snapshot of each log's stats, by log name
   */
  public Map<String, io.zerowal.core.LogStats> logStats() {
    EngineLogs l = logs;
    return l == null ? Map.of() : l.stats();
  }

  /**
   * What recovery found when the logs were opened by the last {@link #start()} (torn tails cut,
   * records recovered), by log: {@code "metadata"} and each receiver id; empty before.
   *
   * @return each log's recovery report, by log name
   */
  public Map<String, io.zerowal.core.RecoveryReport> recoveryReports() {
    EngineLogs l = logs;
    return l == null ? Map.of() : l.recoveryReports();
  }

  /**
   * Blocks stored and not yet in a batch: what the next batch takes. 0 before {@link #start()}.
   *
   * @return the number of blocks waiting for a batch
   */
  public int unallocatedBlocks() {
    EngineLogs l = logs;
    return l == null ? 0 : l.tracker().unallocatedCount();
  }

  /**
   * Batches allocated and not completed: the one running, and at start those recovery re-runs.
   * 0 before {@link #start()}.
   *
   * @return the number of batches allocated and not completed
   */
  public int pendingBatches() {
    EngineLogs l = logs;
    return l == null ? 0 : l.tracker().uncompletedCount();
  }

  /**
   * Sets the listener called after each batch's completion is durable (see
   * {@link Builder#onBatchCompleted}), replacing the builder's; null for none. Thread-safe; takes
   * effect from the next batch.
   *
   * @param listener the new listener, or null for none
   */
  public void onBatchCompleted(Consumer<BatchStats> listener) {
    onBatchCompleted = listener;
    BatchLoop l = loop;
    if (l != null) {
      l.onBatchCompleted(listener);
    }
  }

  /**
   * Adds a listener called on the batch thread after each batch's completion is durable, after
   * {@link #onBatchCompleted(Consumer)}'s, for observers such as metrics that must not replace the
   * application's listener. It must be quick and must not throw (a throw fails the engine as a
   * failing batch does). Thread-safe; takes effect from the next batch.
   *
   * @param listener called with each completed batch's stats
   * @throws NullPointerException if {@code listener} is null
   */
  public void addBatchListener(Consumer<BatchStats> listener) {
    batchListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
  }

  /**
   * The engine's name ({@link Builder#name(String)}).
   *
   * @return the name, {@code engine} by default
   */
  public String name() {
    return config.name();
  }

  /**
   * The ids of the engine's receivers, in the order they were added; known before
   * {@link #start()}.
   *
   * @return the receiver ids, unmodifiable
   */
  public Set<String> receiverIds() {
    return java.util.Collections.unmodifiableSet(config.receivers().keySet());
  }

  /** {@return the last completed batch, if any} */
  public Optional<BatchStats> lastBatch() {
    BatchLoop l = loop;
    return Optional.ofNullable(l == null ? null : l.lastBatch());
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Options of an engine. Setters validate their argument and throw
   * {@link IllegalArgumentException} or {@link NullPointerException} naming the option and the
   * accepted range. {@link #build()} copies the options: setters called afterwards change later
   * builds only, never a built engine. Not thread-safe.
   */
  public static final class Builder {
    private static final Duration DEFAULT_BLOCK_INTERVAL = Duration.ofMillis(200);
    private Function<String, Storage> dataStorage;
    private Storage metadataStorage;
    private Duration batchInterval = Duration.ofSeconds(1);
    private Duration blockInterval; // null: the default
    private Durability durability = Durability.SYNC;
    private final Map<String, Receiver> receivers = new LinkedHashMap<>();
    private final Map<String, ReceiverOptions> receiverOptions = new LinkedHashMap<>();
    private BatchProcessor processor;
    private int maxBlockBytes = 4 << 20;
    private long maxBufferedBytes = 64L << 20;
    private BackPressure backPressure = BackPressure.BLOCK;
    private long maxRecordsPerSecond;
    private long dataSegmentSize = 64L << 20;
    private long metadataSegmentSize = 1L << 20;
    private Consumer<BatchStats> onBatchCompleted;
    private String name = "engine";
    private RestartPolicy restartPolicy = RestartPolicy.defaults();
    private boolean stopEngineOnReceiverFailure;
    private FailureListener failureListener;
    private Executor completionExecutor;
    private Duration gracefulStopTimeout;
    private long maxUnprocessedBytes = Long.MAX_VALUE;
    private long maxEngineUnprocessedBytes = Long.MAX_VALUE;
    private Duration maxBlockTime;
    private long maxBatchRecords = Long.MAX_VALUE;
    private long maxBatchBytes = Long.MAX_VALUE;
    private boolean rateControl;
    private long maxLogDiskBytes = Long.MAX_VALUE;
    private boolean recycleDataSegments = true;

    private Builder() {}

    /**
     * Where store futures complete: by default on the logs' own threads (fastest; keep callbacks
     * short and never block there); with an executor, each completion is handed to it, so that
     * acknowledgements may block or run on threads of the user's choosing. Completions of one
     * receiver are handed over in store order; whether they run in that order is the executor's
     * (a single thread keeps it). A rejected completion runs on the log's thread. The engine does
     * not shut the executor down.
     *
     * @param executor where store futures complete; not null
     * @return this builder
     */
    public Builder completionExecutor(Executor executor) {
      this.completionExecutor = Objects.requireNonNull(executor, "completionExecutor");
      return this;
    }

    /**
     * Bound on the payload bytes one receiver has stored and the engine has not yet processed
     * (stored blocks in no completed batch): back-pressure from the {@link BatchProcessor} to the
     * sources, so that a processor slower than its sources slows the sources instead of filling
     * the disk. Beyond it {@code store} waits (up to {@link #maxBlockTime}) or fails fast, as
     * {@link #backPressure} says; a store alone over the bound goes once nothing is unprocessed.
     * Disk use of a data log stays below about this plus one segment. Default: no bound.
     *
     * @param bytes the bound per receiver, in bytes
     * @return this builder
     */
    public Builder maxUnprocessedBytes(long bytes) {
      this.maxUnprocessedBytes = EngineConfig.inRange(bytes, 1, Long.MAX_VALUE,
          "maxUnprocessedBytes");
      return this;
    }

    /**
     * As {@link #maxUnprocessedBytes}, for all receivers together. Default: no bound.
     *
     * @param bytes the bound for all receivers together, in bytes
     * @return this builder
     */
    public Builder maxEngineUnprocessedBytes(long bytes) {
      this.maxEngineUnprocessedBytes = EngineConfig.inRange(bytes, 1, Long.MAX_VALUE,
          "maxEngineUnprocessedBytes");
      return this;
    }

    /**
     * How long a store waits under {@link BackPressure#BLOCK} (for {@code maxBufferedBytes} or
     * {@code maxUnprocessedBytes} or {@code maxLogDiskBytes}) before it throws {@link io.zerowal.core.BackPressureException},
     * as Kafka's {@code max.block.ms}. Default: as long as it takes.
     *
     * @param timeout the longest a store waits
     * @return this builder
     */
    public Builder maxBlockTime(Duration timeout) {
      this.maxBlockTime = EngineConfig.atLeastZero(timeout, "maxBlockTime");
      return this;
    }

    /**
     * Most records in one batch; what is left waits for the next batches, oldest first. A single
     * block larger than the cap still forms a batch alone. Default: no cap.
     *
     * @param records the most records per batch, positive
     * @return this builder
     */
    public Builder maxBatchRecords(long records) {
      this.maxBatchRecords = EngineConfig.inRange(records, 1, Long.MAX_VALUE, "maxBatchRecords");
      return this;
    }

    /**
     * Bound on the bytes of the engine's logs on disk: every receiver's data log and the metadata
     * log together, as {@link io.zerowal.core.LogStats#segmentBytes()} counts them. While the
     * logs would pass it, {@code store} waits (up to {@link #maxBlockTime}) or fails fast, as
     * {@link #backPressure} says; stores resume as batches complete and cleanup deletes segments.
     * Default: no quota.
     *
     * <p>It differs from {@link #maxUnprocessedBytes}, which bounds the payload stored and not yet
     * processed: cleanup deletes whole segments only, so the logs also hold processed records
     * that share a segment with unprocessed ones, the open segment of each log, frame and block
     * headers, and the metadata log. The quota bounds what the disk holds; maxUnprocessedBytes
     * bounds the work waiting. Disk use stays below the quota plus about one segment (stores
     * racing past a measurement, the headers of the blocks being written).
     *
     * <p>The quota must exceed a few segments: each log keeps its open segment and the segment
     * holding the oldest block not yet processed, even with nothing unprocessed, and only whole
     * segments are deleted; a quota below what the logs hold when idle would block every store
     * for good. {@code build()} refuses a quota below two data segments per receiver plus two
     * metadata segments; allow four or more data segments per receiver, so that batches of a
     * segment or more can form while the oldest is processed.
     *
     * @param bytes the quota on the bytes of all the engine's logs
     * @return this builder
     */
    public Builder maxLogDiskBytes(long bytes) {
      this.maxLogDiskBytes = EngineConfig.inRange(bytes, 1, Long.MAX_VALUE, "maxLogDiskBytes");
      return this;
    }

    /**
     * Rate control driven by processing speed, as Spark Streaming's
     * {@code spark.streaming.backpressure.enabled}: after each completed batch a PI controller
     * (Spark's {@code PIDRateEstimator} gains: proportional 1.0, integral 0.2) computes a new max
     * ingest rate per receiver from the processing time of the recent batches, the scheduling
     * delay and the receiver's records, and the receiver's stores are spaced out to it. A processor
     * slower than the sources then slows them to what it gets through, so the scheduling delay
     * and the stored-but-unprocessed data stay bounded, instead of a backlog building until
     * {@link #maxUnprocessedBytes} stops the stores or the disk fills. Unlike Spark's, a rate is
     * never raised above twice what the receiver stored at in the last batch, and the processing
     * rate is taken over the last five batches together, so that one batch processed in no time
     * cannot unthrottle a flooding source. A receiver starts at 100 records per second and at most
     * doubles per batch while the processor keeps up (a ramp of about 14 batches to 1,000,000
     * records per second); rates stay between 100 records per second and the receiver's
     * {@link #maxRecordsPerSecond}, if set. The source's own buffer (a Kafka topic, a TCP window)
     * holds what it is not yet allowed to store. Default: off.
     *
     * @param enabled true to turn it on
     * @return this builder
     */
    public Builder rateControl(boolean enabled) {
      this.rateControl = enabled;
      return this;
    }

    /**
     * Whether the data logs write new segments into the files of processed segments that cleanup
     * removes ({@code WriteAheadLog.Builder.recycleSegments}): a SYNC store then costs a data
     * write only, with no file growth for the file system to journal (on the project's ext4 test
     * disk, 2.5x the raw write + fdatasync rate of a growing file). Each data log keeps up to two
     * such files besides its segments, as preallocation's space, outside
     * {@link #maxLogDiskBytes}. Storages that cannot write into an existing file (HDFS) delete
     * segments whatever this says. Default: true.
     *
     * @param recycle false to delete processed segments' files instead
     * @return this builder
     */
    public Builder recycleDataSegments(boolean recycle) {
      this.recycleDataSegments = recycle;
      return this;
    }

    /**
     * Most payload bytes in one batch, as {@link #maxBatchRecords}. Default: no cap.
     *
     * @param bytes the most payload bytes per batch, positive
     * @return this builder
     */
    public Builder maxBatchBytes(long bytes) {
      this.maxBatchBytes = EngineConfig.inRange(bytes, 1, Long.MAX_VALUE, "maxBatchBytes");
      return this;
    }

    /**
     * How long a graceful {@link MicroBatchEngine#stop()} waits for the receivers' stores to drain
     * and the last batch to run, as Spark's {@code gracefulStopTimeout}; past it the stop goes on
     * as {@link MicroBatchEngine#stopNow()} (a running batch still finishes; what was not processed
     * stays in the logs for the next start, nothing acknowledged is lost). Default: no limit.
     *
     * @param timeout the longest a graceful stop waits
     * @return this builder
     */
    public Builder gracefulStopTimeout(Duration timeout) {
      this.gracefulStopTimeout = EngineConfig.atLeastOneMilli(timeout, "gracefulStopTimeout");
      return this;
    }

    /**
     * The engine's name, in its threads' names ({@code zerowal-<name>-batches}) and its log lines,
     * so that two engines in one JVM can be told apart; default {@code engine}. Same rules as a
     * receiver id.
     *
     * @param name the engine's name
     * @return this builder
     */
    public Builder name(String name) {
      EngineConfig.checkName(name);
      this.name = name;
      return this;
    }

    /**
     * How a receiver that asks for a restart, or whose supervised thread throws, is restarted;
     * default {@link RestartPolicy#defaults()}.
     *
     * @param policy how receivers are restarted
     * @return this builder
     */
    public Builder restartPolicy(RestartPolicy policy) {
      this.restartPolicy = Objects.requireNonNull(policy, "restartPolicy");
      return this;
    }

    /**
     * Whether a receiver that failed for good (past its restart policy) stops the whole engine;
     * default false: it is stopped alone and the other receivers run on.
     *
     * @param stop whether a receiver failed for good stops the engine
     * @return this builder
     */
    public Builder stopEngineOnReceiverFailure(boolean stop) {
      this.stopEngineOnReceiverFailure = stop;
      return this;
    }

    /**
     * Hears of receiver and engine failures; see {@link FailureListener}. Optional.
     *
     * @param listener hears of failures; null for none
     * @return this builder
     */
    public Builder failureListener(FailureListener listener) {
      this.failureListener = listener;
      return this;
    }

    /**
     * Where each receiver's data log lives, by receiver id; each call must return a storage of its
     * own, separate from the metadata storage (for instance a subdirectory per receiver). Required.
     *
     * @param storageByReceiverId makes a data storage for each receiver id
     * @return this builder
     */
    public Builder dataStorage(Function<String, Storage> storageByReceiverId) {
      this.dataStorage = Objects.requireNonNull(storageByReceiverId, "dataStorage");
      return this;
    }

    /**
     * Where the block tracker's metadata log lives. Required.
     *
     * @param storage the metadata log's storage, separate from every data storage
     * @return this builder
     */
    public Builder metadataStorage(Storage storage) {
      this.metadataStorage = Objects.requireNonNull(storage, "metadataStorage");
      return this;
    }

    /**
     * How often a batch is cut; default 1 s, at least 1 ms.
     *
     * @param interval the batch interval
     * @return this builder
     */
    public Builder batchInterval(Duration interval) {
      this.batchInterval = EngineConfig.atLeastOneMilli(interval, "batchInterval");
      return this;
    }

    /**
     * The longest a single record waits for its block to be cut; default 200 ms, or the batch
     * interval if shorter. Must not exceed the batch interval.
     *
     * @param interval the longest a record waits for its block
     * @return this builder
     */
    public Builder blockInterval(Duration interval) {
      this.blockInterval = EngineConfig.atLeastOneMilli(interval, "blockInterval");
      return this;
    }

    /**
     * Durability of both data and metadata logs; default {@link Durability#SYNC}.
     *
     * @param durability what a store's future waits for, in both logs
     * @return this builder
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Adds a receiver. Its id names its data log (the README's {@code dataStorage} makes it a
     * directory name) and is written in every block's metadata, so it must be safe as a file name
     * everywhere: 1 to 64 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit
     * (so never {@code "."}, {@code ".."} or hidden), not {@code meta} or {@code metadata} in any
     * case (the names the examples give the metadata log), and unique ignoring case (file systems
     * that ignore case would put two receivers in one directory).
     *
     * @param id the receiver's id, unique in the engine
     * @param receiver the receiver
     * @return this builder
     * @throws IllegalArgumentException naming the id and the rule it breaks
     */
    public Builder receiver(String id, Receiver receiver) {
      EngineConfig.checkReceiverId(id, receivers.keySet());
      receivers.put(id, Objects.requireNonNull(receiver, "receiver"));
      return this;
    }

    /**
     * Adds a receiver with settings of its own (rate, block interval and size, back-pressure)
     * where they differ from the engine's; see {@link #receiver(String, Receiver)} for the id.
     *
     * @param id the receiver's id, unique in the engine
     * @param receiver the receiver
     * @param options this receiver's own settings
     * @return this builder
     * @throws IllegalArgumentException naming the id and the rule it breaks
     */
    public Builder receiver(String id, Receiver receiver, ReceiverOptions options) {
      Objects.requireNonNull(options, "options");
      receiver(id, receiver);
      receiverOptions.put(id, options);
      return this;
    }

    /**
     * The work done on each batch. Required.
     *
     * @param processor runs each batch
     * @return this builder
     */
    public Builder processor(BatchProcessor processor) {
      this.processor = Objects.requireNonNull(processor, "processor");
      return this;
    }

    /**
     * Largest encoded block (and so largest record); default 4 MiB, 64 bytes to 128 MiB.
     *
     * @param bytes the largest block in bytes
     * @return this builder
     */
    public Builder maxBlockBytes(int bytes) {
      this.maxBlockBytes = (int) EngineConfig.inRange(bytes, 64, EngineConfig.MAX_BLOCK_BYTES,
          "maxBlockBytes");
      return this;
    }

    /**
     * Bound on bytes a receiver has accepted and not yet made durable; default 64 MiB.
     *
     * @param bytes the bound per receiver, in bytes
     * @return this builder
     */
    public Builder maxBufferedBytes(long bytes) {
      this.maxBufferedBytes = EngineConfig.inRange(bytes, 1, Long.MAX_VALUE, "maxBufferedBytes");
      return this;
    }

    /**
     * What {@code store} does beyond {@code maxBufferedBytes}, {@code maxUnprocessedBytes} or
     * {@code maxLogDiskBytes}: wait (at most {@link #maxBlockTime}) or throw; default
     * {@link BackPressure#BLOCK}.
     *
     * @param backPressure whether a store waits or throws at a bound
     * @return this builder
     */
    public Builder backPressure(BackPressure backPressure) {
      this.backPressure = Objects.requireNonNull(backPressure, "backPressure");
      return this;
    }

    /**
     * Rate limit per receiver in records per second; 0 (the default) for none.
     *
     * @param records the rate per receiver, or 0 for none
     * @return this builder
     */
    public Builder maxRecordsPerSecond(long records) {
      this.maxRecordsPerSecond = EngineConfig.inRange(records, 0, Long.MAX_VALUE,
          "maxRecordsPerSecond");
      return this;
    }

    /**
     * Segment size of the data logs; default 64 MiB, at least 4 KiB. Cleanup deletes whole
     * segments.
     *
     * @param bytes the data segment size in bytes
     * @return this builder
     */
    public Builder dataSegmentSize(long bytes) {
      this.dataSegmentSize = EngineConfig.inRange(bytes, EngineConfig.MIN_SEGMENT_SIZE,
          Long.MAX_VALUE, "dataSegmentSize");
      return this;
    }

    /**
     * Segment size of the metadata log; default 1 MiB, 4 KiB to 256 MiB. Small, so that compaction
     * can delete the segments behind each snapshot; a snapshot must fit in half of it.
     *
     * @param bytes the metadata segment size in bytes
     * @return this builder
     */
    public Builder metadataSegmentSize(long bytes) {
      this.metadataSegmentSize = EngineConfig.inRange(bytes, EngineConfig.MIN_SEGMENT_SIZE,
          EngineConfig.MAX_METADATA_SEGMENT_SIZE, "metadataSegmentSize");
      return this;
    }

    /**
     * Called on the batch thread after each batch's completion is durable; keep it short. It may
     * call {@link MicroBatchEngine#stop()} (see there).
     *
     * @param listener called after each batch; null for none
     * @return this builder
     */
    public Builder onBatchCompleted(Consumer<BatchStats> listener) {
      this.onBatchCompleted = listener;
      return this;
    }

    /**
     * Checks the options and builds an engine with a copy of them; {@link MicroBatchEngine#start()}
     * opens the logs.
     *
     * @return the engine, not started: call {@link MicroBatchEngine#start()}
     * @throws IllegalStateException if a required option is missing
     * @throws IllegalArgumentException if the options contradict each other
     */
    public MicroBatchEngine build() {
      return new MicroBatchEngine(config());
    }

    /** The checked options; for tests of the engine's parts. */
    EngineConfig config() {
      Duration block = blockInterval != null ? blockInterval
          : batchInterval.compareTo(DEFAULT_BLOCK_INTERVAL) < 0 ? batchInterval
          : DEFAULT_BLOCK_INTERVAL;
      return new EngineConfig(dataStorage, metadataStorage, batchInterval, block,
          durability, receivers, processor, maxBlockBytes, maxBufferedBytes, backPressure,
          maxRecordsPerSecond, dataSegmentSize, metadataSegmentSize, onBatchCompleted, name,
          restartPolicy, stopEngineOnReceiverFailure, failureListener, completionExecutor,
          gracefulStopTimeout, maxUnprocessedBytes, maxEngineUnprocessedBytes, maxBlockTime,
          maxBatchRecords, maxBatchBytes, receiverOptions, rateControl, maxLogDiskBytes,
          recycleDataSegments);
    }
  }
}
