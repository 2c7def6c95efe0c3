/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.LogReader;
import io.zerowal.core.LogRecord;
import io.zerowal.core.ReadOnlyLog;
import io.zerowal.core.RecordHandle;
import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.storage.Storage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code walctl dump DIR}: records with their sequence, length and handle. Writes nothing. */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = {"Print records in sequence order, each CRC checked, with sequence, length and"
        + " handle (segment, offset).",
        "Formats: text (a line per record, the payload as escaped text, cut at --preview bytes),"
        + " hex (a line per record, then a hex dump of the payload), json (one JSON object per line:"
        + " sequence, segment, offset, length, payload in base64), raw (only the payloads, each"
        + " preceded by its length as a 4-byte big-endian integer, as DataInputStream.readInt"
        + " reads it: for piping).",
        "Takes no lock and writes nothing to the log."})
final class DumpCommand implements Callable<Integer> {
  enum Format { text, hex, json, raw }

  @Mixin LogLocation log;
  @Spec CommandSpec spec;
  @ParentCommand Walctl walctl;

  @Option(names = "--from", paramLabel = "SEQ",
      description = "The first sequence to print (default: the oldest in the log).")
  Long from;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "" + Long.MAX_VALUE,
      description = "At most N records (default: all).")
  long limit;

  @Option(names = "--format", defaultValue = "text",
      description = "text, hex, json or raw (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--preview", paramLabel = "BYTES", defaultValue = "64",
      description = "Payload bytes shown per record in text format (default: ${DEFAULT-VALUE}).")
  int preview;

  @Option(names = "--skip-corrupt",
      description = "Skip damaged records (counted at the end) instead of stopping at the first.")
  boolean skipCorrupt;

  @Override
  public Integer call() throws IOException {
    if (limit < 0) {
      throw new ParameterException(spec.commandLine(), "--limit must not be negative");
    }
    PrintWriter out = spec.commandLine().getOut();
    RecoveryPolicy policy = skipCorrupt ? RecoveryPolicy.SKIP_CORRUPT : RecoveryPolicy.STRICT;
    DataOutputStream raw = new DataOutputStream(walctl.binaryOut);
    try (Storage files = log.storage();
        ReadOnlyLog view = log.builder(files, policy).openReadOnly()) {
      long start = from != null ? from : view.firstSequence();
      long printed = 0;
      try (LogReader reader = view.readFrom(start)) {
        Iterator<LogRecord> it = reader.iterator();
        while (printed < limit && it.hasNext()) {
          LogRecord r = it.next();
          switch (format) {
            case text -> out.println(line(r) + " payload=" + escaped(r.payloadBytes(), preview));
            case hex -> {
              out.println(line(r));
              hexDump(out, r.payloadBytes());
            }
            case json -> out.println(json(r));
            case raw -> {
              raw.writeInt(r.handle().length());
              raw.write(r.payloadBytes());
            }
          }
          printed++;
        }
        if (reader.recordsSkipped() > 0) {
          spec.commandLine().getErr().println("walctl dump: " + reader.recordsSkipped()
              + " damaged records skipped");
        }
      }
      out.flush();
      raw.flush();
    }
    return Walctl.OK;
  }

  private static String segmentName(RecordHandle h) {
    return String.format("%020d.wal", h.segment());
  }

  private static String line(LogRecord r) {
    RecordHandle h = r.handle();
    return "sequence=" + r.sequence() + " length=" + h.length() + " segment=" + segmentName(h)
        + " offset=" + h.offset();
  }

  private static String json(LogRecord r) {
    RecordHandle h = r.handle();
    return "{\"sequence\":" + r.sequence() + ",\"segment\":" + JsonText.quote(segmentName(h))
        + ",\"offset\":" + h.offset() + ",\"length\":" + h.length() + ",\"payload\":\""
        + Base64.getEncoder().encodeToString(r.payloadBytes()) + "\"}";
  }

  /** Printable ASCII as is, the rest as \xNN; cut at {@code max} bytes with "...". */
  static String escaped(byte[] b, int max) {
    StringBuilder s = new StringBuilder("\"");
    int n = Math.min(b.length, max);
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        s.append((char) c);
      } else {
        s.append(String.format("\\x%02x", c));
      }
    }
    return s.append('"').append(b.length > n ? "..." : "").toString();
  }

  static void hexDump(PrintWriter out, byte[] b) {
    for (int off = 0; off < b.length; off += 16) {
      StringBuilder hex = new StringBuilder();
      StringBuilder text = new StringBuilder();
      for (int i = off; i < off + 16; i++) {
        if (i < b.length) {
          int c = b[i] & 0xff;
          hex.append(String.format("%02x ", c));
          text.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        } else {
          hex.append("   ");
        }
        if (i == off + 7) {
          hex.append(' ');
        }
      }
      out.printf("  %08x  %s |%s|%n", off, hex, text);
    }
  }
}
