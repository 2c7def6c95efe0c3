/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Renders {@link Compare}'s rows as a console table, Markdown, CSV and a chart. */
final class Report {
  static final String COMMAND =
      "./mvnw -q -pl wal-bench -am -Pcompare -DskipTests package";

  private final List<Compare.Row> rows;
  private final double seconds;
  private final int reps;
  private final double minutes;
  private final boolean smoke;

  Report(List<Compare.Row> rows, double seconds, int reps, double minutes, boolean smoke) {
    this.rows = rows;
    this.seconds = seconds;
    this.reps = reps;
    this.minutes = minutes;
    this.smoke = smoke;
  }

  private static final String[] HEADER = {"workload", "system", "records/s", "min–max", "MB/s",
      "p50 µs",
      "p99 µs", "p999 µs", "syncs/s", "× raw bound", "× ZeroWAL", "note"};

  private List<String[]> cells() {
    List<String[]> out = new ArrayList<>();
    for (Compare.Row r : rows) {
      double rps = r.recordsPerSecond();
      double syncs = r.median(Measurement::syncsPerSecond);
      Compare.Row raw = rawFor(r);
      Compare.Row zw = zeroWalFor(r);
      out.add(new String[] {r.workload, r.system, fmt(rps, 0), range(r), fmt(r.median(
          Measurement::megabytesPerSecond), 1), fmt(r.median(m -> m.latencyMicros(50)), 0),
          fmt(r.median(m -> m.latencyMicros(99)), 0), fmt(r.median(m -> m.latencyMicros(99.9)), 0),
          syncs < 0 ? "0 (no fsync)" : fmt(syncs, 0),
          raw == null ? "" : fmt(rps / raw.recordsPerSecond(), 2),
          zw == null ? "" : fmt(rps / zw.recordsPerSecond(), 2), r.note});
    }
    return out;
  }

  /** The raw bound a row is held against: same workload, same file mode (or raw read). */
  private Compare.Row rawFor(Compare.Row r) {
    String name;
    if (r.workload.startsWith("replay")) {
      name = "raw sequential read";
    } else if (r.system.contains("prealloc")) {
      name = "raw write+force, preallocated";
    } else {
      name = "raw write+force, growing file";
    }
    return find(r.workload, name);
  }

  private Compare.Row zeroWalFor(Compare.Row r) {
    return find(r.workload, r.workload.startsWith("replay") ? "ZeroWAL readFrom" : "ZeroWAL SYNC");
  }

