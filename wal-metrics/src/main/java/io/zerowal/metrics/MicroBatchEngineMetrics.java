/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.zerowal.receiver.BatchStats;
import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.ReceiverStats;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for one {@link MicroBatchEngine}, named {@code zerowal.engine.*} and tagged
 * {@code engine=<name>} (and {@code receiver=<id>} per receiver):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code zerowal.engine.receiver.records}, {@code .bytes}, {@code .blocks}</td>
 *       <td>counter</td><td>records, payload bytes and blocks a receiver stored durably</td></tr>
 *   <tr><td>{@code zerowal.engine.receiver.store.latency}</td><td>function timer</td><td>per
 *       block, from its first record to its durable store (count = blocks)</td></tr>
 *   <tr><td>{@code zerowal.engine.receiver.store.latency.max}, {@code .percentile} (tag
 *       {@code phi} = 0.5, 0.9, 0.99, 0.999)</td><td>time gauge</td><td>since start</td></tr>
 *   <tr><td>{@code zerowal.engine.receiver.buffered.bytes}</td><td>gauge, bytes</td><td>accepted by
 *       {@code store} and not yet durable (what back-pressure bounds)</td></tr>
 *   <tr><td>{@code zerowal.engine.receiver.unprocessed.bytes}</td><td>gauge, bytes</td><td>stored
 *       and in no completed batch yet (what {@code maxUnprocessedBytes} bounds)</td></tr>
 *   <tr><td>{@code zerowal.engine.batches}</td><td>counter</td><td>batches completed, re-runs
 *       included</td></tr>
 *   <tr><td>{@code zerowal.engine.batch.reruns}</td><td>counter</td><td>batches re-run after a
 *       restart (recovered)</td></tr>
 *   <tr><td>{@code zerowal.engine.records.processed}</td><td>counter</td><td>records in completed
 *       batches</td></tr>
 *   <tr><td>{@code zerowal.engine.batch.intervals.missed}</td><td>counter</td><td>batch intervals
 *       that passed with the processor still busy</td></tr>
 *   <tr><td>{@code zerowal.engine.batch.scheduling.delay}, {@code .processing.time},
 *       {@code .latency}</td><td>timer</td><td>per batch: from when it was due to its start, from
 *       its start to its durable completion, from its oldest record's arrival to its durable
 *       completion ({@link BatchStats})</td></tr>
 *   <tr><td>{@code zerowal.engine.batch.records}, {@code .bytes}</td><td>distribution
 *       summary</td><td>per batch</td></tr>
 *   <tr><td>{@code zerowal.engine.unprocessed.bytes}</td><td>gauge, bytes</td><td>the backlog: all
 *       receivers' bytes stored and not processed</td></tr>
 *   <tr><td>{@code zerowal.engine.blocks.unallocated}, {@code zerowal.engine.batches.pending}</td>
 *       <td>gauge</td><td>blocks waiting for the next batch; batches allocated and not completed</td></tr>
 *   <tr><td>{@code zerowal.log.*}, tag {@code log=<engine>.metadata} and
 *       {@code log=<engine>.<receiver id>}</td><td></td><td>each of the engine's logs, as
 *       {@link WriteAheadLogMetrics} measures a log (same names and tag keys, so that both binders
 *       can feed one registry)</td></tr>
 * </table>
 *
 * <p>Counters and gauges read the engine's stats when the registry asks (per receiver, a snapshot
 * at most every 50 ms shared by its meters); the per-batch timers and summaries are fed by a
 * listener on the batch thread ({@link MicroBatchEngine#addBatchListener}), once per batch, so
 * nothing is added to the store path. Bind before or after {@link MicroBatchEngine#start()}: before
 * it, gauges read NaN and counters 0; after the engine stopped, the receivers' and batches' meters
 * keep their final values, and the logs' meters the values last read while the logs were open.
 * Percentile histograms of the timers are off, as Micrometer's default; turn them on with a
 * {@code MeterFilter} if the backend aggregates them. A final batch cut early by a stop has a
 * negative scheduling delay, which is not recorded. Thread-safe; bind once per engine and registry.
 *
 * <pre>{@code
 * new MicroBatchEngineMetrics(engine).bindTo(registry);
 * }</pre>
 */
public final class MicroBatchEngineMetrics implements MeterBinder {
  private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final MicroBatchEngine engine;
  private final String name;
  private final Tags tags;
  private final Iterable<Tag> extraTags;
  private final List<BatchMeters> batchMeters = new CopyOnWriteArrayList<>();
  private boolean listening; // guarded by this
  private volatile Receivers receivers = new Receivers(Map.of(), 0);

  /** The receivers' stats as last read, shared by their meters within {@link #REFRESH_NANOS}. */
  private record Receivers(Map<String, ReceiverStats> stats, long readNanos) {}

  /** The per-batch meters of one registry. */
  private record BatchMeters(Timer delay, Timer processing, Timer latency,
      DistributionSummary records, DistributionSummary bytes, Counter reruns) {
    void record(BatchStats s) {
      if (!s.schedulingDelay().isNegative()) {
        delay.record(s.schedulingDelay());
      }
      processing.record(s.processingTime());
      latency.record(s.endToEndLatency());
      records.record(s.records());
      bytes.record(s.bytes());
      if (s.recovered()) {
        reruns.increment();
      }
    }
  }

  /**
   * Meters for {@code engine}, tagged {@code engine=<its name>}.
   *
   * @param engine the engine to measure
   * @throws NullPointerException if {@code engine} is null
   */
  public MicroBatchEngineMetrics(MicroBatchEngine engine) {
    this(engine, Tags.empty());
  }

  /**
   * Meters for {@code engine}, tagged {@code engine=<its name>} and {@code extraTags}.
   *
   * @param engine the engine to measure
   * @param extraTags tags added to every meter, such as {@code app=checkout}
   * @throws NullPointerException if an argument is null
   */
  public MicroBatchEngineMetrics(MicroBatchEngine engine, Iterable<Tag> extraTags) {
    this.engine = Objects.requireNonNull(engine, "engine must not be null");
    this.extraTags = Objects.requireNonNull(extraTags, "extraTags must not be null");
    this.name = engine.name();
    this.tags = Tags.of("engine", name).and(extraTags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null");
    for (String id : engine.receiverIds()) {
      bindReceiver(registry, id);
    }
    FunctionCounter.builder("zerowal.engine.batches", engine, MicroBatchEngine::batchesCompleted)
        .description("batches completed, re-runs included").tags(tags).register(registry);
    FunctionCounter.builder("zerowal.engine.records.processed", engine,
            MicroBatchEngine::recordsProcessed)
        .description("records in completed batches").tags(tags).register(registry);
    FunctionCounter.builder("zerowal.engine.batch.intervals.missed", engine,
            MicroBatchEngine::missedBatchIntervals)
        .description("batch intervals that passed with the processor still busy").tags(tags)
        .register(registry);
    gauge(registry, "zerowal.engine.unprocessed.bytes", "bytes stored and not yet processed, all"
        + " receivers", BaseUnits.BYTES, MicroBatchEngine::unprocessedBytes);
    gauge(registry, "zerowal.engine.blocks.unallocated", "blocks stored and in no batch yet", null,
        MicroBatchEngine::unallocatedBlocks);
    gauge(registry, "zerowal.engine.batches.pending", "batches allocated and not completed", null,
        MicroBatchEngine::pendingBatches);

    batchMeters.add(new BatchMeters(
        timer(registry, "zerowal.engine.batch.scheduling.delay", "from when a batch was due to the"
            + " start of its processing"),
        timer(registry, "zerowal.engine.batch.processing.time", "from the start of a batch's"
            + " processing to its durable completion"),
        timer(registry, "zerowal.engine.batch.latency", "from the arrival of a batch's oldest"
            + " record to the batch's durable completion"),
        DistributionSummary.builder("zerowal.engine.batch.records").description("records per"
            + " batch").tags(tags).register(registry),
        DistributionSummary.builder("zerowal.engine.batch.bytes").description("payload bytes per"
            + " batch").baseUnit(BaseUnits.BYTES).tags(tags).register(registry),
        Counter.builder("zerowal.engine.batch.reruns").description("batches re-run after a"
            + " restart").tags(tags).register(registry)));
    synchronized (this) {
      if (!listening) {
        listening = true;
        engine.addBatchListener(s -> batchMeters.forEach(m -> m.record(s)));
      }
    }

    new WriteAheadLogMetrics(engine, () -> engine.logStats().get("metadata"),
        () -> engine.recoveryReports().get("metadata"),
        Tags.of("log", name + ".metadata").and(extraTags)).bindTo(registry);
    for (String id : engine.receiverIds()) {
      new WriteAheadLogMetrics(engine, () -> engine.logStats().get(id),
          () -> engine.recoveryReports().get(id),
          Tags.of("log", name + "." + id).and(extraTags)).bindTo(registry);
    }
  }

  private void bindReceiver(MeterRegistry registry, String id) {
    Tags t = tags.and("receiver", id);
    receiverCounter(registry, t, id, "zerowal.engine.receiver.records", "records stored durably",
        null, ReceiverStats::records);
    receiverCounter(registry, t, id, "zerowal.engine.receiver.bytes", "payload bytes stored"
        + " durably", BaseUnits.BYTES, ReceiverStats::bytes);
    receiverCounter(registry, t, id, "zerowal.engine.receiver.blocks", "blocks stored durably",
        null, ReceiverStats::blocks);
    FunctionTimer.builder("zerowal.engine.receiver.store.latency", engine,
            e -> (long) receiver(id, ReceiverStats::blocks, 0),
            e -> receiver(id, s -> s.totalStoreLatency().toNanos(), 0), TimeUnit.NANOSECONDS)
        .description("per block, from its first record to its durable store").tags(t)
        .register(registry);
    TimeGauge.builder("zerowal.engine.receiver.store.latency.max", engine, TimeUnit.NANOSECONDS,
            e -> receiver(id, s -> s.maxStoreLatency().toNanos(), Double.NaN))
        .description("the longest store since start").tags(t).strongReference(true)
        .register(registry);
    for (double phi : WriteAheadLogMetrics.PERCENTILES) {
      TimeGauge.builder("zerowal.engine.receiver.store.latency.percentile", engine,
              TimeUnit.NANOSECONDS,
              e -> receiver(id, s -> s.storeLatencyPercentile(phi * 100).toNanos(), Double.NaN))
          .description("percentile of the store latency since start")
          .tags(t.and("phi", Double.toString(phi))).strongReference(true).register(registry);
    }
    Gauge.builder("zerowal.engine.receiver.buffered.bytes", engine,
            e -> receiver(id, ReceiverStats::bufferedBytes, Double.NaN))
        .description("bytes accepted by store and not yet durable").baseUnit(BaseUnits.BYTES)
        .tags(t).strongReference(true).register(registry);
    Gauge.builder("zerowal.engine.receiver.unprocessed.bytes", engine,
            e -> receiver(id, ReceiverStats::unprocessedBytes, Double.NaN))
        .description("bytes stored and in no completed batch yet").baseUnit(BaseUnits.BYTES)
        .tags(t).strongReference(true).register(registry);
  }

  /** A value of receiver {@code id}'s stats, read at most every 50 ms; {@code none} before start. */
  private double receiver(String id, ToDoubleFunction<ReceiverStats> value, double none) {
    Receivers r = receivers;
    long now = System.nanoTime();
    if (r.stats().isEmpty() || now - r.readNanos() > REFRESH_NANOS) {
      Map<String, ReceiverStats> stats = engine.receiverStats();
      if (!stats.isEmpty()) { // empty before start: not kept, so the start shows at once
        r = new Receivers(stats, now);
        receivers = r;
      }
    }
    ReceiverStats s = r.stats().get(id);
    return s == null ? none : value.applyAsDouble(s);
  }

  private void receiverCounter(MeterRegistry registry, Tags t, String id, String meter,
      String description, String unit, ToDoubleFunction<ReceiverStats> value) {
    // The engine, not this binder, is the meters' (weakly held) object: the application keeps it.
    FunctionCounter.builder(meter, engine, e -> receiver(id, value, 0)).description(description)
        .baseUnit(unit).tags(t).register(registry);
  }

  private void gauge(MeterRegistry registry, String meter, String description, String unit,
      ToDoubleFunction<MicroBatchEngine> value) {
    Gauge.builder(meter, engine, value).description(description).baseUnit(unit).tags(tags)
        .strongReference(true).register(registry);
  }

  private Timer timer(MeterRegistry registry, String meter, String description) {
    return Timer.builder(meter).description(description).tags(tags).register(registry);
  }
}
