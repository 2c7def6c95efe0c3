/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Kafka sources for the micro-batch engine: wrap the consumer you already run.
 *
 * <h2>API (public)</h2>
 * <ul>
 *   <li>{@link io.zerowal.kafka.KafkaReceiver}: WAL mode. Records are copied into the engine's
 *       data log; offsets are committed, from the polling thread, only once durable.</li>
 *   <li>{@link io.zerowal.kafka.KafkaDirectSource}: direct mode. Batches journal
 *       {@link io.zerowal.kafka.OffsetRange}s; records are read from Kafka when a batch runs.</li>
 *   <li>{@link io.zerowal.kafka.KafkaBatchProcessor} and {@link io.zerowal.kafka.KafkaBatch}: the
 *       user's work, the same in both modes. {@link io.zerowal.kafka.BadRecordPolicy} for records
 *       that cannot be stored; {@link io.zerowal.kafka.StoredRecordException} for bytes that are
 *       not what a Kafka source wrote.</li>
 * </ul>
 *
 * <h2>Inside (package-private)</h2>
 * <ul>
 *   <li>{@code WalPoller}: the WAL mode's polling thread: blocks, the durable-prefix bookkeeping
 *       per partition, commits, rebalance callbacks, bad records.</li>
 *   <li>{@code DirectPoller}: the direct mode's receiver thread: end offsets become ranges.</li>
 *   <li>{@code RangeReader}: reads a batch's ranges (assign, seek, pause the others, poll).</li>
 *   <li>Formats, each drawn where it is written: {@code StoredRecordFormat} (one record in a
 *       block), {@link io.zerowal.kafka.OffsetRange} (one range in a block), {@code Positions}
 *       (a block's metadata: the position after it per partition, which the engine keeps as
 *       {@code lastMetadata} so that a restart resumes after what is durable).</li>
 *   <li>{@code Backoff}: the one retry loop; {@code ConsumerSettings}: checks of the user's
 *       consumer configuration.</li>
 * </ul>
 *
 * <p>No engine change was needed: direct mode uses ordinary blocks whose records are ranges, and
 * the engine's journal of which blocks form a batch makes the ranges of a batch fixed before it
 * runs and the same when it re-runs.
 */
package io.zerowal.kafka;
