/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The core log under kill -9: {@link KillChild} appends with FLUSH or SYNC; every ACK must survive.
 * A subclass puts the log elsewhere (HDFS) by overriding {@link #command} and {@link #storage}.
 */
class LogKillScenario implements KillScenario {
  private final Durability durability;
  private final Ledger ledger;
  private long badDigests;
  private long highestTruncation;
  private long acks;
  private long nacks;
  private long unparsed;

  LogKillScenario(Durability durability, long salt) {
    this.durability = durability;
    this.ledger = new Ledger(salt, 1000);
  }

  Durability durability() {
    return durability;
  }

  long salt() {
    return ledger.salt;
  }

  /** The storage the parent reopens after a kill. */
  Storage storage(Path dir) throws java.io.IOException {
    return new LocalStorage(dir);
  }

  @Override
  public String name() {
    return "3-process-kill-" + durability.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public List<String> command(Path dir, int round) {
    return List.of(KillChild.class.getName(), dir.toString(), durability.name(),
        Integer.toString(round), Long.toString(ledger.salt));
  }

  @Override
  public void onLine(String line) {
    String[] f = line.split(" ");
    if (f[0].equals("SUB") && f.length == 2) {
      ledger.submitted.add(Long.parseUnsignedLong(f[1], 16));
    } else if (f[0].equals("ACK") && f.length == 6 && f[5].equals(".")) {
      long key = Long.parseUnsignedLong(f[2], 16);
      RecordHandle h = RecordHandle.fromBytes(HexFormat.of().parseHex(f[3]));
      CRC32C crc = new CRC32C();
      crc.update(Payloads.expected(key, ledger.salt, ledger.maxBody));
      if (crc.getValue() != Long.parseUnsignedLong(f[4], 16) || h.sequence() != Long.parseLong(f[1])) {
        badDigests++;
      }
      ledger.acked(key, h);
      acks++;
    } else if (f[0].equals("NACK") && f.length == 3 && f[2].equals(".")) {
      nacks++;
    } else if (f[0].equals("TRUNC") && f.length == 3 && f[2].equals(".")) {
      // The child's consumer is about to truncate below this: nothing there is owed any more.
      highestTruncation = Math.max(highestTruncation, Long.parseLong(f[1]));
    } else {
      unparsed++;
      if (unparsed < 5) {
        System.out.println("KillChild printed an unexpected line: " + line);
      }
    }
  }

  @Override
  public LogAudit verifyAfterKill(Path dir, int round) throws java.io.IOException {
    try (WriteAheadLog log = WriteAheadLog.builder(storage(dir)).durability(durability)
        .segmentSize(64 << 10).maxRecordSize(4096).open()) {
      LogAudit audit = LogAudit.of(log, ledger, highestTruncation);
      audit.corrupt += badDigests;
      badDigests = 0;
      // Keep the log, and the parent's ledger, small across hundreds of kills: what was just
      // audited is dropped, except the last records, so every round also recovers older segments.
      highestTruncation = Math.max(highestTruncation, log.nextSequence() - 2000);
      log.truncateBefore(highestTruncation);
      long first = log.firstSequence();
      ledger.ackedKeyBySequence.keySet().removeIf(seq -> seq < first);
      ledger.ackedHandleBySequence.keySet().removeIf(seq -> seq < first);
      return audit;
    }
  }

  @Override
  public long acked() {
    return acks;
  }

  /** Appends that failed, as a fenced or poisoned log fails them. */
  long nacked() {
    return nacks;
  }
}
