/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Receivers and micro-batches: Spark Streaming's zero-data-loss receiver design on ZeroWAL logs.
 * A map of the package for newcomers; the walk of one store and one restart is at the end.
 *
 * <h2>API (public)</h2>
 * <ul>
 *   <li>{@link io.zerowal.receiver.MicroBatchEngine} and its {@code Builder}: options, lifecycle
 *       ({@code start}, {@code stop}, {@code stopNow}), counters.</li>
 *   <li>{@link io.zerowal.receiver.Receiver}, which the user writes, and
 *       {@link io.zerowal.receiver.ReceiverContext}, through which it stores records (with
 *       metadata, waiting or not) and asks for restarts; {@link io.zerowal.receiver.RestartPolicy}
 *       and {@link io.zerowal.receiver.FailureListener} (with
 *       {@link io.zerowal.receiver.ReceiverFailure}) for supervision.</li>
 *   <li>{@link io.zerowal.receiver.MemoryStorages}: an engine's disks in memory, for users'
 *       crash tests.</li>
 *   <li>{@link io.zerowal.receiver.BatchProcessor}, which the user writes, and the
 *       {@link io.zerowal.receiver.Batch} it is handed.</li>
 *   <li>Values: {@link io.zerowal.receiver.BlockInfo}, {@link io.zerowal.receiver.BatchStats},
 *       {@link io.zerowal.receiver.ReceiverStats}; {@link io.zerowal.receiver.TrackerView}, a
 *       read-only view of an engine's metadata log (batches, blocks, receivers). Exceptions:
 *       {@link io.zerowal.receiver.CorruptMetadataException},
 *       {@link io.zerowal.receiver.EngineFailedException}.</li>
 * </ul>
 *
 * <h2>Engine (package-private)</h2>
 * <ul>
 *   <li>{@code EngineConfig}: the options, copied at {@code build()}, with each receiver's
 *       {@link io.zerowal.receiver.ReceiverOptions} resolved against the engine's; immutable.</li>
 *   <li>{@code Lifecycle}: new, running, stopping, terminated; the failure; waiting for the end.</li>
 *   <li>{@code EngineThreads}: which threads are the engine's own (so that a stop called on one
 *       returns instead of waiting for itself).</li>
 *   <li>{@code Receivers}: the receivers' contexts and supervisors, the block-cutting thread.</li>
 *   <li>{@code ReceiverSupervisor}: one receiver's life: start, restart within the policy,
 *       stop alone or with the engine, {@code onDrained}.</li>
 *   <li>{@code Backlog}: bytes stored and not processed, bounded per receiver and engine-wide
 *       (back-pressure from the processor to the sources); when each block's first record
 *       arrived, for end-to-end latency.</li>
 *   <li>{@code DiskQuota}: the bytes of all the engine's logs, estimated between measurements and
 *       bounded by {@code maxLogDiskBytes}; stores wait or fail while the logs are over it.</li>
 *   <li>The store path, per receiver: {@code ReceiverContext} (checks, rate limit via
 *       {@code RateLimiter}, {@code Backlog}) → {@code BlockGenerator} (gathers single records
 *       into blocks, cut when no block is in flight, when the previous one completes, or at the
 *       tick) → {@code BlockWriter} (back-pressure, {@code DiskQuota}, data-log append, BlockAdded, completion on
 *       the log's thread or the completion executor, {@code LatencyHistogram}); blocks are
 *       encoded into buffers {@code BlockBuffers} keeps once the data log has written them.</li>
 *   <li>{@code BatchLoop}: the batch thread: re-runs, allocation, the processor, completion;
 *       then {@code RateControl} (optional) gives each receiver's {@code RateLimiter} the rate its
 *       {@code RateEstimator} (a PID controller) computes from the batch.</li>
 *   <li>{@code LogCleaner}: the one place that deletes segments, and the floors of blocks in
 *       flight; {@code CleanupThread} runs it after each batch on a thread of its own (deleting
 *       waits for the file system's journal), then measures the {@code DiskQuota} and releases
 *       the batch's blocks from the {@code Backlog}.</li>
 * </ul>
 *
 * <h2>Tracker (package-private)</h2>
 * {@code BlockTracker} journals {@code TrackerEvent}s in the metadata log and applies them to a
 * {@code TrackerState}, under one lock, so the state is always the replay of the log.
 *
 * <h2>Formats (package-private)</h2>
 * {@code BlockFormat}: the bytes of a block (one data-log record). {@code TrackerEvent}: the bytes
 * of a metadata-log record. Each draws its layout at the top and is the only code that knows it.
 *
 * <h2>Recovery (package-private)</h2>
 * {@code EngineLogs} opens the logs (STRICT) and closes them; {@code RecoveryReader} replays the
 * metadata log into a {@code TrackerState} and checks it against the data logs.
 *
 * <h2>One store, one restart</h2>
 * {@code context.store(record)} reserves room in the {@code BlockWriter}, and the
 * {@code BlockGenerator} adds the record to the block it gathers. The block-cutting thread cuts
 * it; the writer holds a cleanup floor, appends the block to the data log, and once that is
 * durable journals a BlockAdded, releases the floor, and completes the store's future when the
 * BlockAdded is durable: the receiver acknowledges upstream there. Every batch interval the
 * {@code BatchLoop} journals a BatchAllocated of every unallocated block, runs the processor,
 * journals a BatchCompleted (with a snapshot once the metadata log rolled), and the
 * {@code LogCleaner} deletes the segments nothing needs, on the cleanup thread while the next
 * batch runs. On {@code start()} after a crash,
 * {@code EngineLogs} replays the metadata log: batches allocated but not completed re-run first
 * with the same time and blocks; blocks added but not allocated go into the next batch.
 */
package io.zerowal.receiver;
