/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/** When an append's future completes, and so what crash an acknowledged record survives. */
public enum Durability {
  /**
   * After the group is on stable storage ({@code fdatasync} on a local disk, {@code hsync} on HDFS).
   * Survives a process crash, a kernel panic and a power loss.
   */
  SYNC,
  /**
   * After the group is handed to the operating system (a {@code write}; {@code hflush} on HDFS).
   * Survives a process crash ({@code kill -9}); a power loss or kernel panic may lose the groups
   * of the open segment (sealed segments were synced). The open segment is also synced in the
   * background every 4 MiB (a quarter segment, for segments under 16 MiB), so that sealing it costs
   * little; that promises nothing per record.
   */
  FLUSH,
  /**
   * After the group is written to the storage's buffers. Survives a clean {@code close()} only:
   * use it for tests and data you can regenerate.
   */
  NONE
}
