/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.tools;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.WalException;
import io.zerowal.receiver.CorruptMetadataException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code walctl}: look at a ZeroWAL log from the shell. Every command but {@code repair --apply}
 * opens the log read-only ({@link io.zerowal.core.ReadOnlyLog}): no lock, no repair, no new file,
 * so it is safe next to a running writer.
 *
 * <p>Exit codes: {@value #OK} success; {@value #CORRUPT} the log is corrupt (verify found a problem,
 * or a STRICT open would fail); {@value #USAGE_OR_IO} bad arguments, an I/O error, or a log that is
 * locked or missing.
 */
@Command(name = "walctl", mixinStandardHelpOptions = true,
    versionProvider = Walctl.Version.class,
    description = "Inspect, verify, dump and repair a ZeroWAL log directory; show a receiver"
        + " engine's batches from its metadata log (tracker).",
    subcommands = {InspectCommand.class, VerifyCommand.class, DumpCommand.class,
        RepairCommand.class, TrackerCommand.class, AutoComplete.GenerateCompletion.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the log is corrupt", "2:usage or I/O error"})
public final class Walctl implements Runnable {
  static final int OK = 0;
  static final int CORRUPT = 1;
  static final int USAGE_OR_IO = 2;

  /** Where {@code dump --format raw} writes its bytes (stdout, or a test's buffer). */
  final OutputStream binaryOut;

  Walctl(OutputStream binaryOut) {
    this.binaryOut = binaryOut;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "walctl needs a command: inspect, verify, dump, repair, tracker (walctl --help)");
  }

  /** The command line, with walctl's exit codes and error messages. */
  static CommandLine commandLine(OutputStream binaryOut) {
    CommandLine cl = new CommandLine(new Walctl(binaryOut));
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("walctl " + commandLine.getCommandName() + ": "
          + describe(e));
      commandLine.getErr().flush();
      return e instanceof CorruptLogException || e instanceof CorruptMetadataException
          ? CORRUPT : USAGE_OR_IO;
    });
    cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    return cl;
  }

  private static String describe(Exception e) {
    if (e instanceof UncheckedIOException u) {
      return u.getMessage() + (u.getCause() != null && u.getCause().getMessage() != null
          && !u.getMessage().contains(u.getCause().getMessage())
          ? " (" + u.getCause().getMessage() + ")" : "");
    }
    if (e instanceof IOException || e instanceof WalException
        || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    return e.toString();
  }

  /**
   * Runs walctl and exits with its code: 0 when all is well, 1 when a log is corrupt, 2 on a usage
   * or I/O error.
   *
   * @param args the command and its options, as typed after {@code walctl}
   */
  public static void main(String[] args) {
    // The commands print what recovery finds; the core's own log lines (which a dry run of
    // recovery writes too) go to stderr only when asked for: -Dwalctl.log=warn or info.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("walctl.log", "error"));
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    PrintStream out = System.out;
    int code = commandLine(out).execute(args);
    out.flush();
    System.exit(code);
  }

  /** The version of the jar, from its manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Walctl.class.getPackage().getImplementationVersion();
      return new String[] {"walctl " + (v != null ? v : "(development build)")};
    }
  }
}
