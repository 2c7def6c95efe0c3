/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.zerowal.core.LogClosedException;
import io.zerowal.core.LogStats;
import io.zerowal.core.RecoveryReport;
import io.zerowal.core.WriteAheadLog;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for one {@link WriteAheadLog}, named {@code zerowal.log.*} and tagged
 * {@code log=<name>}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code zerowal.log.appends}</td><td>counter</td><td>records appended (written) since open</td></tr>
 *   <tr><td>{@code zerowal.log.bytes}</td><td>counter, bytes</td><td>payload bytes appended</td></tr>
 *   <tr><td>{@code zerowal.log.groups}</td><td>counter</td><td>commit groups, each one write and one durability point</td></tr>
 *   <tr><td>{@code zerowal.log.writes}</td><td>counter</td><td>gathering write calls</td></tr>
 *   <tr><td>{@code zerowal.log.syncs}</td><td>counter</td><td>syncs (fsync / hsync), background ones included</td></tr>
 *   <tr><td>{@code zerowal.log.segments.rolled}</td><td>counter</td><td>segments sealed and rolled</td></tr>
 *   <tr><td>{@code zerowal.log.group.records}</td><td>gauge</td><td>average records per commit group since open</td></tr>
 *   <tr><td>{@code zerowal.log.pending.bytes}</td><td>gauge, bytes</td><td>appended but not yet durable (back-pressure bound: {@code maxPendingBytes})</td></tr>
 *   <tr><td>{@code zerowal.log.segments}</td><td>gauge</td><td>segment files, the one being written included</td></tr>
 *   <tr><td>{@code zerowal.log.disk.bytes}</td><td>gauge, bytes</td><td>bytes of the segments as written ({@link LogStats#segmentBytes()}; preallocated space not counted)</td></tr>
 *   <tr><td>{@code zerowal.log.sequence.first}, {@code .next}</td><td>gauge</td><td>oldest sequence, and the next one to be written</td></tr>
 *   <tr><td>{@code zerowal.log.append.latency}</td><td>function timer</td><td>from append to
 *       durable, per record ({@link LogStats#appendLatency()}): count and total time</td></tr>
 *   <tr><td>{@code zerowal.log.append.latency.max}</td><td>time gauge</td><td>the longest since open</td></tr>
 *   <tr><td>{@code zerowal.log.append.latency.percentile}, tag {@code phi} = 0.5, 0.9, 0.99,
 *       0.999</td><td>time gauge</td><td>percentiles since open (within 12.5% above), as Micrometer
 *       names a timer's client-side percentiles</td></tr>
 *   <tr><td>{@code zerowal.log.recovery.records}, {@code .bytes.truncated}, {@code .records.cut},
 *       {@code .records.skipped}, {@code .corrupt.segments}, {@code .torn.tail} (0 or 1),
 *       {@code .duration}</td><td>gauge</td><td>the {@link RecoveryReport} of the open</td></tr>
 * </table>
 *
 * <p>Counters and gauges read {@link WriteAheadLog#stats()} when the registry asks (a snapshot of a
 * few counters; nothing is added to the append path). After the log is closed they keep their last
 * values. Thread-safe; bind once per log and registry.
 *
 * <pre>{@code
 * new WriteAheadLogMetrics(log, "orders").bindTo(registry);
 * }</pre>
 */
public final class WriteAheadLogMetrics implements MeterBinder {
  static final double[] PERCENTILES = {0.5, 0.9, 0.99, 0.999};
  /** The log's stats now; null while there are none (an engine's log before its start). */
  private final Supplier<LogStats> source;
  /** The report of the open; null while there is none. */
  private final Supplier<RecoveryReport> recovery;
  private final Tags tags;
  /**
   * What the meters refer to: Micrometer holds a function meter's object weakly, so it must be one
   * the application keeps (the log, the engine), never this binder, which nobody keeps.
   */
  private final Object owner;
  private volatile LogStats last;

  /**
   * Meters for {@code log}, tagged {@code log=name}.
   *
   * @param log the log to measure; the meters read its stats and recovery report
   * @param name the value of the {@code log} tag, telling this log from others in the registry
   * @throws NullPointerException if an argument is null
   */
  public WriteAheadLogMetrics(WriteAheadLog log, String name) {
    this(log, name, Tags.empty());
  }

  /**
   * Meters for {@code log}, tagged {@code log=name} and {@code extraTags}.
   *
   * @param log the log to measure; the meters read its stats and recovery report
   * @param name the value of the {@code log} tag, telling this log from others in the registry
   * @param extraTags tags added to every meter, such as the application's
   * @throws NullPointerException if an argument is null
   */
  public WriteAheadLogMetrics(WriteAheadLog log, String name, Iterable<Tag> extraTags) {
    this(Objects.requireNonNull(log, "log must not be null"), log::stats,
        constant(log.recoveryReport()),
        Tags.of("log", Objects.requireNonNull(name, "name must not be null"))
            .and(Objects.requireNonNull(extraTags, "extraTags must not be null")));
  }

  private static Supplier<RecoveryReport> constant(RecoveryReport report) {
    return () -> report;
  }

  /** Meters over stats from {@code source} (null while none), for an engine's logs. */
  WriteAheadLogMetrics(Object owner, Supplier<LogStats> source, Supplier<RecoveryReport> recovery,
      Tags tags) {
    this.owner = owner;
    this.source = source;
    this.recovery = recovery;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    stats();
    counter(registry, "zerowal.log.appends", "records appended since the log was opened", null,
        LogStats::records);
    counter(registry, "zerowal.log.bytes", "payload bytes appended since the log was opened",
        BaseUnits.BYTES, LogStats::payloadBytes);
    counter(registry, "zerowal.log.groups", "commit groups: one write and one durability point"
        + " each", null, LogStats::groups);
    counter(registry, "zerowal.log.writes", "gathering write calls", null, LogStats::writes);
    counter(registry, "zerowal.log.syncs", "syncs to stable storage, background ones included",
        null, LogStats::syncs);
    counter(registry, "zerowal.log.segments.rolled", "segments sealed and rolled", null,
        LogStats::segmentsRolled);
    gauge(registry, "zerowal.log.group.records", "average records per commit group since open",
        null, LogStats::averageGroupSize);
    gauge(registry, "zerowal.log.pending.bytes", "bytes appended but not yet durable",
        BaseUnits.BYTES, LogStats::pendingBytes);
    gauge(registry, "zerowal.log.segments", "segment files, the one being written included", null,
        LogStats::segments);
    gauge(registry, "zerowal.log.disk.bytes", "bytes of the segments as written (preallocated"
        + " space not counted)", BaseUnits.BYTES, LogStats::segmentBytes);
    gauge(registry, "zerowal.log.sequence.first", "the oldest sequence in the log", null,
        LogStats::firstSequence);
    gauge(registry, "zerowal.log.sequence.next", "the sequence of the next record written", null,
        LogStats::nextSequence);

    FunctionTimer.builder("zerowal.log.append.latency", owner,
            o -> (long) value(s -> s.appendLatency().count(), 0),
            o -> value(s -> s.appendLatency().total().toNanos(), 0), TimeUnit.NANOSECONDS)
        .description("from append to durable, per record (measured once per commit group)")
        .tags(tags).register(registry);
    TimeGauge.builder("zerowal.log.append.latency.max", owner, TimeUnit.NANOSECONDS,
            o -> value(s -> s.appendLatency().max().toNanos(), Double.NaN))
        .description("the longest time from append to durable since open").tags(tags)
        .strongReference(true).register(registry);
    for (double phi : PERCENTILES) {
      TimeGauge.builder("zerowal.log.append.latency.percentile", owner, TimeUnit.NANOSECONDS,
              o -> value(s -> s.appendLatency().percentile(phi * 100).toNanos(), Double.NaN))
          .description("percentile of the time from append to durable since open")
          .tags(tags.and("phi", Double.toString(phi))).strongReference(true).register(registry);
    }

    recovery(registry, "records", "records in the log after recovery", null,
        RecoveryReport::records);
    recovery(registry, "bytes.truncated", "bytes of a torn tail cut by recovery", BaseUnits.BYTES,
        RecoveryReport::bytesTruncated);
    recovery(registry, "records.cut", "records with valid checksums cut with the torn tail", null,
        RecoveryReport::recordsCut);
    recovery(registry, "records.skipped", "records lost to corruption and skipped (SKIP_CORRUPT)",
        null, RecoveryReport::recordsSkipped);
    recovery(registry, "corrupt.segments", "damaged segment files set aside as .corrupt", null,
        r -> r.corruptSegments().size());
    recovery(registry, "torn.tail", "1 if recovery cut a torn tail", null,
        r -> r.tornTail() ? 1 : 0);
    TimeGauge.builder("zerowal.log.recovery.duration", owner, TimeUnit.NANOSECONDS,
            o -> {
              RecoveryReport r = recovery.get();
              return r == null ? Double.NaN : r.duration().toNanos();
            })
        .description("wall time of recovery on open").tags(tags).strongReference(true)
        .register(registry);
  }

  /** The log's counters now, or, once it is closed, as last seen; null if never seen. */
  private LogStats stats() {
    try {
      LogStats s = source.get();
      if (s != null) {
        last = s;
      }
    } catch (LogClosedException e) {
      // closed: keep the last values
    }
    return last;
  }

  private double value(ToDoubleFunction<LogStats> value, double none) {
    LogStats s = stats();
    return s == null ? none : value.applyAsDouble(s);
  }

  private void counter(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<LogStats> value) {
    FunctionCounter.builder(name, owner, o -> value(value, 0))
        .description(description).baseUnit(unit).tags(tags).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<LogStats> value) {
    Gauge.builder(name, owner, o -> value(value, Double.NaN))
        .description(description).baseUnit(unit).tags(tags).strongReference(true)
        .register(registry);
  }

  private void recovery(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<RecoveryReport> value) {
    Gauge.builder("zerowal.log.recovery." + name, owner, o -> {
      RecoveryReport r = recovery.get();
      return r == null ? Double.NaN : value.applyAsDouble(r);
    }).description(description).baseUnit(unit).tags(tags).strongReference(true)
        .register(registry);
  }
}
