/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every option of {@link WriteAheadLog.Builder} refuses bad values with a message naming it. */
class BuilderTest {
  private final MemoryStorage memory = new MemoryStorage();

  private WriteAheadLog.Builder builder() {
    return WriteAheadLog.builder(memory);
  }

  @Test
  void nullStorageIsRejected() {
    assertThatThrownBy(() -> WriteAheadLog.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("storage");
  }

  @Test
  void nullDurabilityIsRejected() {
    assertThatThrownBy(() -> builder().durability(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("durability");
  }

  @Test
  void nullRecoveryPolicyIsRejected() {
    assertThatThrownBy(() -> builder().recoveryPolicy(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("recoveryPolicy");
  }

  @Test
  void nullBackPressureIsRejected() {
    assertThatThrownBy(() -> builder().backPressure(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("backPressure");
  }

  @Test
  void segmentSizeBelow4KiBIsRejected() {
    assertThatThrownBy(() -> builder().segmentSize(4095))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segmentSize")
        .hasMessageContaining("4096").hasMessageContaining("4095");
    assertThat(builder().segmentSize(4096)).isNotNull();
  }

  @Test
  void maxRecordSizeOfZeroIsRejected() {
    assertThatThrownBy(() -> builder().maxRecordSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordSize")
        .hasMessageContaining("got 0");
  }

  @Test
  void maxRecordSizeAbove1GiBIsRejected() {
    assertThatThrownBy(() -> builder().maxRecordSize((1 << 30) + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordSize")
        .hasMessageContaining(String.valueOf(1 << 30));
    assertThat(builder().maxRecordSize(1 << 30)).isNotNull();
  }

  @Test
  void negativeRollIntervalIsRejected() {
    assertThatThrownBy(() -> builder().rollInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rollInterval");
  }

  @Test
  void nullOrZeroRollIntervalMeansNever() throws Exception {
    try (WriteAheadLog log = builder().rollInterval(Duration.ofMillis(5)).rollInterval(null)
        .open()) {
      RecordHandle a = await(log.append(new byte[] {1}));
      RecordHandle b = await(log.append(new byte[] {2}));
      assertThat(b.segment()).isEqualTo(a.segment());
    }
    assertThat(builder().rollInterval(Duration.ZERO)).isNotNull();
  }

  @Test
  void maxPendingBytesOfZeroIsRejected() {
    assertThatThrownBy(() -> builder().maxPendingBytes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPendingBytes");
  }

  @Test
  void maxRecordSizeThatDoesNotFitInASegmentIsRejectedOnOpen() throws Exception {
    assertThatThrownBy(() -> builder().segmentSize(4096).maxRecordSize(4096).open())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordSize 4096")
        .hasMessageContaining("segmentSize 4096");
    assertThat(memory.list()).as("nothing was created").isEmpty();
  }

  @Test
  void largestRecordThatFitsASegmentIsAccepted() throws Exception {
    int max = 4096 - SegmentHeader.SIZE - RecordFrame.HEADER_SIZE - RecordFrame.FOOTER_SIZE;
    try (WriteAheadLog log = builder().segmentSize(4096).maxRecordSize(max).open()) {
      RecordHandle a = await(log.append(TestLogs.payload(1, max)));
      RecordHandle b = await(log.append(TestLogs.payload(2, max)));
      assertThat(b.segment()).isGreaterThan(a.segment());
      assertThat(bytes(log.read(a))).isEqualTo(TestLogs.payload(1, max));
      assertThat(bytes(log.read(b))).isEqualTo(TestLogs.payload(2, max));
    }
  }

  @Test
  void maxPendingBytesSmallerThanOneMaxRecordIsRejectedOnOpen() {
    assertThatThrownBy(() -> builder().maxRecordSize(1000).maxPendingBytes(1000).open())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPendingBytes 1000")
        .hasMessageContaining("maxRecordSize 1000");
  }

  @Test
  void rejectedOpenLeavesTheStorageUnlocked() throws Exception {
    assertThatThrownBy(() -> builder().maxRecordSize(1000).maxPendingBytes(10).open())
        .isInstanceOf(IllegalArgumentException.class);

    try (WriteAheadLog log = builder().open()) {
      assertThat(log.nextSequence()).isZero();
    }
  }

  @Test
  void defaultsOpenAWorkingSyncLog() throws Exception {
    try (WriteAheadLog log = builder().open()) {
      byte[] data = TestLogs.payload(7, 1 << 20);
      RecordHandle h = await(log.append(data));

      assertThat(bytes(log.read(h))).isEqualTo(data);
      assertThat(log.stats().syncs()).isEqualTo(log.stats().groups());
      assertThat(log.recoveryReport().records()).isZero();
      assertThatThrownBy(() -> log.append(new byte[(16 << 20) + 1]))
          .isInstanceOf(RecordTooLargeException.class).hasMessageContaining(String.valueOf(16 << 20));
    }
  }
}
