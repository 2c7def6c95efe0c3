/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

/**
 * Hears of failures: a receiver's (reported, restarting, stopped) and the engine's. Called on the
 * thread where the failure was handled (a receiver's thread, a supervising thread, the batch
 * thread); keep it short and do not throw (a throw is logged and ignored). May be called from
 * several threads at once. Set with {@link MicroBatchEngine.Builder#failureListener} or
 * {@link MicroBatchEngine#failureListener}.
 */
public interface FailureListener {

  /**
   * A receiver failed; {@link ReceiverFailure#outcome()} says what the engine does about it.
   *
   * @param failure who failed, why, and what the engine does about it
   */
  default void onReceiverFailure(ReceiverFailure failure) {}

  /**
   * The engine failed and is stopping: a batch or a log failed, or a receiver failed with
   * {@link MicroBatchEngine.Builder#stopEngineOnReceiverFailure} set. Called once.
   *
   * @param failure the failure that stops the engine
   */
  default void onEngineFailure(Throwable failure) {}
}
