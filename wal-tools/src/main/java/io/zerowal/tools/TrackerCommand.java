/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.RecoveryReport;
import io.zerowal.core.storage.Storage;
import io.zerowal.receiver.BlockInfo;
import io.zerowal.receiver.TrackerView;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code walctl tracker DIR}: what a receiver engine's metadata log says (batches, blocks,
 * receivers), read through {@link TrackerView}. Writes nothing.
 */
@Command(name = "tracker", mixinStandardHelpOptions = true,
    description = {"Show what a receiver engine's metadata log (its metadataStorage) says: batches"
        + " allocated, completed and pending (a restart re-runs the pending ones first, with the"
        + " same time and blocks), blocks stored but in no batch yet (the next batch takes them),"
        + " the blocks of each receiver and the oldest sequence of each receiver's data log that"
        + " is still needed (the engine deletes no segment from there on).",
        "The log is replayed by the engine's own recovery code, under STRICT, as a start would."
            + " Takes no lock and writes nothing: safe next to a running engine, which it sees as"
            + " of the moment it lists the files."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the metadata log replays (an engine would start on it)",
        "1:the log is corrupt, or its events contradict each other or are not tracker events",
        "2:usage or I/O error"})
final class TrackerCommand implements Callable<Integer> {
  @Mixin LogLocation log;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the result as one JSON object (every block"
      + " listed).")
  boolean json;

