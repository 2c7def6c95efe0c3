/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** What {@code append} does when the bytes waiting for the disk reach {@code maxPendingBytes}. */
public enum BackPressure {
  /** Wait until the writer has made room. The default. */
  BLOCK,
  /** Throw {@link BackPressureException} at once. */
  FAIL_FAST
}
