package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.Storage;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs receivers and turns what they store into micro-batches that survive crashes.
 *
 * <pre>{@code
 * MicroBatchEngine engine = MicroBatchEngine.builder()
 *     .dataStorage(id -> new LocalStorage(dir.resolve("data").resolve(id)))
 *     .metadataStorage(new LocalStorage(dir.resolve("metadata")))
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
 * but never allocated go into the next batch; completed batches never run again. A block whose
 * data is missing from its data log stops the start with a {@link CorruptMetadataException}.
 *
 * <h2>Threads</h2>
 * One batch thread ({@code zerowal-batches}), one block-cutting thread ({@code zerowal-blocks}),
 * and each log's writer and completion threads; receivers bring their own. All methods are thread-safe.
 */
public final class MicroBatchEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MicroBatchEngine.class);

  private enum State { NEW, RUNNING, STOPPING, TERMINATED }

  private final Builder config;
  private final Map<String, Receiver> receivers;
  private final Map<String, ReceiverContext> contexts = new LinkedHashMap<>();
  private final Object lifecycle = new Object();
  private final Object wakeup = new Object();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean receiversStopped = new AtomicBoolean();
  private final AtomicLong batchesCompleted = new AtomicLong();
  private final AtomicLong recordsProcessed = new AtomicLong();
  private final EngineThreads threads = new EngineThreads();

  private volatile State state = State.NEW;
  private volatile boolean drainRequested;
  private volatile boolean haltRequested;
  private volatile Throwable failure;
  private volatile BatchStats lastBatch;
  private BlockTracker tracker;
  private final Map<String, WriteAheadLog> dataLogs = new LinkedHashMap<>();
  private TreeMap<Long, List<BlockInfo>> toRerun;
  private Thread blockThread;

  private MicroBatchEngine(Builder b) {
    this.config = b;
    this.receivers = new LinkedHashMap<>(b.receivers);
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Opens the logs, recovers, starts the threads and calls every receiver's {@code onStart}.
   *
   * @throws CorruptMetadataException if the metadata log cannot be trusted or an acknowledged block
   *     is missing from its data log; nothing is started
   * @throws IllegalStateException if called twice
   */
  public void start() {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        throw new IllegalStateException("the engine was already started; build a new one");
      }
      try {
        open();
      } catch (RuntimeException | Error e) {
        closeLogs();
        state = State.TERMINATED;
        terminated.countDown();
        throw e;
      }
      state = State.RUNNING;
      blockThread = threads.start("zerowal-blocks", true, this::cutBlocks);
      threads.start("zerowal-batches", false, this::runBatches);
    }
    for (Map.Entry<String, Receiver> e : receivers.entrySet()) {
      try {
        threads.callback(() -> e.getValue().onStart(contexts.get(e.getKey())));
      } catch (RuntimeException ex) {
        fail(new EngineFailedException("receiver " + e.getKey() + " failed in onStart", ex));
        break;
      }
    }
    log.info("engine started: receivers {}, batchInterval {}, blockInterval {}, durability {}",
        receivers.keySet(), config.batchInterval, config.blockInterval, config.durability);
  }

  private void open() {
    WriteAheadLog metadata = WriteAheadLog.builder(config.metadataStorage)
        .durability(config.durability).segmentSize(config.metadataSegmentSize)
        .maxRecordSize(metadataMaxRecordSize()).open();
    TrackerState state;
    try {
      state = RecoveryReader.replay(metadata);
    } catch (RuntimeException e) {
      metadata.close();
      throw e;
    }
    tracker = new BlockTracker(metadata, state, metadataMaxRecordSize());
    for (String id : receivers.keySet()) {
      Storage storage = Objects.requireNonNull(config.dataStorage.apply(id),
          "dataStorage returned null for receiver " + id);
      dataLogs.put(id, WriteAheadLog.builder(storage).durability(config.durability)
          .segmentSize(config.dataSegmentSize).maxRecordSize(config.maxBlockBytes).open());
    }
    RecoveryReader.checkData(state, dataLogs);
    toRerun = state.uncompleted();
    log.info("engine recovered: {} uncompleted batches to re-run{}, {} unallocated blocks for the"
        + " next batch", toRerun.size(), toRerun.isEmpty() ? "" : " " + toRerun.keySet(),
        state.unallocated().size());
    for (String id : receivers.keySet()) {
      contexts.put(id, new ReceiverContext(id, dataLogs.get(id), tracker, config.maxBlockBytes,
          config.maxBufferedBytes, config.backPressure, config.maxRecordsPerSecond, this::fail, threads));
    }
  }

  private int metadataMaxRecordSize() {
    return (int) Math.min(config.metadataSegmentSize / 2, WriteAheadLog.Builder.MAX_RECORD_SIZE_LIMIT);
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
   *     from a thread that is not the engine's
   */
  public void stop() {
    if (threads.isCurrentOwn()) {
      if (beginStop()) {
        threads.start("zerowal-stop", false, this::drain);
      }
      return;
    }
    if (beginStop()) {
      drain();
    }
    awaitTerminated();
    Throwable f = failure;
    if (f != null) {
      throw new EngineFailedException("the engine failed: " + f.getMessage(), f);
    }
  }

  private void drain() {
    stopReceivers(true);
    for (ReceiverContext c : contexts.values()) {
      c.awaitStored();
    }
    drainRequested = true;
    wake();
  }

  /**
   * Stops without draining: stops the receivers, fails what their block generators hold (never
   * acknowledged), waits for a running batch to finish and closes the logs. Blocks stored but not
   * processed stay in the logs for the next start. Idempotent; does not throw for a failed engine.
   * Called on one of the engine's own threads, it returns at once and the stop proceeds, as for
   * {@link #stop()}.
   */
  public void stopNow() {
    if (threads.isCurrentOwn()) {
      if (beginStop()) {
        threads.start("zerowal-stop", false, this::halt);
      }
      return;
    }
    if (beginStop()) {
      halt();
    }
    awaitTerminated();
  }

  private void halt() {
    haltRequested = true;
    stopReceivers(false);
    wake();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private boolean beginStop() {
    synchronized (lifecycle) {
      if (state == State.NEW) {
        state = State.TERMINATED;
        terminated.countDown();
        return false;
      }
      if (state != State.RUNNING) {
        return false;
      }
      state = State.STOPPING;
    }
    log.info("engine stopping");
    return true;
  }

  /**
   * Waits until the engine has stopped, by {@link #stop()}, {@link #stopNow()} or a failure.
   *
   * @return true if it stopped within {@code timeout}
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void awaitTerminated() {
    boolean interrupted = false;
    while (true) {
      try {
        terminated.await();
        threads.joinAllButCurrent(); // so that no engine thread outlives stop()
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Why the engine stopped on its own, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** True between {@link #start()} and the end of a stop or failure. */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  private void fail(Throwable t) {
    synchronized (lifecycle) {
      if (failure != null || state == State.TERMINATED) {
        return;
      }
      failure = t;
    }
    log.error("engine failed, stopping: {}", t.getMessage(), t);
    haltRequested = true;
    wake();
  }

  private void stopReceivers(boolean flush) {
    if (!receiversStopped.compareAndSet(false, true)) {
      return;
    }
    for (ReceiverContext c : contexts.values()) {
      c.markStopping();
    }
    for (Map.Entry<String, Receiver> e : receivers.entrySet()) {
      try {
        threads.callback(() -> e.getValue().onStop());
      } catch (RuntimeException ex) {
        log.warn("receiver {} failed in onStop", e.getKey(), ex);
      }
    }
    for (ReceiverContext c : contexts.values()) {
      c.stop(flush);
    }
  }

  private void wake() {
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
  }

  // ---------------------------------------------------------------- threads

  private void cutBlocks() {
    long interval = config.blockInterval.toNanos();
    while (!receiversStopped.get()) {
      synchronized (wakeup) {
        try {
          TimeUnit.NANOSECONDS.timedWait(wakeup, interval);
        } catch (InterruptedException e) {
          return;
        }
      }
      for (ReceiverContext c : contexts.values()) {
        try {
          c.tick();
        } catch (RuntimeException e) {
          log.debug("cutting a block of receiver {}", c.receiverId(), e);
        }
      }
    }
  }

  private void runBatches() {
    try {
      for (Map.Entry<Long, List<BlockInfo>> e : toRerun.entrySet()) {
        if (haltRequested) {
          break;
        }
        runBatch(e.getKey(), e.getValue(), true);
      }
      toRerun = null;
      while (!haltRequested) {
        long interval = config.batchInterval.toMillis();
        long due = (System.currentTimeMillis() / interval + 1) * interval;
        sleepUntil(due);
        if (haltRequested) {
          break;
        }
        long last = tracker.lastBatchTime();
        // Batch times are unique and increasing even if the clock went back across a restart.
        long batchTime = last == TrackerEvent.NO_BATCH ? due : Math.max(due, last + interval);
        if (drainRequested) {
          if (tracker.unallocatedCount() > 0) {
            runBatch(batchTime, tracker.allocate(batchTime), false);
          }
          break;
        }
        runBatch(batchTime, tracker.allocate(batchTime), false);
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      shutdown();
    }
  }

  private void sleepUntil(long epochMillis) throws InterruptedException {
    synchronized (wakeup) {
      long wait;
      while (!haltRequested && !drainRequested
          && (wait = epochMillis - System.currentTimeMillis()) > 0) {
        wakeup.wait(wait);
      }
    }
  }

  private void runBatch(long batchTime, List<BlockInfo> blocks, boolean recovered) {
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Batch batch = new Batch(batchTime, blocks, recovered, this::readBlock);
    try {
      config.processor.process(batch);
    } catch (Exception | Error e) {
      throw new EngineFailedException("batch " + batchTime + " failed in the BatchProcessor: " + e
          + "; it stays uncompleted and re-runs with the same blocks when the engine starts again",
          e);
    }
    int metadataDeleted = tracker.complete(batchTime);
    BatchStats stats = new BatchStats(batchTime, blocks.size(), batch.recordCount(), batch.bytes(),
        recovered, Duration.ofMillis(startMillis - batchTime),
        Duration.ofNanos(System.nanoTime() - startNanos));
    lastBatch = stats;
    batchesCompleted.incrementAndGet();
    recordsProcessed.addAndGet(stats.records());
    int dataDeleted = 0;
    for (ReceiverContext c : contexts.values()) {
      dataDeleted += c.dataLog().truncateBefore(c.oldestNeeded());
    }
    log.debug("{}; deleted {} data and {} metadata segments", stats, dataDeleted, metadataDeleted);
    if (config.onBatchCompleted != null) {
      config.onBatchCompleted.accept(stats);
    }
  }

  private java.nio.ByteBuffer readBlock(BlockInfo b) {
    return dataLogs.get(b.receiverId()).read(b.handle());
  }

  private void shutdown() {
    stopReceivers(false);
    wake();
    try {
      blockThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeLogs();
    synchronized (lifecycle) {
      state = State.TERMINATED;
    }
    terminated.countDown();
    log.info("engine stopped after {} batches, {} records{}", batchesCompleted.get(),
        recordsProcessed.get(), failure == null ? "" : " (failed: " + failure.getMessage() + ")");
  }

  private void closeLogs() {
    // Data logs first: closing completes their pending appends, whose BlockAdded events still
    // need the metadata log.
    for (WriteAheadLog d : dataLogs.values()) {
      try {
        d.close();
      } catch (RuntimeException e) {
        log.warn("closing a data log failed", e);
      }
    }
    if (tracker != null) {
      try {
        tracker.close();
      } catch (RuntimeException e) {
        log.warn("closing the metadata log failed", e);
      }
    }
  }

  // ---------------------------------------------------------------- stats

  /** Counters of each receiver, by receiver id. */
  public Map<String, ReceiverStats> receiverStats() {
    Map<String, ReceiverStats> m = new LinkedHashMap<>();
    for (ReceiverContext c : contexts.values()) {
      m.put(c.receiverId(), c.stats());
    }
    return Collections.unmodifiableMap(m);
  }

  /** Batches completed since start, re-runs included. */
  public long batchesCompleted() {
    return batchesCompleted.get();
  }

  /** Records in the batches completed since start. */
  public long recordsProcessed() {
    return recordsProcessed.get();
  }

  /** The last completed batch, if any. */
  public Optional<BatchStats> lastBatch() {
    return Optional.ofNullable(lastBatch);
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Options of an engine. Setters validate their argument and throw
   * {@link IllegalArgumentException} or {@link NullPointerException} naming the accepted range.
   * Not thread-safe.
   */
  public static final class Builder {
    private Function<String, Storage> dataStorage;
    private Storage metadataStorage;
    private Duration batchInterval = Duration.ofSeconds(1);
    private Duration blockInterval = Duration.ofMillis(200);
    private Durability durability = Durability.SYNC;
    private final Map<String, Receiver> receivers = new LinkedHashMap<>();
    private BatchProcessor processor;
    private int maxBlockBytes = 4 << 20;
    private long maxBufferedBytes = 64L << 20;
    private BackPressure backPressure = BackPressure.BLOCK;
    private long maxRecordsPerSecond;
    private long dataSegmentSize = 64L << 20;
    private long metadataSegmentSize = 1L << 20;
    private Consumer<BatchStats> onBatchCompleted;

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Builder() {}

    /**
     * Where each receiver's data log lives, by receiver id; each call must return a storage of its
     * own, separate from the metadata storage (for instance a subdirectory per receiver). Required.
     */
    public Builder dataStorage(Function<String, Storage> storageByReceiverId) {
      this.dataStorage = Objects.requireNonNull(storageByReceiverId, "dataStorage");
      return this;
    }

    /** Where the block tracker's metadata log lives. Required. */
    public Builder metadataStorage(Storage storage) {
      this.metadataStorage = Objects.requireNonNull(storage, "metadataStorage");
      return this;
    }

    /** How often a batch is cut; default 1 s, at least 1 ms. */
    public Builder batchInterval(Duration interval) {
      this.batchInterval = positive(interval, "batchInterval");
      return this;
    }

    /** How often the block generators cut a block of single records; default 200 ms. */
    public Builder blockInterval(Duration interval) {
      this.blockInterval = positive(interval, "blockInterval");
      return this;
    }

    /** Durability of both data and metadata logs; default {@link Durability#SYNC}. */
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
     * @throws IllegalArgumentException naming the id and the rule it breaks
     */
    public Builder receiver(String id, Receiver receiver) {
      checkReceiverId(id);
      Objects.requireNonNull(receiver, "receiver");
      for (String used : receivers.keySet()) {
        if (used.equalsIgnoreCase(id)) {
          throw new IllegalArgumentException("receiver id \"" + id + "\" is already used (as \""
              + used + "\"): ids must be unique ignoring case");
        }
      }
      receivers.put(id, receiver);
      return this;
    }

    private static void checkReceiverId(String id) {
      Objects.requireNonNull(id, "receiver id");
      if (id.isEmpty() || id.length() > 64) {
        throw new IllegalArgumentException("receiver id \"" + id + "\" must be 1 to 64 characters"
            + " long, got " + id.length());
      }
      if (!SAFE_ID.matcher(id).matches()) {
        throw new IllegalArgumentException("receiver id \"" + id + "\" must be made of"
            + " [A-Za-z0-9._-] and start with a letter or digit, since it names the receiver's data"
            + " log (a directory in the usual dataStorage)");
      }
      if (id.equalsIgnoreCase("meta") || id.equalsIgnoreCase("metadata")) {
        throw new IllegalArgumentException("receiver id \"" + id + "\" is reserved for the metadata"
            + " log, which the examples keep next to the data logs: choose another id");
      }
    }

    /** The work done on each batch. Required. */
    public Builder processor(BatchProcessor processor) {
      this.processor = Objects.requireNonNull(processor, "processor");
      return this;
    }

    /** Largest encoded block (and so largest record); default 4 MiB. */
    public Builder maxBlockBytes(int bytes) {
      if (bytes < 64) {
        throw new IllegalArgumentException("maxBlockBytes must be at least 64, got " + bytes);
      }
      this.maxBlockBytes = bytes;
      return this;
    }

    /** Bound on bytes a receiver has accepted and not yet made durable; default 64 MiB. */
    public Builder maxBufferedBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBufferedBytes must be positive, got " + bytes);
      }
      this.maxBufferedBytes = bytes;
      return this;
    }

    /** What {@code store} does beyond {@code maxBufferedBytes}; default {@link BackPressure#BLOCK}. */
    public Builder backPressure(BackPressure backPressure) {
      this.backPressure = Objects.requireNonNull(backPressure, "backPressure");
      return this;
    }

    /** Rate limit per receiver in records per second; 0 (the default) for none. */
    public Builder maxRecordsPerSecond(long records) {
      if (records < 0) {
        throw new IllegalArgumentException("maxRecordsPerSecond must not be negative, got "
            + records);
      }
      this.maxRecordsPerSecond = records;
      return this;
    }

    /** Segment size of the data logs; default 64 MiB. Cleanup deletes whole segments. */
    public Builder dataSegmentSize(long bytes) {
      this.dataSegmentSize = bytes;
      return this;
    }

    /**
     * Segment size of the metadata log; default 1 MiB. Small, so that compaction can delete the
     * segments behind each snapshot; a snapshot must fit in half of it.
     */
    public Builder metadataSegmentSize(long bytes) {
      this.metadataSegmentSize = bytes;
      return this;
    }

    /** Called on the batch thread after each batch's completion is durable; keep it short. */
    public Builder onBatchCompleted(Consumer<BatchStats> listener) {
      this.onBatchCompleted = listener;
      return this;
    }

    /**
     * Checks the options and builds an engine; {@link MicroBatchEngine#start()} opens the logs.
     *
     * @throws IllegalStateException if a required option is missing
     * @throws IllegalArgumentException if the options contradict each other
     */
    public MicroBatchEngine build() {
      if (dataStorage == null || metadataStorage == null || processor == null) {
        throw new IllegalStateException("dataStorage, metadataStorage and processor are required");
      }
      if (dataSegmentSize < WriteAheadLog.Builder.MIN_SEGMENT_SIZE
          || metadataSegmentSize < WriteAheadLog.Builder.MIN_SEGMENT_SIZE) {
        throw new IllegalArgumentException("segment sizes must be at least "
            + WriteAheadLog.Builder.MIN_SEGMENT_SIZE + " bytes");
      }
      if (maxBlockBytes > dataSegmentSize - 1024) {
        throw new IllegalArgumentException("maxBlockBytes " + maxBlockBytes + " does not fit in"
            + " dataSegmentSize " + dataSegmentSize + ": raise dataSegmentSize or lower"
            + " maxBlockBytes");
      }
      if (maxBufferedBytes < maxBlockBytes) {
        throw new IllegalArgumentException("maxBufferedBytes " + maxBufferedBytes
            + " is below maxBlockBytes " + maxBlockBytes + ": a full block could never be stored");
      }
      return new MicroBatchEngine(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException(what + " must be at least 1 ms, got " + d);
      }
      return d;
    }
  }
}
