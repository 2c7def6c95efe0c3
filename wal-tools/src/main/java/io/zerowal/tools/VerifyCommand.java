/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.RecoveryReport;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code walctl verify DIR}: every frame and footer of every segment. Writes nothing. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check every frame (length, CRC, type, sequence) and every footer (record count,"
        + " last sequence, CRC over the frames) of every segment, and that segments follow each"
        + " other. Each problem is named with its segment and offset. A torn tail of the last"
        + " segment, which a reopen cuts, is reported but is not corruption.",
        "Takes no lock and writes nothing."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every frame and footer checked out", "1:corruption found",
        "2:usage or I/O error"})
final class VerifyCommand implements Callable<Integer> {
  @Mixin LogLocation log;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(names = "--progress", negatable = true,
      description = "A one-line progress display on stderr (default: when run on a terminal).")
  Boolean progressOption;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    boolean progress = progressOption != null ? progressOption : System.console() != null;
    ReadOnlyLog.Verification v;
    RecoveryReport report;
    // SKIP_CORRUPT: a view opens whatever the damage; verify reads the files as they are.
    try (Storage files = log.storage();
        ReadOnlyLog view = log.builder(files, RecoveryPolicy.SKIP_CORRUPT).openReadOnly()) {
      report = view.recoveryReport();
      int total = view.segments().size();
      ProgressLine line = progress ? new ProgressLine(spec.commandLine().getErr()) : null;
      int[] done = {0};
      v = view.verify(name -> {
        done[0]++;
        if (line != null) {
          line.show("verifying segment " + done[0] + " of ~" + total + ": " + name);
        }
      });
      if (line != null) {
        line.clear();
      }
    }
    if (json) {
      printJson(out, v, report);
    } else {
      printText(out, v, report);
    }
    out.flush();
    return v.ok() ? Walctl.OK : Walctl.CORRUPT;
  }

  private void printText(PrintWriter out, ReadOnlyLog.Verification v, RecoveryReport report) {
    for (CorruptLogException p : v.problems()) {
      out.println("CORRUPT segment " + p.segment() + " offset " + p.offset() + ": "
          + p.problem());
    }
    if (report.tornTail()) {
      out.println("note: the last segment ends in a torn tail of " + report.bytesTruncated()
          + " bytes that a reopen cuts (an unfinished write, never acknowledged"
          + (report.recordsCut() > 0 ? "; " + report.recordsCut() + " valid records after the"
              + " damage are cut with it" : "") + ")");
    }
    out.println((v.ok() ? "OK" : "CORRUPT") + ": " + v.segments() + " segments, " + v.records()
        + " records checked, " + v.problems().size() + " problem(s) in " + log.location);
    if (!v.ok()) {
      out.println("records of a damaged segment are not counted; walctl repair --dry-run shows what"
          + " SKIP_CORRUPT recovery would do (damage inside a sealed segment is skipped by readers"
          + " under SKIP_CORRUPT, not repaired)");
    }
  }

  private void printJson(PrintWriter out, ReadOnlyLog.Verification v, RecoveryReport report) {
    StringBuilder b = new StringBuilder();
    b.append("{\"log\":").append(JsonText.quote(log.location))
        .append(",\"ok\":").append(v.ok())
        .append(",\"segments\":").append(v.segments())
        .append(",\"records\":").append(v.records())
        .append(",\"tornTailBytes\":").append(report.tornTail() ? report.bytesTruncated() : 0)
        .append(",\"problems\":[");
    for (int i = 0; i < v.problems().size(); i++) {
      CorruptLogException p = v.problems().get(i);
      b.append(i == 0 ? "" : ",").append("{\"segment\":").append(JsonText.quote(p.segment()))
          .append(",\"offset\":").append(p.offset())
          .append(",\"problem\":").append(JsonText.quote(p.problem())).append('}');
    }
    b.append("]}");
    out.println(b);
  }
}
