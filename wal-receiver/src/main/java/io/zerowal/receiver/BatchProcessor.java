/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

/**
 * The user's work on each micro-batch. Called on the engine's batch thread, one batch at a time, in
 * batch-time order.
 *
 * <p>A batch may run more than once: after a crash, a batch that was allocated but not completed
 * runs again with the same batch time and the same records ({@link Batch#isRecovered()}). Make the
 * output idempotent per batch time (for instance, overwrite one file named by the batch time).
 */
@FunctionalInterface
public interface BatchProcessor {

  /**
   * Processes one batch. Throwing stops the engine with an {@link EngineFailedException}; the batch
   * stays uncompleted and runs again when the engine next starts. It may call
   * {@link MicroBatchEngine#stop()}, which then returns at once; the batch completes and a last
   * batch drains what was stored.
   *
   * @param batch the batch to process; the same blocks when it runs again
   * @throws Exception to fail the batch and stop the engine; the batch runs again at the next start
   */
  void process(Batch batch) throws Exception;
}
