/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.Durability;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * walctl on real logs written by these tests, healthy and damaged the ways disks and operators
 * damage them: a cut tail, a flipped bit, a zeroed page, a segment of another log. Output and exit
 * codes are captured through picocli's CommandLine.
 */
class WalctlTest {
  private static final int RECORDS = 60;
  private static final int PAYLOAD = 200;
  private static final int SEGMENT_SIZE = 4096;
  /** A segment header: 36 bytes. A frame: 17 bytes and its payload. */
  private static final int HEADER = 36;
  private static final int FRAME = 17 + PAYLOAD;

  @TempDir Path dir;

  record Run(int exit, String out, String err, byte[] raw) {}

  private Run walctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    CommandLine cl = Walctl.commandLine(raw);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString(), raw.toByteArray());
  }

  private static byte[] payload(int i) {
    byte[] b = new byte[PAYLOAD];
    byte[] text = ("record " + i + " ").getBytes(StandardCharsets.US_ASCII);
    for (int j = 0; j < b.length; j++) {
      b[j] = text[j % text.length];
    }
    return b;
  }

  private List<RecordHandle> writeLog(Path where, int records, int segmentSize) throws Exception {
    List<RecordHandle> handles = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(where))
        .segmentSize(segmentSize).maxRecordSize(1024).durability(Durability.FLUSH).open()) {
      List<CompletableFuture<RecordHandle>> futures = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        futures.add(log.append(payload(i)));
      }
      for (CompletableFuture<RecordHandle> f : futures) {
        handles.add(f.join());
      }
    }
    return handles;
  }

  private List<String> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted()
          .toList();
    }
  }

  private Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  private void damage(String segment, int offset, byte[] with) throws IOException {
    byte[] b = Files.readAllBytes(dir.resolve(segment));
    System.arraycopy(with, 0, b, offset, with.length);
    Files.write(dir.resolve(segment), b);
  }

  private void flipBit(String segment, int offset) throws IOException {
    byte[] b = Files.readAllBytes(dir.resolve(segment));
    b[offset] ^= 0x10;
    Files.write(dir.resolve(segment), b);
  }

  @Test
  void inspectShowsSegmentsAndSequencesOfAHealthyLogAndNothingToRepair() throws Exception {
    writeLog(dir, RECORDS, SEGMENT_SIZE);
    Map<String, String> before = files();

    Run r = walctl("inspect", dir.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("segments " + segments().size() + ", records " + RECORDS
        + ", first sequence 0, next sequence " + RECORDS);
    for (String s : segments()) {
      assertThat(r.out()).containsPattern(s + " +\\d+ +\\d+ +\\d+ +\\d+ +\\d+  sealed");
    }
    assertThat(r.out()).contains("a reopen would: nothing to repair").contains("changes to the files: none");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void verifyOfAHealthyLogExitsZeroInTextAndJson() throws Exception {
    writeLog(dir, RECORDS, SEGMENT_SIZE);

    Run text = walctl("verify", dir.toString());
    Run json = walctl("verify", "--json", dir.toString());

    assertThat(text.exit()).isZero();
    assertThat(text.out()).contains("OK: " + segments().size() + " segments, " + RECORDS
        + " records checked, 0 problem(s)");
    assertThat(json.exit()).isZero();
    assertThat(json.out().trim()).startsWith("{\"log\":").contains("\"ok\":true")
        .contains("\"records\":" + RECORDS).endsWith("\"problems\":[]}");
  }

  @Test
  void tornTailIsShownAsWhatAReopenWouldCutAndIsNotCorruption() throws Exception {
    writeLog(dir, RECORDS, SEGMENT_SIZE);
    String last = segments().get(segments().size() - 1);
    byte[] b = Files.readAllBytes(dir.resolve(last));
    Files.write(dir.resolve(last), java.util.Arrays.copyOf(b, b.length - 29 - 50)); // footer, 50 B
    Map<String, String> before = files();

    Run inspect = walctl("inspect", dir.toString());
    Run verify = walctl("verify", dir.toString());

    assertThat(inspect.exit()).isZero();
    assertThat(inspect.out()).contains("cut a torn tail of " + (FRAME - 50) + " bytes")
        .contains("truncate " + last + " from " + (b.length - 79) + " to "
            + (b.length - 79 - (FRAME - 50)) + " bytes")
        .contains("next " + (RECORDS - 1));
    assertThat(verify.exit()).isZero();
    assertThat(verify.out()).contains("torn tail of " + (FRAME - 50) + " bytes that a reopen cuts");
    assertThat(files()).as("nothing written").isEqualTo(before);
  }

  @Test
  void flippedBitInASealedSegmentIsFoundByVerifyWithSegmentAndOffset() throws Exception {
    writeLog(dir, RECORDS, SEGMENT_SIZE);
    String second = segments().get(1);
    int thirdFrame = HEADER + 2 * FRAME;
    flipBit(second, thirdFrame + 17 + 100); // a payload byte of its third record

    Run verify = walctl("verify", dir.toString());
    Run json = walctl("verify", "--json", dir.toString());
    Run inspect = walctl("inspect", dir.toString());

    assertThat(verify.exit()).isEqualTo(Walctl.CORRUPT);
    assertThat(verify.out()).contains("CORRUPT segment " + second + " offset " + thirdFrame + ":")
        .contains("1 problem(s)");
    assertThat(json.exit()).isEqualTo(Walctl.CORRUPT);
    assertThat(json.out()).contains("\"ok\":false")
        .contains("{\"segment\":\"" + second + "\",\"offset\":" + thirdFrame + ",");
    // open checks sealed segments by header and footer only: a reopen would not notice.
    assertThat(inspect.exit()).isZero();
  }

  @Test
  void zeroedPageIsFoundByVerifyAndStopsAStrictDump() throws Exception {
    writeLog(dir, 200, 16384); // three segments: the damage is not in the last one
    assertThat(segments()).hasSizeGreaterThan(2);
    String first = segments().get(0);
    damage(first, 4096, new byte[4096]);

    Run verify = walctl("verify", dir.toString());
    Run dump = walctl("dump", dir.toString());
    Run skipping = walctl("dump", "--skip-corrupt", "--format", "json", dir.toString());

    assertThat(verify.exit()).isEqualTo(Walctl.CORRUPT);
    assertThat(verify.out()).containsPattern("CORRUPT segment " + first + " offset \\d+:");
    assertThat(dump.exit()).isEqualTo(Walctl.CORRUPT);
    assertThat(dump.err()).contains(first);
    assertThat(skipping.exit()).isZero();
    assertThat(skipping.err()).containsPattern("\\d+ damaged records skipped");
    assertThat(skipping.out().lines().count()).isLessThan(200).isGreaterThan(150);
  }

  @Test
  void segmentOfAnotherLogFailsAStrictReopenAndRepairSetsItAsideOnlyWithApply() throws Exception {
    writeLog(dir, RECORDS, SEGMENT_SIZE);
    Path other = dir.resolveSibling(dir.getFileName() + "-other");
    writeLog(other, RECORDS, SEGMENT_SIZE);
    String second = segments().get(1);
    Files.copy(other.resolve(second), dir.resolve(second),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Map<String, String> before = files();

    Run inspect = walctl("inspect", dir.toString());
    Run dryRun = walctl("repair", "--dry-run", dir.toString());

    assertThat(inspect.exit()).isEqualTo(Walctl.CORRUPT);
    assertThat(inspect.out()).contains("would FAIL").contains("belongs to another log")
        .contains("rename " + second + " to " + second + ".corrupt");
    assertThat(dryRun.exit()).isZero();
    assertThat(dryRun.out()).contains("set aside 1 corrupt segment file(s) as " + second + ".corrupt")
        .contains("dry run: nothing was changed");
    assertThat(files()).as("nothing written").isEqualTo(before);

    Run apply = walctl("repair", "--apply", dir.toString());

    assertThat(apply.exit()).isZero();
    assertThat(apply.out()).contains("repaired: ").contains(second + ".corrupt");
    assertThat(Files.exists(dir.resolve(second + ".corrupt"))).isTrue();
    assertThat(walctl("inspect", dir.toString()).out()).contains("nothing to repair");
    assertThat(walctl("verify", dir.toString()).exit()).isZero();
    assertThat(walctl("repair", "--apply", dir.toString()).out()).contains("nothing to repair");
  }

  @Test
  void repairApplyRefusesALogAWriterHoldsButTheDryRunWorks() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).open()) {
      log.append(payload(0)).join();
      String last = segments().get(0);
      // A torn tail to repair, next to the live writer: appended garbage.
      Files.write(dir.resolve(last), new byte[] {5, 0, 0, 0, 1, 2, 3},
          java.nio.file.StandardOpenOption.APPEND);

      assertThat(walctl("repair", "--dry-run", dir.toString()).out()).contains("cut a torn tail");
      Run apply = walctl("repair", "--apply", dir.toString());
      assertThat(apply.exit()).isEqualTo(Walctl.USAGE_OR_IO);
      assertThat(apply.err()).contains("already open for writing");
    }
  }

  @Test
  void dumpPrintsRecordsInEveryFormatFromASequenceWithALimit() throws Exception {
    List<RecordHandle> handles = writeLog(dir, RECORDS, SEGMENT_SIZE);

    Run text = walctl("dump", "--from", "10", "--limit", "3", dir.toString());
    Run hex = walctl("dump", "--from", "10", "--limit", "1", "--format", "hex", dir.toString());
    Run json = walctl("dump", "--from", "58", "--format", "json", dir.toString());
    Run raw = walctl("dump", "--format", "raw", dir.toString());

    RecordHandle h10 = handles.get(10);
    assertThat(text.exit()).isZero();
    assertThat(text.out().lines().toList()).hasSize(3).first().asString()
        .startsWith("sequence=10 length=" + PAYLOAD + " segment="
            + String.format("%020d.wal", h10.segment()) + " offset=" + h10.offset())
        .contains("payload=\"record 10 record 10 ");
    assertThat(hex.out().lines().toList()).hasSize(1 + (PAYLOAD + 15) / 16);
    assertThat(hex.out()).contains("  00000000  72 65 63 6f 72 64 20 31  30 20 72 65 63 6f 72 64  |record 10 record|");
    assertThat(json.out().lines().toList()).hasSize(2);
    assertThat(json.out().lines().findFirst().orElseThrow()).startsWith("{\"sequence\":58,")
        .endsWith("\"payload\":\"" + Base64.getEncoder().encodeToString(payload(58)) + "\"}");
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw.raw()));
    for (int i = 0; i < RECORDS; i++) {
      byte[] p = new byte[in.readInt()];
      in.readFully(p);
      assertThat(p).isEqualTo(payload(i));
    }
    assertThat(in.available()).isZero();
    assertThat(raw.out()).isEmpty();
  }

  @Test
  void usageAndIoErrorsExitTwo() {
    assertThat(walctl().exit()).isEqualTo(Walctl.USAGE_OR_IO);
    assertThat(walctl("inspect").exit()).isEqualTo(Walctl.USAGE_OR_IO);
    assertThat(walctl("repair", dir.toString()).exit()).isEqualTo(Walctl.USAGE_OR_IO);
    assertThat(walctl("repair", "--dry-run", "--apply", dir.toString()).exit())
        .isEqualTo(Walctl.USAGE_OR_IO);
    assertThat(walctl("dump", "--format", "xml", dir.toString()).exit())
        .isEqualTo(Walctl.USAGE_OR_IO);
    Run missing = walctl("verify", dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(Walctl.USAGE_OR_IO);
    assertThat(missing.err()).contains("nope").contains("no log directory");
    assertThat(Files.exists(dir.resolve("nope"))).as("looking created nothing").isFalse();
  }

  @Test
  void everyCommandHasHelpAndACompletionScriptIsGenerated() {
    for (String command : List.of("inspect", "verify", "dump", "repair")) {
      Run r = walctl(command, "--help");
      assertThat(r.exit()).as(command).isZero();
      assertThat(r.out()).as(command).startsWith("Usage: walctl " + command);
    }
    assertThat(walctl("--help").out()).contains("inspect").contains("verify").contains("dump")
        .contains("repair").contains("generate-completion");
    Run completion = walctl("generate-completion");
    assertThat(completion.exit()).isZero();
    assertThat(completion.out()).contains("complete -F");
  }

  @Test
  void inspectNextToARunningPreallocatedWriterShowsItsOpenSegmentAndTakesNoLock() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(new LocalStorage(dir)).segmentSize(1 << 20)
        .preallocate(true).open()) {
      for (int i = 0; i < 10; i++) {
        log.append(payload(i)).join();
      }

      Run r = walctl("inspect", dir.toString());

      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("records 10, first sequence 0, next sequence 10")
          .containsPattern("00000000000000000000.wal +0 +9 +10 +" + (HEADER + 10 * FRAME)
              + " +" + (1 << 20) + "  open, \\d+ bytes after its data \\(preallocated spare");
      log.append(payload(10)).join(); // the writer still holds the log
      assertThat(log.nextSequence()).isEqualTo(11);
    }
  }

  @Test
  void dumpOfALogWithACutMidLogSegmentFailsStrictAndSkipsWhatARepairWouldDrop() throws Exception {
    writeLog(dir, RECORDS, SEGMENT_SIZE);
    String second = segments().get(1);
    byte[] b = Files.readAllBytes(dir.resolve(second));
    Files.write(dir.resolve(second), java.util.Arrays.copyOf(b, b.length - 29 - 10)); // footer and 10 B
    Map<String, String> before = files();

    Run strict = walctl("dump", dir.toString());
    Run skipping = walctl("dump", "--skip-corrupt", "--format", "json", dir.toString());

    assertThat(strict.exit()).isEqualTo(Walctl.CORRUPT);
    assertThat(strict.err()).contains(second).contains("frame is cut short");
    assertThat(skipping.exit()).isZero();
    assertThat(skipping.out().lines().count()).isEqualTo(RECORDS - 1);
    assertThat(files()).as("nothing written").isEqualTo(before);
  }
}
