package io.zerowal.tools;

import io.zerowal.core.RecoveryPolicy;
import io.zerowal.core.WriteAheadLog;
import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The log a command works on, and how to read it: a picocli mixin shared by every command. */
final class LogLocation {
  private static final int MIB = 1 << 20;

  @Parameters(index = "0", paramLabel = "DIR",
      description = "The log: a directory of segments (<base>.wal).")
  String location;

  @Option(names = "--max-record-size", paramLabel = "BYTES", defaultValue = "16777216",
      description = "The maxRecordSize the log was written with (default: ${DEFAULT-VALUE}, the"
          + " library's default). A record longer than this is reported, not read.")
  int maxRecordSize;

  /**
   * The storage of the log. A local directory must exist: opening a {@link LocalStorage} would
   * create a missing one, and looking must not write.
   */
  Storage storage() throws IOException {
    Path dir = Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(location, null, "no log directory here");
    }
    return new LocalStorage(dir);
  }

  /** A builder for this log with the options given; segment size only has to fit the records. */
  WriteAheadLog.Builder builder(RecoveryPolicy policy) throws IOException {
    long segmentSize = Math.max(64L * MIB, (long) maxRecordSize + MIB);
    return WriteAheadLog.builder(storage()).maxRecordSize(maxRecordSize).segmentSize(segmentSize)
        .recoveryPolicy(policy);
  }
}
