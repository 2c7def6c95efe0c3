/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Flume on ZeroWAL: {@link io.zerowal.flume.ZeroWalSink}, a sink that commits each channel
 * transaction only once its events are durable in a ZeroWAL log, and hands them in micro-batches
 * to a {@link io.zerowal.receiver.BatchProcessor} in the agent's JVM.
 *
 * <ul>
 *   <li>{@link io.zerowal.flume.ZeroWalSink}: the sink; hosts a
 *       {@link io.zerowal.receiver.MicroBatchEngine} on its {@code directory}.</li>
 *   <li>{@link io.zerowal.flume.EventFormat}: the bytes of one event in a block; processors decode
 *       records with it ({@link io.zerowal.flume.CorruptEventException} for a record that is not
 *       an event).</li>
 *   <li>{@link io.zerowal.flume.BatchFileWriter}: a ready processor writing one file per batch
 *       time, idempotent across re-runs.</li>
 *   <li>{@code SinkConfig} (package-private): the sink's keys, checked once.</li>
 * </ul>
 *
 * Flume is a {@code provided} dependency: the agent brings it.
 */
package io.zerowal.flume;
