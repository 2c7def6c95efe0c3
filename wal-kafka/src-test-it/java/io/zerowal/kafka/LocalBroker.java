/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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

  void createTopic(String name, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
        .get(30, TimeUnit.SECONDS);
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

  /** Produces {@code count} records spread round-robin over {@code partitions}; waits for acks. */
  static void produce(KafkaProducer<byte[], byte[]> producer, String topic, int partitions,
      long from, long count, int valueBytes) {
    for (long i = from; i < from + count; i++) {
      byte[] value = new byte[valueBytes];
      producer.send(new ProducerRecord<>(topic, (int) (i % partitions),
          Long.toString(i).getBytes(), value));
    }
    producer.flush();
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
