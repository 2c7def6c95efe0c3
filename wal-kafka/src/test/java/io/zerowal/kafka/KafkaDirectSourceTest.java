/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options of the direct source: each refusal names the option, the value and the fix. */
class KafkaDirectSourceTest {

  @Test
  void refusesAutoCommitForeignDeserializersAndBadOptions() {
    assertThatThrownBy(() -> KafkaDirectSource.builder(Map.of("enable.auto.commit", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KafkaDirectSource: enable.auto.commit=true");
    assertThatThrownBy(() -> KafkaDirectSource.builder(Map.of("key.deserializer",
        org.apache.kafka.common.serialization.LongDeserializer.class)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LongDeserializer");
    KafkaDirectSource.Builder b = KafkaDirectSource.builder(Map.of("bootstrap.servers", "x:1"));
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no topics");
    assertThatThrownBy(() -> b.topics(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topics is empty");
    assertThatThrownBy(() -> b.topics(List.of(" "))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> b.maxRecordsPerRange(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRecordsPerRange is 0");
    assertThatThrownBy(() -> b.rangeInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rangeInterval");
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below initial");
  }
}
