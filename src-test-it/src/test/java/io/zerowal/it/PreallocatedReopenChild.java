/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link PreallocatedRecoveryIT}. {@code write <dir>}: opens a preallocated log
 * (default 64 MiB segments), appends three records with SYNC, prints {@code ACKED} and halts
 * without closing, as a crash would. {@code read <dir>}: reopens the log, prints each record's
 * payload, then {@code DONE <recovery report>}.
 */
public final class PreallocatedReopenChild {
  private PreallocatedReopenChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).durability(Durability.SYNC)
        .preallocate(true).open();
    if (args[0].equals("write")) {
      for (int i = 0; i < 3; i++) {
        log.append(("record " + i).getBytes(StandardCharsets.UTF_8)).get();
      }
      System.out.println("ACKED");
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }
    try (LogReader r = log.readFrom(log.firstSequence())) {
      for (LogRecord rec : r) {
        System.out.println(new String(rec.payloadBytes(), StandardCharsets.UTF_8));
      }
    }
    System.out.println("DONE " + log.recoveryReport());
    log.close();
  }
}
