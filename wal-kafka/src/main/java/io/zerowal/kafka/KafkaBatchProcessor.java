/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

/**
 * The user's work on each batch of Kafka records, in either mode: hand it to
 * {@link KafkaReceiver#processor(KafkaBatchProcessor)} or
 * {@link KafkaDirectSource#processor(KafkaBatchProcessor)} and the result to the engine's
 * {@code processor(...)}. Called on the engine's batch thread, one batch at a time, in batch-time
 * order.
 */
@FunctionalInterface
public interface KafkaBatchProcessor {

  /**
   * Processes one batch; may run again with the same batch time after a crash
   * ({@link KafkaBatch#isRecovered()}).
   *
   * @param batch the batch
   * @throws Exception to fail the batch: the engine stops and the batch runs again at next start
   */
  void process(KafkaBatch batch) throws Exception;
}
