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
  private static final double[] PERCENTILES = {0.5, 0.9, 0.99, 0.999};
  private final WriteAheadLog log;
  private final Tags tags;
  private volatile LogStats last;

  /** Meters for {@code log}, tagged {@code log=name}. */
  public WriteAheadLogMetrics(WriteAheadLog log, String name) {
    this(log, name, Tags.empty());
  }

  /** Meters for {@code log}, tagged {@code log=name} and {@code extraTags}. */
  public WriteAheadLogMetrics(WriteAheadLog log, String name, Iterable<Tag> extraTags) {
    this.log = Objects.requireNonNull(log, "log must not be null");
    Objects.requireNonNull(name, "name must not be null");
    this.tags = Tags.of("log", name).and(extraTags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    last = log.stats();
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

    FunctionTimer.builder("zerowal.log.append.latency", this,
            m -> m.stats().appendLatency().count(),
            m -> m.stats().appendLatency().total().toNanos(), TimeUnit.NANOSECONDS)
        .description("from append to durable, per record (measured once per commit group)")
        .tags(tags).register(registry);
    TimeGauge.builder("zerowal.log.append.latency.max", this, TimeUnit.NANOSECONDS,
            m -> m.stats().appendLatency().max().toNanos())
        .description("the longest time from append to durable since open").tags(tags)
        .strongReference(true).register(registry);
    for (double phi : PERCENTILES) {
      TimeGauge.builder("zerowal.log.append.latency.percentile", this, TimeUnit.NANOSECONDS,
              m -> m.stats().appendLatency().percentile(phi * 100).toNanos())
          .description("percentile of the time from append to durable since open")
          .tags(tags.and("phi", Double.toString(phi))).strongReference(true).register(registry);
    }

    RecoveryReport r = log.recoveryReport();
    recovery(registry, "records", "records in the log after recovery", null, r.records());
    recovery(registry, "bytes.truncated", "bytes of a torn tail cut by recovery", BaseUnits.BYTES,
        r.bytesTruncated());
    recovery(registry, "records.cut", "records with valid checksums cut with the torn tail", null,
        r.recordsCut());
    recovery(registry, "records.skipped", "records lost to corruption and skipped (SKIP_CORRUPT)",
        null, r.recordsSkipped());
    recovery(registry, "corrupt.segments", "damaged segment files set aside as .corrupt", null,
        r.corruptSegments().size());
    recovery(registry, "torn.tail", "1 if recovery cut a torn tail", null, r.tornTail() ? 1 : 0);
    TimeGauge.builder("zerowal.log.recovery.duration", r, TimeUnit.NANOSECONDS,
            report -> report.duration().toNanos())
        .description("wall time of recovery on open").tags(tags).register(registry);
  }

  /** The log's counters now, or, once it is closed, as last seen. */
  private LogStats stats() {
    try {
      LogStats s = log.stats();
      last = s;
      return s;
    } catch (LogClosedException e) {
      return last;
    }
  }

  private void counter(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<LogStats> value) {
    FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.stats()))
        .description(description).baseUnit(unit).tags(tags).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<LogStats> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.stats()))
        .description(description).baseUnit(unit).tags(tags).strongReference(true)
        .register(registry);
  }

  private void recovery(MeterRegistry registry, String name, String description, String unit,
      double value) {
    Gauge.builder("zerowal.log.recovery." + name, () -> value).description(description)
        .baseUnit(unit).tags(tags).register(registry);
  }
}
