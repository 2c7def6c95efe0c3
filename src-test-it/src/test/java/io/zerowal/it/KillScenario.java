/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import java.nio.file.Path;
import java.util.List;

/**
 * One kind of process that {@link ProcessKillIT} starts, kills with {@code destroyForcibly()} at a
 * random moment, and checks after every kill. The core log's scenarios are {@link LogKillScenario};
 * a receiver-engine scenario (kill mid-batch, restart, every acknowledged record processed) plugs in
 * here with its own child main class and its own check.
 */
interface KillScenario {
  /** Name in the summary line and RELIABILITY.md. */
  String name();

  /** The child's main class and arguments for round {@code round} (the harness adds java and classpath). */
  List<String> command(Path dir, int round);

  /** One complete line the child printed before it died (lines cut short by the kill are dropped). */
  void onLine(String line);

  /** Called after the child is dead: recover, check every acknowledged record, return the audit. */
  LogAudit verifyAfterKill(Path dir, int round) throws Exception;

  /** Acknowledgements received so far. */
  long acked();
}
