/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

/**
 * What a {@link KafkaReceiver} does with a record it cannot store: one larger than its block
 * bound, or a poison record that the consumer fails to deserialize
 * ({@link org.apache.kafka.common.errors.RecordDeserializationException}).
 */
public enum BadRecordPolicy {
  /**
   * Stop the receiver (the engine and other receivers run on): the error names the record and
   * the fix; what was stored before it is committed, nothing after it is read, and the next start
   * meets the same record again. The default: nothing is skipped without someone deciding it.
   */
  FAIL,
  /**
   * Report the record (logged once at ERROR with topic, partition and offset, and handed to the
   * engine's failure listener) and go on past it: its offset is committed with the records after
   * it, so it is never processed. Choose it when losing that record is better than stopping.
   */
  SKIP
}
