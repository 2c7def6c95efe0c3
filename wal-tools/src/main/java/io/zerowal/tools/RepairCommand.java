/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.RecoveryReport;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code walctl repair DIR --dry-run|--apply}: what SKIP_CORRUPT recovery would do, printed first;
 * the log changes only with {@code --apply}, which opens it as a writer (taking its lock) and closes
 * it again.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = {"Show what SKIP_CORRUPT recovery would do to the log: cut a torn tail, rebuild a"
        + " damaged segment from its valid records and keep the damaged file as <segment>.corrupt,"
        + " record a gap of lost sequences. Nothing changes without --apply.",
        "--apply opens the log for writing with SKIP_CORRUPT (it takes the write lock, so the log's"
        + " writer must be stopped), which makes those changes, then closes it, which seals the last"
        + " segment. Records that cannot be read are lost either way; the .corrupt files keep their"
        + " bytes for inspection."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:nothing to repair, or planned (--dry-run), or repaired (--apply)",
        "2:usage or I/O error, or the log is locked by a running writer"})
final class RepairCommand implements Callable<Integer> {
  @Mixin LogLocation log;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--dry-run", required = true, description = "Only print what would be done.")
    boolean dryRun;

    @Option(names = "--apply", required = true, description = "Do it.")
    boolean apply;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<String> planned;
    try (Storage files = log.storage();
        ReadOnlyLog view = log.builder(files, RecoveryPolicy.SKIP_CORRUPT).openReadOnly()) {
      planned = view.plannedChanges();
      out.println("SKIP_CORRUPT recovery of " + log.location + " would: "
          + Reports.summary(view.recoveryReport(), view.plannedChanges()));
      Reports.printChanges(out, planned);
      if (view.segments().isEmpty()) {
        out.println("no segment: nothing to repair");
        out.flush();
        return Walctl.OK;
      }
    }
    if (mode.dryRun) {
      out.println(planned.isEmpty() ? "nothing to repair" : "dry run: nothing was changed; run"
          + " again with --apply to make these changes");
      out.flush();
      return Walctl.OK;
    }
    if (planned.isEmpty()) {
      out.println("nothing to repair: the log was left as it is");
      out.flush();
      return Walctl.OK;
    }
    RecoveryReport done;
    // The writable log owns its storage: it closes (unlocks) it when closed.
    try (WriteAheadLog writable = log.builder(log.storage(), RecoveryPolicy.SKIP_CORRUPT).open()) {
      done = writable.recoveryReport();
    }
    out.println("repaired: " + Reports.summary(done, List.of()));
    try (Storage files = log.storage()) {
      out.println("files now: " + String.join(", ", files.list()));
    }
    out.flush();
    return Walctl.OK;
  }
}
