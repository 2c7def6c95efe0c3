/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both modes under hostile resource limits, on a real broker: a child JVM with a
 * 64 MiB heap and 256 file descriptors ingests a backlog of 1 KiB records plus one record near
 * the receiver's maximum block, with small data segments (many files); every record must be
 * processed and the group's commits must reach the end.
 */
class KafkaHostileIT {
  private static final int PARTITIONS = 2;
  private static final int SMALL = 6_000;
  private static LocalBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new LocalBroker();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void walModeUnderATinyHeapAndFewFileDescriptorsIngestsEverything() throws Exception {
    tight("wal");
  }

  @Test
  void directModeUnderATinyHeapAndFewFileDescriptorsIngestsEverything() throws Exception {
    tight("direct");
  }

  private void tight(String mode) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    Path dir = Files.createDirectories(Path.of("target", "kafka-it", "tight-" + mode + "-"
        + System.nanoTime())).toAbsolutePath();
    String topic = "tight-" + mode;
    String group = "tight-group-" + mode;
    broker.createTopic(topic, PARTITIONS);
    try (KafkaProducer<byte[], byte[]> p = broker.producer()) {
      LocalBroker.produce(p, topic, PARTITIONS, 0, SMALL / 2, 1024);
      // Near the receiver's 256 KiB block: the value plus key, headers and framing still fit.
      Future<RecordMetadata> big = p.send(new ProducerRecord<>(topic, 0, "big".getBytes(),
          new byte[(256 << 10) - 512]));
      LocalBroker.produce(p, topic, PARTITIONS, SMALL / 2, SMALL / 2, 1024);
      p.flush();
      LocalBroker.checkSent(List.of(big), topic + " big record");
    }
    int expected = SMALL + 1;
    // What the child must find; a shortfall here is the fixture's, not the engine's.
    assertThat(broker.endOffsets(topic, PARTITIONS)).as("records in %s before the child", topic)
        .containsOnly(entry(new TopicPartition(topic, 0), SMALL / 2 + 1L),
            entry(new TopicPartition(topic, 1), (long) SMALL / 2));
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    String command = "ulimit -n 256 && exec \"$0\" -Xmx64m -XX:+ExitOnOutOfMemoryError -cp \"$1\" "
        + KafkaTightChild.class.getName() + " \"$2\" \"$3\" \"$4\" \"$5\" \"$6\" \"$7\"";
    Path out = dir.resolve("child.out");
    Process child = new ProcessBuilder("/bin/bash", "-c", command, java,
        System.getProperty("java.class.path"), mode, broker.bootstrap(), topic, group,
        dir.toString(), Integer.toString(expected))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    // The child bounds its own wait by progress (KafkaTightChild.IDLE_LIMIT_NANOS) and stops
    // after TOTAL_LIMIT_NANOS at the latest; its stop may take up to a minute more.
    boolean ended = child.waitFor(
        TimeUnit.NANOSECONDS.toSeconds(KafkaTightChild.TOTAL_LIMIT_NANOS) + 60, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    String tail = output.substring(Math.max(0, output.length() - 4000));
    assertThat(ended).as("child ended; output tail:%n%s", tail).isTrue();
    assertThat(child.exitValue()).as("exit; output tail:%n%s", tail).isZero();
    assertThat(output).contains("OK processed=" + expected).doesNotContain("OutOfMemoryError");
    Map<TopicPartition, Long> committed = broker.committed(group);
    assertThat(committed.get(new TopicPartition(topic, 0))).isEqualTo(SMALL / 2 + 1);
    assertThat(committed.get(new TopicPartition(topic, 1))).isEqualTo(SMALL / 2);
    System.out.println("KafkaHostileIT tight " + mode + ": processed " + expected + ", committed "
        + committed);
  }
}
