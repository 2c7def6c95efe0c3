/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.RecoveryReport;
import io.zerowal.core.SegmentInfo;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code walctl inspect DIR}: segments, sequences, and what a reopen would do. Writes nothing. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Show a log's segments (name, base sequence, records, bytes, sealed or open,"
        + " preallocated spare), its first and next sequence, and what a reopen would do: cut a torn"
        + " tail, or fail on corruption (and what SKIP_CORRUPT would repair).",
        "Takes no lock and writes nothing: safe next to a running writer, which it sees as of the"
        + " moment it lists the files (the group being written may show as a torn tail)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:a reopen would succeed", "1:a STRICT reopen would fail on corruption",
        "2:usage or I/O error"})
final class InspectCommand implements Callable<Integer> {
  /** The preallocator's file (docs/FORMAT.md, "The log directory"). */
  private static final String SPARE = "next-segment.spare";

  @Mixin LogLocation log;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (Storage files = log.storage()) {
      out.println("log " + log.location + " (read-only: no lock taken, nothing written)");
      return inspect(out, files);
    }
  }

  private int inspect(PrintWriter out, Storage files) throws IOException {
    ReadOnlyLog view;
    CorruptLogException strictFailure = null;
    try {
      view = log.builder(files, RecoveryPolicy.STRICT).openReadOnly();
    } catch (CorruptLogException e) {
      strictFailure = e;
      view = log.builder(files, RecoveryPolicy.SKIP_CORRUPT).openReadOnly();
    }
    try (ReadOnlyLog v = view) {
      printSegments(out, v, files);
      out.println();
      RecoveryReport r = v.recoveryReport();
      if (strictFailure == null) {
        out.println("a reopen would: " + Reports.summary(r, v.plannedChanges()));
      } else {
        out.println("a reopen (STRICT, the default) would FAIL: " + strictFailure.getMessage());
        out.println("a reopen with SKIP_CORRUPT (walctl repair --apply) would: "
            + Reports.summary(r, v.plannedChanges()));
      }
      Reports.printChanges(out, v.plannedChanges());
      out.flush();
      return strictFailure == null ? Walctl.OK : Walctl.CORRUPT;
    }
  }

  private static void printSegments(PrintWriter out, ReadOnlyLog v, Storage files)
      throws IOException {
    List<SegmentInfo> segments = v.segments();
    long records = 0;
    for (SegmentInfo s : segments) {
      records += s.records();
    }
    out.println("segments " + segments.size() + ", records " + records + ", first sequence "
        + v.firstSequence() + ", next sequence " + v.nextSequence());
    if (segments.isEmpty()) {
      out.println("(no segment: an empty log)");
    } else {
      out.printf("%-26s %12s %12s %10s %12s %12s  %s%n", "segment", "base", "last", "records",
          "data bytes", "file bytes", "state");
    }
    RecoveryReport r = v.recoveryReport();
    Set<String> shown = new HashSet<>();
    List<String> names = files.list();
    for (SegmentInfo s : segments) {
      shown.add(s.name());
      long fileBytes = names.contains(s.name()) ? files.size(s.name()) : -1;
      String state = s.sealed() ? "sealed" : "open";
      if (s.gaps()) {
        state += ", gaps (sequences may skip: rebuilt by SKIP_CORRUPT)";
      }
      if (!s.sealed() && fileBytes > s.dataEnd()) {
        state += r.tornTail() ? ", torn tail: " + (fileBytes - s.dataEnd()) + " bytes"
            : ", " + (fileBytes - s.dataEnd()) + " bytes after its data (preallocated spare, or"
                + " the footer of an empty segment a reopen continues in)";
      }
      out.printf("%-26s %12d %12d %10d %12d %12s  %s%n", s.name(), s.baseSequence(),
          s.lastSequence(), s.records(), s.dataEnd(), fileBytes < 0 ? "(planned)" : fileBytes,
          state);
    }
    List<String> others = new ArrayList<>();
    for (String name : names) {
      if (!shown.contains(name)) {
        others.add(name + " (" + files.size(name) + " bytes" + (name.equals(SPARE)
            ? ": the next segment, preallocated" : name.contains(".corrupt")
            ? ": set aside by SKIP_CORRUPT recovery" : "") + ")");
      }
    }
    if (!others.isEmpty()) {
      out.println("other files: " + String.join(", ", others));
    }
  }
}