  /** The records/s of the row's slowest and fastest repetition. */
  private static String range(Compare.Row r) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Measurement m : r.runs) {
      min = Math.min(min, m.recordsPerSecond());
      max = Math.max(max, m.recordsPerSecond());
    }
    return r.runs.isEmpty() ? "" : fmt(min, 0) + "–" + fmt(max, 0);
  }

  Compare.Row find(String workload, String system) {
    for (Compare.Row r : rows) {
      if (r.workload.equals(workload) && r.system.equals(system)) {
        return r;
      }
    }
    return null;
  }

  static String fmt(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  String consoleTable() {
    List<String[]> cells = cells();
    int[] w = new int[HEADER.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = HEADER[i].length();
      for (String[] c : cells) {
        w[i] = Math.max(w[i], c[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, HEADER, w);
    String last = null;
    for (String[] c : cells) {
      if (last != null && !last.equals(c[0])) {
        sb.append('\n');
      }
      last = c[0];
      appendLine(sb, c, w);
    }
    sb.append('\n').append(targets(false));
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, String[] c, int[] w) {
    for (int i = 0; i < c.length; i++) {
      boolean left = i < 2 || i == c.length - 1;
      String f = "%" + (left ? "-" : "") + w[i] + "s";
      sb.append(String.format(Locale.ROOT, f, c[i])).append(i == c.length - 1 ? "" : "  ");
    }
    sb.append('\n');
  }

  String csv() {
    StringBuilder sb = new StringBuilder();
    sb.append("workload,system,records_per_s,records_per_s_min_max,mb_per_s,p50_us,p99_us,p999_us,syncs_per_s,"
        + "x_raw_bound,x_zerowal,note\n");
    for (String[] c : cells()) {
      List<String> f = new ArrayList<>();
      for (int i = 0; i < c.length; i++) {
        String v = i >= 2 && i < c.length - 1 ? c[i].replace(",", "") : c[i];
        if (i == 3) {
          v = c[i].replace(",", "").replace("–", "-");
        }
        if (i == 8 && v.startsWith("0 (")) {
          v = "-1";
        }
        f.add(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      sb.append(String.join(",", f)).append('\n');
    }
    return sb.toString();
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# ZeroWAL benchmarks: side by side with the disk and with peers\n\n");
    sb.append("Made by `").append(COMMAND).append("` (class `io.zerowal.bench.Compare`)")
        .append(" on ").append(DateTimeFormatter.ISO_LOCAL_DATE.format(ZonedDateTime.now()))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", in ")
        .append(fmt(minutes, 1)).append(" minutes. Every figure is the median of ").append(reps)
        .append(" runs of ").append(fmt(seconds, 2)).append(" s (min–max of the runs shown), systems interleaved;")
        .append(" all systems wrote to the same disk (a directory under `wal-bench/target`).")
        .append(smoke ? " **Smoke run: the figures mean nothing.**" : "").append("\n\n");
    sb.append("""
        How to read it:
        - **raw write+force** is the bound: one thread writes groups of frames of the same size with
          one positional write and one `force(false)` per group, the group size being the one ZeroWAL
          SYNC reached in the same workload (see *note*); on a growing file and on a preallocated one.
        - **Spark** is `org.apache.spark.streaming.util.FileBasedWriteAheadLog` on a local directory
          with its default writer, alone and wrapped in `BatchedWriteAheadLog`. Its writer ends each
          record with `hflush`, which on a local file system is a plain `write` into the page cache:
          **Spark never fsyncs here**. Compare it with ZeroWAL FLUSH (same durability); ZeroWAL SYNC
          is shown too. Spark's `write` blocks and is `synchronized`; its threads call it in a loop.
        - **Tape** (`com.squareup.tape2.QueueFile`) writes and syncs on every add; it is not
          thread-safe, so its threads share one lock.
        - ZeroWAL producers each keep 256 appends in flight (futures complete in order; a producer
          waits for its oldest one when its window is full); latency is sampled on 1 in 16 appends,
          from `append` to completion. "syncs/s" counts fsyncs; ZeroWAL FLUSH and Spark do none.
        - Replay reads data written just before, so it comes from the page cache for every system.
          Tape is left out of replay (writing the data set with an fsync per record takes minutes).
        - × raw bound: records/s against the raw bound of the same workload and file mode (replay:
          raw sequential read). × ZeroWAL: against ZeroWAL SYNC (replay: ZeroWAL readFrom).

        """);
    List<String[]> cells = cells();
    sb.append('|');
    for (String h : HEADER) {
      sb.append(' ').append(h).append(" |");
    }
    sb.append("\n|");
    for (int i = 0; i < HEADER.length; i++) {
      sb.append(i < 2 || i == HEADER.length - 1 ? "---|" : "---:|");
    }
    sb.append('\n');
    for (String[] c : cells) {
      sb.append('|');
      for (String v : c) {
        sb.append(' ').append(v).append(" |");
      }
      sb.append('\n');
    }
    sb.append("\n![throughput vs threads](throughput-vs-threads.png)\n\n");
    sb.append("## Targets of issue 6\n\n").append(targets(true));
    return sb.toString();
  }

  /** The targets, computed from this run's medians. */
  String targets(boolean markdown) {
    StringBuilder sb = new StringBuilder();
    String w8 = "append 1 KiB, 8 threads";
    String b8 = "append 100 B, 8 threads";
    String lat = "latency 1 KiB, 1 writer, one at a time";
    Compare.Row spark8 = find(w8, "Spark FileBasedWAL (hflush)");
    Compare.Row sync8 = best(find(w8, "ZeroWAL SYNC"), find(w8, "ZeroWAL SYNC prealloc"));
    if (spark8 != null && sync8 != null) {
      target(sb, markdown, sync8.system + ", 1 KiB, 8 producers ≥ 1.5× Spark records/s",
          sync8.recordsPerSecond() / spark8.recordsPerSecond(), 1.5);
      Compare.Row raw = rawFor(sync8);
      target(sb, markdown, sync8.system + " ≥ 80% of " + raw.system + " (" + raw.note + ")",
          sync8.recordsPerSecond() / raw.recordsPerSecond(), 0.8);
    }
    Compare.Row flush8 = best(find(w8, "ZeroWAL FLUSH"), find(w8, "ZeroWAL FLUSH prealloc"));
    if (spark8 != null && flush8 != null) {
      target(sb, markdown, flush8.system + ", 1 KiB, 8 threads ≥ 3× Spark",
          flush8.recordsPerSecond() / spark8.recordsPerSecond(), 3);
    }
    Compare.Row sparkB = find(b8, "Spark FileBasedWAL (hflush)");
    Compare.Row flushB = best(find(b8, "ZeroWAL FLUSH"), find(b8, "ZeroWAL FLUSH prealloc"));
    if (sparkB != null && flushB != null) {
      target(sb, markdown, flushB.system + ", 100 B, 8 threads ≥ 10× Spark",
          flushB.recordsPerSecond() / sparkB.recordsPerSecond(), 10);
    }
    Compare.Row zl = find(lat, "ZeroWAL SYNC prealloc");
    Compare.Row rl = find(lat, "raw write+force, preallocated");
    if (zl != null && rl != null) {
      target(sb, markdown, "single-writer SYNC p50 ≤ 1.2× raw write+force (preallocated)",
          rl.median(m -> m.latencyMicros(50)) / zl.median(m -> m.latencyMicros(50)), 1 / 1.2);
      target(sb, markdown, "single-writer SYNC p99 ≤ 1.5× raw write+force (preallocated)",
          rl.median(m -> m.latencyMicros(99)) / zl.median(m -> m.latencyMicros(99)), 1 / 1.5);
    }
    Compare.Row zr = best(find("replay 1 KiB", "ZeroWAL readFrom"),
        find("replay 1 KiB", "ZeroWAL readFrom + visit (zero-copy)"));
    Compare.Row sr = find("replay 1 KiB", "Spark readAll");
    if (zr != null && sr != null) {
      target(sb, markdown, zr.system + ", replay 1 KiB ≥ 3× Spark readAll records/s",
          zr.recordsPerSecond() / sr.recordsPerSecond(), 3);
    }
    Compare.Row z64 = best(find("replay 64 KiB", "ZeroWAL readFrom"),
        find("replay 64 KiB", "ZeroWAL readFrom + visit (zero-copy)"));
    Compare.Row r64 = find("replay 64 KiB", "raw sequential read");
    if (z64 != null && r64 != null) {
      target(sb, markdown, z64.system + ", replay 64 KiB ≥ 50% of raw sequential read MB/s",
          z64.median(Measurement::megabytesPerSecond) / r64.median(
              Measurement::megabytesPerSecond), 0.5);
    }
    return sb.toString();
  }

  private static Compare.Row best(Compare.Row a, Compare.Row b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.recordsPerSecond() >= b.recordsPerSecond() ? a : b;
  }

  /** For latency targets the ratio is inverted so that "≥ goal" always means met. */
  private static void target(StringBuilder sb, boolean markdown, String what, double ratio,
      double goal) {
    boolean met = ratio >= goal;
    String shown = goal < 1 && what.contains("≤")
        ? fmt(1 / ratio, 2) + "× (goal ≤ " + fmt(1 / goal, 2) + "×)"
        : fmt(ratio, 2) + "× (goal ≥ " + fmt(goal, 2) + "×)";
    sb.append(markdown ? "- " : "  ").append(met ? "MET    " : "MISSED ").append(what)
        .append(": ").append(shown).append('\n');
  }

  /** Records/s against threads for the 1 KiB append workloads, log scale. */
  void chart(Path png) {
    Map<String, XYSeries> series = new LinkedHashMap<>();
    for (Compare.Row r : rows) {
      if (!r.workload.startsWith("append 1 KiB")) {
        continue;
      }
      int threads = Integer.parseInt(r.workload.replaceAll(".*, (\\d+) thread.*", "$1"));
      double rps = r.recordsPerSecond();
      if (rps > 0) {
        series.computeIfAbsent(r.system, XYSeries::new).add(threads, rps);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    series.values().forEach(data::addSeries);
    try {
      JFreeChart chart = ChartFactory.createXYLineChart("Append throughput, 1 KiB records",
          "producer threads", "records/s", data, PlotOrientation.VERTICAL, true, false, false);
      XYPlot plot = chart.getXYPlot();
      LogAxis x = new LogAxis("producer threads");
      x.setBase(2);
      plot.setDomainAxis(x);
      plot.setRangeAxis(new LogAxis("records/s (log scale)"));
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
      for (int i = 0; i < data.getSeriesCount(); i++) {
        renderer.setSeriesStroke(i, new BasicStroke(2f));
      }
      plot.setRenderer(renderer);
      ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 620);
    } catch (IOException | RuntimeException | Error e) {
      System.err.println("chart not written (" + e + "); the CSV has the same figures");
    }
  }
}
