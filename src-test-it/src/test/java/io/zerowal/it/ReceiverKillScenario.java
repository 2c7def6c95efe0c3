/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.receiver.MicroBatchEngine;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The receiver engine under kill -9 (DESIGN: "kill mid-batch, restart, every acknowledged record
 * processed"): {@link ReceiverKillChild} stores and acknowledges; after each kill the parent starts
 * the same engine with an idle source, which re-runs the batches the kill interrupted and batches
 * every stored block, stops it gracefully, and checks that every key ever acknowledged is in a
 * completed batch of the sink, that no key that was never stored is, and that no payload came back
 * damaged.
 */
class ReceiverKillScenario implements KillScenario {
  private final long salt;
  private final Set<Long> submitted = new HashSet<>();
  private final Set<Long> acked = new HashSet<>();
  private long acks;

  ReceiverKillScenario(long salt) {
    this.salt = salt;
  }

  @Override
  public String name() {
    return "3-process-kill-receiver";
  }

  @Override
  public List<String> command(Path dir, int round) {
    return List.of(ReceiverKillChild.class.getName(), dir.toString(), Integer.toString(round),
        Long.toString(salt));
  }

  @Override
  public void onLine(String line) {
    String[] f = line.split(" ");
    if (f[0].equals("SUB") && f.length == 2) {
      submitted.add(Long.parseUnsignedLong(f[1], 16));
    } else if (f[0].equals("ACK") && f.length == 3 && f[2].equals(".")) {
      acked.add(Long.parseUnsignedLong(f[1], 16));
      acks++;
    }
  }

  @Override
  public LogAudit verifyAfterKill(Path dir, int round) throws Exception {
    MicroBatchEngine engine = restart(dir, new Receiver() {
      @Override
      public void onStart(ReceiverContext context) {}

      @Override
      public void onStop() {}
    });
    engine.start();
    engine.stop(); // graceful: re-runs and every stored block are processed before it returns
    long[] corrupt = new long[1];
    Set<Long> processed = ReceiverRig.processedKeys(dir, corrupt);
    LogAudit audit = new LogAudit();
    audit.records = processed.size();
    audit.corrupt = corrupt[0];
    for (long key : acked) {
      if (!processed.contains(key)) {
        audit.lost++;
        if (audit.problems.size() < 20) {
          audit.problems.add("acknowledged key " + Long.toHexString(key) + " in no completed batch");
        }
      }
    }
    for (long key : processed) {
      if (!submitted.contains(key)) {
        audit.phantom++;
        if (audit.problems.size() < 20) {
          audit.problems.add("processed key " + Long.toHexString(key) + " was never stored");
        }
      }
    }
    return audit;
  }

  /** The engine the parent restarts after a kill, with an idle source. */
  MicroBatchEngine restart(Path dir, Receiver idle) {
    return ReceiverRig.engine(dir, idle);
  }

  long salt() {
    return salt;
  }

  @Override
  public long acked() {
    return acks;
  }
}
