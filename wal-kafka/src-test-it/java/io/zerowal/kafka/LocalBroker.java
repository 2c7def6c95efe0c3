/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-process KRaft broker (combined controller and broker) on loopback and random ports, for
 * the integration tests. A killed consumer holds its partitions for its session timeout, so the
 * broker lets consumers ask for short ones.
 */
final class LocalBroker implements AutoCloseable {
  private final KafkaClusterTestKit kit;
  private final Admin admin;

  LocalBroker() throws Exception {
    kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("group.min.session.timeout.ms", "500")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    admin = kit.admin();
  }

  String bootstrap() {
    return kit.bootstrapServers();
  }

  /**
   * Creates the topic and returns once its leader serves every partition. Created is not yet
   * writable: the broker answers NOT_LEADER_OR_FOLLOWER until it applied the leadership, and an
   * idempotent producer whose first batch got that answer while its next batches were appended
   * retries the first one (OUT_OF_ORDER_SEQUENCE_NUMBER) until delivery.timeout.ms, then drops it.
   * Listing the end offsets is served by the partition's leader only. The admin client retries
   * that until the leader answers, but not while its metadata does not know the topic yet: it then
   * fails with UnknownTopicOrPartitionException (seen in CI right after creating the topic), so
   * that failure is retried here, for up to 30 s.
   */
  void createTopic(String name, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
        .get(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        endOffsets(name, partitions);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  /** The end offset of each of the topic's {@code partitions}, as their leader serves them. */
  Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** Consumer settings that notice a killed member within about two seconds. */
  Map<String, Object> consumerConfig(String group) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap());
    c.put("group.id", group);
    c.put("auto.offset.reset", "earliest");
    c.put("session.timeout.ms", "2000");
    c.put("heartbeat.interval.ms", "500");
    return c;
  }

  KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap());
    p.put("acks", "all");
    p.put("linger.ms", "5");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Produces {@code count} records spread round-robin over {@code partitions}; waits for acks and
   * throws if any record was not written (flush() alone returns after a failed send too, and a
   * test would then wait for records that are not in the topic).
   */
  static void produce(KafkaProducer<byte[], byte[]> producer, String topic, int partitions,
      long from, long count, int valueBytes) throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      byte[] value = new byte[valueBytes];
      sent.add(producer.send(new ProducerRecord<>(topic, (int) (i % partitions),
          Long.toString(i).getBytes(), value)));
    }
    producer.flush();
    checkSent(sent, topic + " records " + from + ".." + (from + count - 1));
  }

  /** Throws if one of the (flushed) sends failed: the fixture did not write what a test expects. */
  static void checkSent(List<Future<RecordMetadata>> sent, String what) throws Exception {
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get(0, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the test producer did not write " + what + ": "
            + e.getCause(), e.getCause());
      }
    }
  }

  /** The group's committed offsets (absent partitions: none committed). */
  Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, Long> out = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    m.forEach((tp, o) -> {
      if (o != null) {
        out.put(tp, o.offset());
      }
    });
    return out;
  }

  @Override
  public void close() throws Exception {
    admin.close();
    kit.close();
  }
}
