/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link MockConsumer} whose empty polls wait a little, as a real one does (the mock returns at
 * once, which would make the polling thread spin), with helpers that act on the polling thread.
 */
final class TestConsumer extends MockConsumer<byte[], byte[]> {
  TestConsumer() {
    super("earliest");
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> r = super.poll(timeout);
    if (r.isEmpty()) {
      try {
        Thread.sleep(Math.min(5, timeout.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return r;
  }

  /** On the polling thread: assigns {@code partitions}, each starting at offset 0. */
  void assignAtNextPoll(List<TopicPartition> partitions) {
    schedulePollTask(() -> {
      Map<TopicPartition, Long> zero = new java.util.HashMap<>();
      partitions.forEach(tp -> zero.put(tp, 0L));
      updateBeginningOffsets(zero);
      rebalance(partitions);
    });
  }

  /** On the polling thread: adds {@code count} records of {@code size} bytes from {@code from}. */
  void addAtNextPoll(TopicPartition tp, long from, int count, int size) {
    schedulePollTask(() -> {
      for (long o = from; o < from + count; o++) {
        addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), o, ("k" + o).getBytes(),
            new byte[size]));
      }
    });
  }

  // The mock answers committed() only for assigned partitions (0 for others) and not after close.
  private final Map<TopicPartition, Long> commits = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Set: every commit fails as a real one does while the group rebalances or the coordinator is
   * away (commitSync throws, commitAsync reports the error to its callback); nothing is committed.
   */
  volatile boolean failCommits;

  @Override
  public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
      org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
    if (failCommits) {
      if (callback != null) {
        callback.onComplete(offsets, new org.apache.kafka.common.errors
            .RebalanceInProgressException("test: commits fail"));
      }
      return;
    }
    super.commitAsync(offsets, callback);
    offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
  }

  @Override
  public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (failCommits) {
      throw new org.apache.kafka.clients.consumer.CommitFailedException("test: commits fail");
    }
    super.commitSync(offsets);
    offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
  }

  private volatile org.apache.kafka.clients.consumer.ConsumerRebalanceListener listener;

  @Override
  public void subscribe(java.util.Collection<String> topics,
      org.apache.kafka.clients.consumer.ConsumerRebalanceListener listener) {
    this.listener = listener;
    super.subscribe(topics, listener);
  }

  /**
   * On the polling thread: the listener hears that the member lost {@code lost} without
   * revocation (expelled from the group), as a real consumer reports it; the mock cannot do this
   * itself, and keeps them assigned.
   */
  void loseAtNextPoll(List<TopicPartition> lost) {
    schedulePollTask(() -> listener.onPartitionsLost(lost));
  }

  /**
   * On the polling thread: the member loses {@code lost} without revocation and gets them back in
   * the next generation, as a real consumer expelled for a missed heartbeat and rejoining: the
   * listener hears the loss, the position falls back to {@code resetTo} (the group's committed
   * offset, or the reset policy's), then the listener hears the assignment.
   */
  void loseAndGetBackAtNextPoll(List<TopicPartition> lost, long resetTo) {
    schedulePollTask(() -> {
      listener.onPartitionsLost(lost);
      lost.forEach(tp -> seek(tp, resetTo));
      listener.onPartitionsAssigned(lost);
    });
  }

  /** The last offset committed for {@code tp}, or -1. */
  long committedOffset(TopicPartition tp) {
    return commits.getOrDefault(tp, -1L);
  }

  /** Set: {@link #close(Duration)} revokes the assignment first, as a real consumer leaving. */
  volatile boolean revokeOnClose;
  /** How long the revocation inside the last close took, or -1. */
  volatile long revokeOnCloseNanos = -1;

  @Override
  public void close(Duration timeout) {
    org.apache.kafka.clients.consumer.ConsumerRebalanceListener l = listener;
    if (revokeOnClose && l != null && !closed()) {
      java.util.Set<TopicPartition> assigned = assignment();
      if (!assigned.isEmpty()) {
        long start = System.nanoTime();
        l.onPartitionsRevoked(assigned);
        revokeOnCloseNanos = System.nanoTime() - start;
      }
    }
    super.close(timeout);
  }
}
