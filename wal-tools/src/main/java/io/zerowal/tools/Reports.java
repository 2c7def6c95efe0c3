/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.RecoveryReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** How walctl words a recovery report and a list of planned changes, the same in every command. */
final class Reports {
  private Reports() {}

  /** One line: what recovery found (or would find), or "nothing to repair". */
  static String summary(RecoveryReport r, List<String> changes) {
    List<String> parts = new ArrayList<>();
    if (r.tornTail()) {
      parts.add("cut a torn tail of " + r.bytesTruncated() + " bytes off the last segment"
          + (r.recordsCut() > 0 ? " (" + r.recordsCut() + " records with valid checksums after"
              + " the damage: after a power loss never acknowledged; without one, damage on the"
              + " disk)" : " (never acknowledged)"));
    } else if (r.bytesTruncated() > 0) {
      parts.add("cut " + r.bytesTruncated() + " bytes of preallocated zeros");
    }
    if (!r.corruptSegments().isEmpty()) {
      parts.add("set aside " + r.corruptSegments().size() + " corrupt segment file(s) as "
          + String.join(", ", r.corruptSegments()));
    }
    if (r.recordsSkipped() > 0) {
      parts.add("skip " + r.recordsSkipped() + " records lost to corruption (the gap is recorded)");
    }
    String what = !parts.isEmpty() ? String.join("; ", parts)
        : changes.isEmpty() ? "nothing to repair"
        : "nothing to repair, only tidy up (see the changes)";
    return what + " -> " + r.records() + " records, sequences " + r.firstSequence() + ".."
        + (r.nextSequence() - 1) + ", next " + r.nextSequence();
  }

  static void printChanges(PrintWriter out, List<String> changes) {
    if (changes.isEmpty()) {
      out.println("changes to the files: none");
      return;
    }
    out.println("changes to the files, in order:");
    for (String c : changes) {
      out.println("  " + c);
    }
  }
}