  @Option(names = "--blocks", description = "List each block of the pending batches and each"
      + " unallocated block (text output; JSON always lists them).")
  boolean blocks;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    TrackerView tracker;
    RecoveryReport report;
    List<String> changes;
    try (Storage files = log.storage();
        ReadOnlyLog view = log.builder(files, RecoveryPolicy.STRICT).openReadOnly()) {
      report = view.recoveryReport();
      changes = view.plannedChanges();
      tracker = TrackerView.of(view);
    }
    if (json) {
      printJson(out, tracker, report, changes);
    } else {
      printText(out, tracker, report, changes);
    }
    out.flush();
    return Walctl.OK;
  }

  private void printText(PrintWriter out, TrackerView t, RecoveryReport report,
      List<String> changes) {
    out.println("metadata log " + log.location + " (read-only: no lock taken, nothing written)");
    out.println("records " + t.firstSequence() + ".." + (t.nextSequence() - 1) + ": " + t.events()
        + " events, " + t.snapshots() + " snapshots, state replayed from "
        + (t.lastSnapshotSequence().isPresent() ? "the snapshot at record "
            + t.lastSnapshotSequence().getAsLong() : "the first record"));
    out.println("a reopen would: " + Reports.summary(report, changes));
    if (report.recordsCut() > 0) {
      out.println("WARNING: the " + report.recordsCut() + " events after the damage in the last"
          + " segment pass their checksums: the damage is on the disk, not a torn write, and an"
          + " engine starting on this log would cut them (blocks it acknowledged, batches it"
          + " completed). Keep a copy of the directory before starting the engine; this view"
          + " shows the log as it would be after the cut.");
    }
    out.println("last batch time: " + (t.lastBatchTime().isPresent()
        ? time(t.lastBatchTime().getAsLong()) : "none (no batch allocated yet)"));
    out.println("batches in the log: " + t.allocatedBatches().size() + " allocated, "
        + t.completedBatches().size() + " completed, " + t.pendingBatches().size() + " pending");
    if (t.pendingBatches().isEmpty()) {
      out.println("pending batches: none");
    } else {
      out.println("pending batches (a restart re-runs them first, same time, same blocks):");
      t.pendingBatches().forEach((time, b) -> {
        out.println("  batch " + time(time) + ": " + summary(b));
        printBlocks(out, b);
      });
    }
    List<BlockInfo> unallocated = t.unallocatedBlocks();
    out.println("unallocated blocks (the next batch takes them): " + (unallocated.isEmpty()
        ? "none" : summary(unallocated)));
    printBlocks(out, unallocated);
    if (t.receivers().isEmpty()) {
      out.println("receivers: none in the log");
      return;
    }
    out.println("receivers:");
    out.printf("  %-20s %12s %14s %15s %14s %14s%n", "receiver", "blocks added", "pending blocks",
        "pending records", "pending bytes", "oldest needed");
    for (TrackerView.ReceiverBlocks r : t.receivers().values()) {
      out.printf("  %-20s %12d %14d %15d %14d %14s%n", r.receiverId(), r.blocksAdded(),
          r.pendingBlocks(), r.pendingRecords(), r.pendingBytes(),
          r.oldestNeededSequence() < 0 ? "-" : Long.toString(r.oldestNeededSequence()));
    }
    out.println("(oldest needed: the oldest sequence of the receiver's data log that a pending"
        + " block needs; '-': none)");
  }

  private void printBlocks(PrintWriter out, List<BlockInfo> list) {
    if (!blocks) {
      return;
    }
    for (BlockInfo b : list) {
      out.println("    receiver " + b.receiverId() + " block " + b.blockId() + ": "
          + b.recordCount() + " records, " + b.bytes() + " bytes");
    }
  }

  private static String summary(List<BlockInfo> list) {
    long records = 0;
    long bytes = 0;
    for (BlockInfo b : list) {
      records += b.recordCount();
      bytes += b.bytes();
    }
    return list.size() + " blocks, " + records + " records, " + bytes + " bytes";
  }

  /** A batch time is the engine's wall clock in milliseconds: shown with its instant. */
  private static String time(long millis) {
    return millis + " (" + Instant.ofEpochMilli(millis) + ")";
  }

  private static void printJson(PrintWriter out, TrackerView t, RecoveryReport report,
      List<String> changes) {
    StringBuilder j = new StringBuilder("{");
    j.append("\"firstSequence\":").append(t.firstSequence())
        .append(",\"nextSequence\":").append(t.nextSequence())
        .append(",\"events\":").append(t.events())
        .append(",\"snapshots\":").append(t.snapshots())
        .append(",\"lastSnapshotSequence\":").append(t.lastSnapshotSequence().isPresent()
            ? Long.toString(t.lastSnapshotSequence().getAsLong()) : "null")
        .append(",\"tornTail\":").append(report.tornTail())
        .append(",\"bytesTruncated\":").append(report.bytesTruncated())
        .append(",\"recordsCut\":").append(report.recordsCut())
        .append(",\"plannedChanges\":").append(strings(changes))
        .append(",\"lastBatchTime\":").append(t.lastBatchTime().isPresent()
            ? Long.toString(t.lastBatchTime().getAsLong()) : "null")
        .append(",\"allocatedBatches\":").append(longs(t.allocatedBatches().keySet()))
        .append(",\"completedBatches\":").append(longs(t.completedBatches()))
        .append(",\"pendingBatches\":[");
    boolean first = true;
    for (Map.Entry<Long, List<BlockInfo>> e : t.pendingBatches().entrySet()) {
      j.append(first ? "" : ",").append("{\"batchTime\":").append(e.getKey())
          .append(",\"blocks\":").append(blocks(e.getValue())).append('}');
      first = false;
    }
    j.append("],\"unallocatedBlocks\":").append(blocks(t.unallocatedBlocks()))
        .append(",\"receivers\":[");
    first = true;
    for (TrackerView.ReceiverBlocks r : t.receivers().values()) {
      j.append(first ? "" : ",").append("{\"receiver\":").append(JsonText.quote(r.receiverId()))
          .append(",\"blocksAdded\":").append(r.blocksAdded())
          .append(",\"pendingBlocks\":").append(r.pendingBlocks())
          .append(",\"pendingRecords\":").append(r.pendingRecords())
          .append(",\"pendingBytes\":").append(r.pendingBytes())
          .append(",\"oldestNeededSequence\":").append(r.oldestNeededSequence() < 0 ? "null"
              : Long.toString(r.oldestNeededSequence()))
          .append('}');
      first = false;
    }
    out.println(j.append("]}"));
  }

  private static String blocks(List<BlockInfo> list) {
    List<String> items = new ArrayList<>();
    for (BlockInfo b : list) {
      items.add("{\"receiver\":" + JsonText.quote(b.receiverId()) + ",\"block\":" + b.blockId()
          + ",\"records\":" + b.recordCount() + ",\"bytes\":" + b.bytes() + "}");
    }
    return "[" + String.join(",", items) + "]";
  }

  private static String longs(Iterable<Long> values) {
    List<String> items = new ArrayList<>();
    values.forEach(v -> items.add(Long.toString(v)));
    return "[" + String.join(",", items) + "]";
  }

  private static String strings(List<String> values) {
    List<String> items = new ArrayList<>();
    values.forEach(v -> items.add(JsonText.quote(v)));
    return "[" + String.join(",", items) + "]";
  }
}
