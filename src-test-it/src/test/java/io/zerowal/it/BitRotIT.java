/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.WalException;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.SegmentOutput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: bit rot and lost files in a closed log: flipped bits, zeroed ranges, truncation at a
 * random offset, two segment files swapped, a segment file deleted. STRICT either opens (then every
 * record it returns is the original, and the only records missing without an exception are those
 * at or after the damage in the last segment, or of a deleted first or last segment, which no
 * format without a manifest can tell from truncateBefore or a crash) or fails with
 * {@link CorruptLogException} naming segment and offset; the reader may also fail so. SKIP_CORRUPT
 * never returns a corrupt payload and reports at least as many skipped records as are missing.
 */
class BitRotIT {
  static final int SEGMENT_SIZE = 4096;
  static final int MAX_BODY = 200;
  static final String[] KINDS = {"flip", "zero", "truncate", "swap", "delete"};

  @Test
  void damageIsDetectedOrConfinedToTheTornTail() throws Exception {
    int runs = Settings.count("it.bitrot.seeds", 2000);
    long base = Settings.seed();
    Summary strictSummary = new Summary("4-bit-rot-strict",
        "-Dit.test=BitRotIT -Dit.seed=SEED -Dit.bitrot.seeds=1");
    Summary skipSummary = new Summary("4-bit-rot-skip-corrupt",
        "-Dit.test=BitRotIT -Dit.seed=SEED -Dit.bitrot.seeds=1");
    long[] strictOutcomes = new long[3]; // opened clean, reader detected, open detected
    long[] reported = new long[1];
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        runOnce(seed, strictSummary, skipSummary, strictOutcomes, reported);
      } catch (Throwable t) {
        strictSummary.fail(seed, "unexpected " + t);
        t.printStackTrace();
      }
    }
    strictSummary.note("opened=" + strictOutcomes[0] + " reader-detected=" + strictOutcomes[1]
        + " open-detected=" + strictOutcomes[2]);
    skipSummary.note("runs with skipped records reported=" + reported[0]);
    try {
      strictSummary.finish();
    } finally {
      skipSummary.finish();
    }
  }

  /** The log before damage: segment files, and per sequence its handle and payload. */
  private static final class Original {
    final Map<String, byte[]> files = new TreeMap<>();
    final Map<Long, RecordHandle> handles = new TreeMap<>();
    final Map<Long, byte[]> payloads = new TreeMap<>();
  }

  private void runOnce(long seed, Summary strictSummary, Summary skipSummary, long[] outcomes,
      long[] reported) throws Exception {
    Random rnd = new Random(seed);
    Original original = build(seed, rnd);
    List<String> names = new ArrayList<>(original.files.keySet());
    Map<String, byte[]> damaged = new TreeMap<>();
    original.files.forEach((k, v) -> damaged.put(k, v.clone()));

    // A swap that puts other data under the last segment's name hides how many records that segment
    // had: SKIP_CORRUPT cannot count them, but must keep the file aside and report it.
    String swappedLast = null;
    String kind = KINDS[rnd.nextInt(KINDS.length)];
    String target = names.get(rnd.nextInt(names.size()));
    byte[] bytes = damaged.get(target);
    long damageAt = 0;
    switch (kind) {
      case "flip" -> {
        int at = rnd.nextInt(bytes.length);
        damageAt = at;
        for (int n = 1 + rnd.nextInt(3), j = 0; j < n; j++) {
          int p = Math.min(bytes.length - 1, at + rnd.nextInt(8));
          bytes[p] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
      case "zero" -> {
        int at = rnd.nextInt(bytes.length);
        int len = 1 + rnd.nextInt(64);
        Arrays.fill(bytes, at, Math.min(bytes.length, at + len), (byte) 0);
        damageAt = at;
      }
      case "truncate" -> {
        int at = rnd.nextInt(bytes.length);
        damaged.put(target, Arrays.copyOf(bytes, at));
        damageAt = at;
      }
      case "swap" -> {
        String other = names.get(rnd.nextInt(names.size()));
        String lastName = names.get(names.size() - 1);
        if (!other.equals(target) && (other.equals(lastName) || target.equals(lastName))) {
          swappedLast = lastName;
        }
        damaged.put(target, original.files.get(other).clone());
        damaged.put(other, bytes);
      }
      default -> damaged.remove(target); // delete
    }
    String last = names.get(names.size() - 1);
    String first = names.get(0);
    boolean unchanged = damaged.keySet().equals(original.files.keySet())
        && damaged.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(),
            original.files.get(e.getKey())));

    // Records that may vanish without an exception.
    Set<Long> mayVanish = new HashSet<>();
    for (Map.Entry<Long, RecordHandle> e : original.handles.entrySet()) {
      String seg = segmentName(e.getValue().segment());
      if (!seg.equals(target)) {
        continue;
      }
      long frameEnd = e.getValue().offset() + 17 + e.getValue().length();
      boolean tailDamage = seg.equals(last) && !kind.equals("swap") && frameEnd > damageAt;
      boolean edgeDelete = kind.equals("delete") && (seg.equals(first) || seg.equals(last));
      if (tailDamage || edgeDelete) {
        mayVanish.add(e.getKey());
      }
    }

    // STRICT
    String where = kind + " of " + target + " at " + damageAt + (unchanged ? " (no-op)" : "");
    MemoryStorage strict = materialize(damaged);
    WriteAheadLog log;
    try {
      log = open(strict, RecoveryPolicy.STRICT);
    } catch (CorruptLogException e) {
      if (e.segment() == null || e.offset() < 0 || !e.getMessage().contains(e.segment())) {
        strictSummary.fail(seed, where + ": CorruptLogException without segment/offset: " + e);
      }
      outcomes[2]++;
      strictSummary.run(seed, original.handles.size(), null);
      skipCorrupt(seed, damaged, original, mayVanish, swappedLast, where, skipSummary, reported);
      return;
    } catch (WalException e) {
      strictSummary.fail(seed, where + ": open threw " + e);
      return;
    }
    Read read = readAll(log, original);
    log.close();
    if (read.detected != null) {
      outcomes[1]++;
    } else {
      outcomes[0]++;
      for (long seq : original.payloads.keySet()) {
        if (!read.seen.contains(seq) && !mayVanish.contains(seq)) {
          strictSummary.violation(seed, "lost", where + ": record " + seq
              + " vanished without an exception");
        }
      }
      // The repaired log must take appends and reopen cleanly.
      try (WriteAheadLog again = open(strict, RecoveryPolicy.STRICT)) {
        again.append(new byte[] {1, 2, 3}).get();
      }
      try (WriteAheadLog again = open(strict, RecoveryPolicy.STRICT)) {
        again.verify();
      }
    }
    for (String c : read.corrupt) {
      strictSummary.violation(seed, "corrupt", where + ": " + c);
    }
    strictSummary.run(seed, original.handles.size(), null);
    skipCorrupt(seed, damaged, original, mayVanish, swappedLast, where, skipSummary, reported);
  }

  private void skipCorrupt(long seed, Map<String, byte[]> damaged, Original original,
      Set<Long> mayVanish, String swappedLast, String where, Summary summary, long[] reported)
      throws Exception {
    MemoryStorage storage = materialize(damaged);
    try (WriteAheadLog log = open(storage, RecoveryPolicy.SKIP_CORRUPT)) {
      Read read = readAll(log, original);
      if (read.detected != null) {
        summary.fail(seed, where + ": SKIP_CORRUPT reader threw " + read.detected);
      }
      for (String c : read.corrupt) {
        summary.violation(seed, "corrupt", where + ": " + c);
      }
      long missing = 0;
      for (long seq : original.payloads.keySet()) {
        if (!read.seen.contains(seq) && !mayVanish.contains(seq)
            && seq >= log.recoveryReport().firstSequence()) {
          missing++;
        }
      }
      long skipped = log.recoveryReport().recordsSkipped() + read.skipped;
      if (skipped > 0 || !log.recoveryReport().corruptSegments().isEmpty()) {
        reported[0]++;
      }
      boolean lastKeptAside = swappedLast != null
          && log.recoveryReport().corruptSegments().contains(swappedLast + ".corrupt");
      if (missing > skipped && !lastKeptAside) {
        summary.violation(seed, "lost", where + ": " + missing + " records missing but only "
            + skipped + " reported skipped (" + log.recoveryReport() + ")");
      }
      log.append(new byte[] {4, 5, 6}).get();
    } catch (WalException e) {
      summary.fail(seed, where + ": SKIP_CORRUPT open failed: " + e);
      return;
    }
    summary.run(seed, original.handles.size(), null);
  }

  private static final class Read {
    final Set<Long> seen = new HashSet<>();
    final List<String> corrupt = new ArrayList<>();
    CorruptLogException detected;
    long skipped;
  }

  private static Read readAll(WriteAheadLog log, Original original) {
    Read read = new Read();
    long previous = -1;
    try (LogReader reader = log.readFrom(log.firstSequence())) {
      for (LogRecord rec : reader) {
        long seq = rec.sequence();
        byte[] expected = original.payloads.get(seq);
        if (seq <= previous || !read.seen.add(seq)) {
          read.corrupt.add("sequence " + seq + " out of order after " + previous);
        } else if (expected == null && seq < original.payloads.size()) {
          read.corrupt.add("phantom sequence " + seq);
        } else if (expected != null && !Arrays.equals(expected, rec.payloadBytes())) {
          read.corrupt.add("record " + seq + " returned with other bytes");
        }
        previous = seq;
      }
      read.skipped = reader.recordsSkipped();
    } catch (CorruptLogException e) {
      read.detected = e;
    }
    return read;
  }

  private Original build(long seed, Random rnd) throws Exception {
    MemoryStorage mem = new MemoryStorage();
    Original o = new Original();
    int records = 20 + rnd.nextInt(120);
    boolean sealTail = rnd.nextBoolean();
    WriteAheadLog log = open(mem, RecoveryPolicy.STRICT);
    Ledger ledger = new Ledger(seed, MAX_BODY);
    for (int i = 0; i < records; i++) {
      byte[] p = ledger.submit(Payloads.key(0, 0, i));
      RecordHandle h = log.append(p).get();
      o.handles.put(h.sequence(), h);
      o.payloads.put(h.sequence(), p);
    }
    if (sealTail) {
      log.close();
    } else {
      MemoryStorage survivor = mem.crash(seed); // all synced: the tail stays unsealed
      log.close();
      mem = survivor;
    }
    for (String name : mem.list()) {
      o.files.put(name, mem.contents(name));
    }
    return o;
  }

  private static MemoryStorage materialize(Map<String, byte[]> files) throws Exception {
    MemoryStorage mem = new MemoryStorage();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      try (SegmentOutput out = mem.create(e.getKey(), 0)) {
        out.write(ByteBuffer.wrap(e.getValue()));
        out.sync();
      }
    }
    mem.syncDirectory();
    return mem;
  }

  private static String segmentName(long base) {
    String digits = Long.toString(base);
    return "0".repeat(20 - digits.length()) + digits + ".wal";
  }

  static WriteAheadLog open(MemoryStorage mem, RecoveryPolicy policy) {
    return WriteAheadLog.builder(mem).segmentSize(SEGMENT_SIZE).maxRecordSize(1024)
        .recoveryPolicy(policy).open();
  }
}
