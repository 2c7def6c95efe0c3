/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Checks of a user's consumer configuration, shared by both modes' builders. */
final class ConsumerSettings {
  /** The longest duration an option takes: its nanoseconds, tripled, still fit in a long. */
  static final Duration MAX_DURATION = Duration.ofDays(3650);

  private ConsumerSettings() {}

  /** The default factory: a {@link KafkaConsumer} of bytes. */
  static Consumer<byte[], byte[]> kafkaConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * A copy of {@code config} with manual commits and byte deserializers, refusing what would
   * break the contract.
   *
   * @param owner the class named in messages
   */
  static Map<String, Object> checked(Map<String, ?> config, String owner) {
    Objects.requireNonNull(config, "consumerConfig must not be null");
    Map<String, Object> copy = new HashMap<>(config);
    for (Map.Entry<String, Object> e : copy.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException(owner + ": consumerConfig holds a null key (value "
            + e.getValue() + "): remove it");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(owner + ": consumerConfig key " + e.getKey()
            + " is null: give it a value or remove the key");
      }
    }
    Object autoCommit = copy.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
      throw new IllegalArgumentException(owner + ": enable.auto.commit=" + autoCommit
          + " would commit offsets of records before they are durable, so a crash could lose"
          + " them; remove it or set it to false: " + owner + " commits only what is durable");
    }
    copy.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    for (String key : List.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)) {
      Object d = copy.remove(key);
      if (d != null && !ByteArrayDeserializer.class.getName().equals(name(d))) {
        throw new IllegalArgumentException(owner + ": " + key + "=" + name(d) + " is not"
            + " supported: records are stored and handed on as the bytes Kafka holds; remove it"
            + " and deserialize in your KafkaBatchProcessor");
      }
    }
    return copy;
  }

  private static String name(Object d) {
    return d instanceof Class<?> c ? c.getName() : d.toString();
  }

  static List<String> topics(Collection<String> topics, String owner) {
    Objects.requireNonNull(topics, "topics must not be null");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException(owner + ": topics is empty: name at least one topic");
    }
    for (String t : topics) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException(owner + ": topics " + topics
            + " holds a null or blank name: name each topic");
      }
      try {
        Topic.validate(t);
      } catch (InvalidTopicException e) {
        throw new IllegalArgumentException(owner + ": topic '" + t + "' is not a valid Kafka"
            + " topic name (" + e.getMessage() + "): use at most 249 ASCII letters, digits, '.',"
            + " '_' and '-', not '.' or '..'", e);
      }
    }
    return List.copyOf(topics);
  }

  /** Checks a backoff range: both pauses positive, the longest at least the first. */
  static void backoff(Duration initial, Duration max) {
    positive(initial, "backoff initial");
    positive(max, "backoff max");
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff max " + max + " is below initial " + initial
          + ": give a max at least the initial pause");
    }
  }

  static Duration positive(Duration d, String option) {
    Objects.requireNonNull(d, option + " must not be null");
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(option + " is " + d + ": it must be positive and at most "
          + MAX_DURATION + " (" + MAX_DURATION.toDays() + " days; longer waits overflow the"
          + " millisecond and nanosecond clocks they are counted with)");
    }
    return d;
  }

  static Function<Map<String, Object>, Consumer<byte[], byte[]>> factory(
      Function<Map<String, Object>, Consumer<byte[], byte[]>> f) {
    return Objects.requireNonNull(f, "consumerFactory must not be null");
  }
}
