/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one recovery found and repaired, gathered by its parts ({@link LogRecovery},
 * {@link TailRepair}, {@link Salvage}) and turned into the immutable {@link RecoveryReport}.
 */
final class RecoveryFindings {
  long bytesTruncated;
  boolean tornTail;
  /** Valid record frames found after the first bad frame of the last segment and cut with it. */
  long recordsCut;
  long recordsSkipped;
  long bytesScanned;
  final List<String> corruptSegments = new ArrayList<>();

  RecoveryReport report(int segments, long records, long firstSequence, long nextSequence,
      Duration duration) {
    return new RecoveryReport(segments, records, firstSequence, nextSequence, bytesTruncated,
        tornTail, recordsCut, recordsSkipped, corruptSegments, bytesScanned, duration);
  }
}
