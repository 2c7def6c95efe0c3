/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.util.WriteAheadLogRecordHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark keeps handles in its metadata and reads them back in another JVM (a restarted driver, an
 * executor) through an instance created with a directory that does not exist: the handle alone
 * must find its record.
 */
class HandleInAnotherJvmTest {
  @TempDir Path dir;

  @Test
  void handlesSerializedHereAreReadInAnotherJvmWhileThisOneStillWrites() throws Exception {
    ZeroWalSparkLog log = new ZeroWalSparkLog(new SparkConf(false)
        .set(ZeroWalSparkLog.DURABILITY, "FLUSH"), dir.resolve("wal").toString());
    List<WriteAheadLogRecordHandle> handles = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String s = "block-" + i;
      handles.add(log.write(ByteBuffer.wrap(s.getBytes(UTF_8)), i));
      expected.add(s);
    }
    Path file = dir.resolve("handles.ser");
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
      out.writeObject(handles);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(System.getProperty("spark.jvm.opens", "").split(" ")));
    command.removeIf(String::isEmpty);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Reader.class.getName(),
        file.toString()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(new String(stdout, UTF_8).lines()).containsExactlyElementsOf(expected);
    log.close();
  }

  /** The other JVM: reads every handle through an instance of a directory that does not exist. */
  public static final class Reader {
    private Reader() {}

    /**
     * Prints each record of the handles in {@code args[0]}, one a line.
     *
     * @param args the file of serialized handles
     * @throws Exception if reading fails
     */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
      List<WriteAheadLogRecordHandle> handles;
      try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
        handles = (List<WriteAheadLogRecordHandle>) in.readObject();
      }
      String nowhere = Path.of(System.getProperty("java.io.tmpdir"), UUID.randomUUID().toString())
          .toUri().toString();
      ZeroWalSparkLog log = new ZeroWalSparkLog(new SparkConf(false), nowhere);
      StringBuilder out = new StringBuilder();
      for (WriteAheadLogRecordHandle h : handles) {
        ByteBuffer b = log.read(h);
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.append(new String(a, UTF_8)).append('\n');
      }
      log.close();
      System.out.print(out);
      System.out.flush();
    }
  }
}
