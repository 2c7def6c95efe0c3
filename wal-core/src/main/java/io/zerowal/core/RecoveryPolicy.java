/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** What {@code open} does with corruption that is not a torn tail left by a crash. */
public enum RecoveryPolicy {
  /** Fail {@code open} with a {@link CorruptLogException} naming segment and offset. The default. */
  STRICT,
  /**
   * Skip damaged records and report them in the {@link RecoveryReport}; the damaged segment file is
   * kept aside as {@code <name>.corrupt} and its valid records are copied into a replacement. A
   * corrupt payload is never returned.
   */
  SKIP_CORRUPT
}
