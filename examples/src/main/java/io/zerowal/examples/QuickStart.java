/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

// The README's quick start, compiled by the build; ReadmeQuickStartTest keeps the two identical.
// tag::quickstart[]
import io.zerowal.core.Durability;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

public final class QuickStart {
  public static void main(String[] args) throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(Path.of("target/quickstart")))
        .durability(Durability.SYNC).open()) {
      // Completes once the record is on disk: acknowledge upstream then, never before.
      RecordHandle handle = log.append("hello".getBytes(StandardCharsets.UTF_8)).join();
      System.out.println("durable: " + handle);
      try (LogReader reader = log.readFrom(log.firstSequence())) { // replay, e.g. after a restart
        for (LogRecord rec : reader) {
          System.out.println(rec.sequence() + ": " + StandardCharsets.UTF_8.decode(rec.payload()));
        }
      }
    }
  }
}
// end::quickstart[]
