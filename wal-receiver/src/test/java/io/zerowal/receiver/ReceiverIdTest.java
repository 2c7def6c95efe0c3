/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Receiver ids name directories in the README's {@code dataStorage(id -> dir.resolve(id))}: an id
 * that escapes the directory, is absolute, or names the metadata log is refused when the receiver
 * is added, naming the id and the rule.
 */
class ReceiverIdTest {
  private static final Receiver RECEIVER = new ManualReceiver();

  @ParameterizedTest
  @ValueSource(strings = {"orders", "r1", "a", "Kafka.topic-3_part", "0", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"})
  void safeIdsAreAccepted(String id) {
    assertThatCode(() -> MicroBatchEngine.builder().receiver(id, RECEIVER))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "/abs/path", "a/b", "a\\b", ".", "..", ".hidden",
      "-option", "with space", "naïve", "tab\t"})
  void idsOutsideTheSafeCharacterSetAreRefused(String id) {
    assertThatThrownBy(() -> MicroBatchEngine.builder().receiver(id, RECEIVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver id \"" + id + "\"")
        .hasMessageContaining("[A-Za-z0-9._-]");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 65, 255, 300})
  void idsLongerThan64CharactersAreRefused(int length) {
    String id = "x".repeat(length);
    assertThatThrownBy(() -> MicroBatchEngine.builder().receiver(id, RECEIVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver id \"" + id + "\"").hasMessageContaining("1 to 64");
  }

  @ParameterizedTest
  @ValueSource(strings = {"meta", "metadata", "META", "Metadata"})
  void idsOfTheMetadataLogAreRefused(String id) {
    assertThatThrownBy(() -> MicroBatchEngine.builder().receiver(id, RECEIVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver id \"" + id + "\"")
        .hasMessageContaining("reserved for the metadata log");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "ORDERS"})
  void anIdUsedTwiceIgnoringCaseIsRefused(String second) {
    assertThatThrownBy(() -> MicroBatchEngine.builder().receiver("orders", RECEIVER)
        .receiver(second, RECEIVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver id \"" + second + "\"").hasMessageContaining("already used");
  }
}
