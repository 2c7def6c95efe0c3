package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.Storage;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
 * a stopping thread ({@code zerowal-stop}) when a stop is called on one of the engine's own threads,
 * and each log's writer and completion threads; receivers bring their own. All methods are
 * thread-safe.
 */
public final class MicroBatchEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MicroBatchEngine.class);

  private enum State { NEW, RUNNING, STOPPING, TERMINATED }

  private final EngineConfig config;
  private final EngineThreads threads = new EngineThreads();
  private final Map<String, ReceiverContext> contexts = new LinkedHashMap<>();
  private final Object lifecycle = new Object();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean receiversStopped = new AtomicBoolean();

  private volatile State state = State.NEW;
  private volatile Throwable failure;
  private EngineLogs logs;
  private volatile BatchLoop loop;
  private Thread blockThread;

  private MicroBatchEngine(EngineConfig config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Opens the logs, recovers, starts the threads and calls every receiver's {@code onStart}.
   *
   * @throws CorruptMetadataException if a log is corrupt, the metadata log cannot be trusted, or an
   *     acknowledged block is missing from its data log; nothing is started
   * @throws IllegalStateException if called twice
   */
  public void start() {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        throw new IllegalStateException("the engine was already started; build a new one");
      }
      try {
        logs = EngineLogs.open(config);
      } catch (RuntimeException | Error e) {
        state = State.TERMINATED;
        terminated.countDown();
        throw e;
      }
      LogCleaner cleaner = new LogCleaner(logs);
      logs.dataLogs().forEach((id, dataLog) -> contexts.put(id, new ReceiverContext(id, config,
          new BlockWriter(id, dataLog, logs.tracker(), cleaner.floors(id), config, this::fail,
              threads))));
      loop = new BatchLoop(config, logs, cleaner);
      state = State.RUNNING;
      blockThread = threads.start("zerowal-blocks", true, this::cutBlocks);
      threads.start("zerowal-batches", false, this::runBatches);
    }
    for (Map.Entry<String, Receiver> e : config.receivers().entrySet()) {
      try {
        threads.callback(() -> e.getValue().onStart(contexts.get(e.getKey())));
      } catch (RuntimeException ex) {
        fail(new EngineFailedException("receiver " + e.getKey() + " failed in onStart", ex));
        break;
      }
    }
    log.info("engine started: receivers {}, batchInterval {}, blockInterval {}, durability {}",
        config.receivers().keySet(), config.batchInterval(), config.blockInterval(),
        config.durability());
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
    loop.requestDrain();
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
    loop.requestHalt();
    stopReceivers(false);
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
    loop.requestHalt();
  }

  private void stopReceivers(boolean flush) {
    if (!receiversStopped.compareAndSet(false, true)) {
      return;
    }
    LockSupport.unpark(blockThread);
    for (ReceiverContext c : contexts.values()) {
      c.markStopping();
    }
    for (Map.Entry<String, Receiver> e : config.receivers().entrySet()) {
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

  // ---------------------------------------------------------------- threads

  private void cutBlocks() {
    long interval = config.blockInterval().toNanos();
    while (!receiversStopped.get()) {
      LockSupport.parkNanos(this, interval); // unparked by stopReceivers
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
      loop.run();
    } catch (Throwable t) {
      fail(t);
    } finally {
      shutdown();
    }
  }

  private void shutdown() {
    stopReceivers(false);
    try {
      blockThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    logs.close();
    synchronized (lifecycle) {
      state = State.TERMINATED;
    }
    terminated.countDown();
    log.info("engine stopped after {} batches, {} records{}", loop.batchesCompleted(),
        loop.recordsProcessed(), failure == null ? "" : " (failed: " + failure.getMessage() + ")");
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
    BatchLoop l = loop;
    return l == null ? 0 : l.batchesCompleted();
  }

  /** Records in the batches completed since start. */
  public long recordsProcessed() {
    BatchLoop l = loop;
    return l == null ? 0 : l.recordsProcessed();
  }

  /** The last completed batch, if any. */
  public Optional<BatchStats> lastBatch() {
    BatchLoop l = loop;
    return Optional.ofNullable(l == null ? null : l.lastBatch());
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Options of an engine. Setters validate their argument and throw
   * {@link IllegalArgumentException} or {@link NullPointerException} naming the accepted range.
   * {@link #build()} copies the options: setters called afterwards change later builds only, never
   * a built engine. Not thread-safe.
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

    // A log refuses a record size whose frame exceeds its pending bound (256 MiB by default, which
    // the engine does not expose): the largest block and the largest metadata record (half a
    // metadata segment) stay well below it.
    private static final int MAX_BLOCK_BYTES = 128 << 20;
    private static final long MAX_METADATA_SEGMENT_SIZE = 256L << 20;
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

    /** Largest encoded block (and so largest record); default 4 MiB, 64 bytes to 128 MiB. */
    public Builder maxBlockBytes(int bytes) {
      if (bytes < 64 || bytes > MAX_BLOCK_BYTES) {
        throw new IllegalArgumentException("maxBlockBytes must be between 64 and "
            + MAX_BLOCK_BYTES + " bytes, got " + bytes);
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

    /**
     * Segment size of the data logs; default 64 MiB, at least 4 KiB. Cleanup deletes whole
     * segments.
     */
    public Builder dataSegmentSize(long bytes) {
      if (bytes < WriteAheadLog.Builder.MIN_SEGMENT_SIZE) {
        throw new IllegalArgumentException("dataSegmentSize must be at least "
            + WriteAheadLog.Builder.MIN_SEGMENT_SIZE + " bytes, got " + bytes);
      }
      this.dataSegmentSize = bytes;
      return this;
    }

    /**
     * Segment size of the metadata log; default 1 MiB, 4 KiB to 256 MiB. Small, so that compaction
     * can delete the segments behind each snapshot; a snapshot must fit in half of it.
     */
    public Builder metadataSegmentSize(long bytes) {
      if (bytes < WriteAheadLog.Builder.MIN_SEGMENT_SIZE || bytes > MAX_METADATA_SEGMENT_SIZE) {
        throw new IllegalArgumentException("metadataSegmentSize must be between "
            + WriteAheadLog.Builder.MIN_SEGMENT_SIZE + " and " + MAX_METADATA_SEGMENT_SIZE
            + " bytes, got " + bytes);
      }
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
      if (maxBlockBytes > dataSegmentSize - 1024) {
        throw new IllegalArgumentException("maxBlockBytes " + maxBlockBytes + " does not fit in"
            + " dataSegmentSize " + dataSegmentSize + ": raise dataSegmentSize or lower"
            + " maxBlockBytes");
      }
      if (maxBufferedBytes < maxBlockBytes) {
        throw new IllegalArgumentException("maxBufferedBytes " + maxBufferedBytes
            + " is below maxBlockBytes " + maxBlockBytes + ": a full block could never be stored");
      }
      return new MicroBatchEngine(new EngineConfig(dataStorage, metadataStorage, batchInterval,
          blockInterval, durability, receivers, processor, maxBlockBytes, maxBufferedBytes,
          backPressure, maxRecordsPerSecond, dataSegmentSize, metadataSegmentSize,
          onBatchCompleted));
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
