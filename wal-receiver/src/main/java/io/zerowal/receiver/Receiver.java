/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

/**
 * A source of records: a Kafka consumer, a socket, a queue. The engine calls {@link #onStart} once
 * when it starts and {@link #onStop} once when it stops.
 *
 * <p>Acknowledge upstream (commit offsets, ack a message, answer a client) only when the future
 * returned by {@link ReceiverContext#store} completes: the records are then durable and will be
 * processed, even across a crash.
 */
public interface Receiver {

  /**
   * Starts receiving. Must return quickly: start your own threads and call {@code context.store}
   * from them. Called on the thread that starts the engine.
   *
   * @param context the receiver's handle on the engine: store, restart, stop, threads
   */
  void onStart(ReceiverContext context);

  /**
   * Stops receiving: stop your threads and return once they no longer call {@code store}. Records
   * stored before the return are processed on a graceful stop; later ones are refused.
   */
  void onStop();

  /**
   * Called once at a graceful {@link MicroBatchEngine#stop()}, after {@code onStop}, when every
   * store this receiver made has completed and the acknowledgements attached to its futures have
   * run: the place for the last commit upstream (the positions acknowledged since the last one),
   * then closing the source. Not called by {@link MicroBatchEngine#stopNow()}, after a failure, or
   * when the {@code gracefulStopTimeout} passed first. Called on the stopping thread. Default:
   * nothing.
   */
  default void onDrained() {}
}
