/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The states of an engine (new, running, stopping, terminated), the failure that stopped it if one
 * did, and waiting for the end. Every transition happens under this object's lock. Thread-safe.
 */
final class Lifecycle {
  private enum State { NEW, RUNNING, STOPPING, TERMINATED }

  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile State state = State.NEW; // written under this
  private volatile Throwable failure; // written under this
  private volatile boolean failureThrown; // written under this: start() threw it already

  /**
   * Runs {@code startUp} and enters the running state; if it throws, the engine is terminated.
   *
   * @throws IllegalStateException if the engine was started before
   */
  synchronized void start(Runnable startUp) {
    if (state != State.NEW) {
      throw new IllegalStateException(state == State.RUNNING
          ? "the engine is already running"
          : "the engine was started before and is " + (state == State.STOPPING ? "stopping"
              : "stopped") + ": an engine runs once; build a new one (the same Builder builds"
              + " another on the same logs, which recovers where this one stopped)");
    }
    try {
      startUp.run();
    } catch (RuntimeException | Error e) {
      terminate();
      throw e;
    }
    state = State.RUNNING;
  }

  /** Enters the stopping state; true only for the one call that did, from the running state. */
  synchronized boolean beginStop() {
    if (state == State.NEW) {
      terminate(); // never started: nothing to stop
      return false;
    }
    if (state != State.RUNNING) {
      return false;
    }
    state = State.STOPPING;
    return true;
  }

  /** Records why the engine stops on its own; true for the first failure of a live engine. */
  synchronized boolean fail(Throwable t) {
    if (failure != null || state == State.TERMINATED) {
      return false;
    }
    failure = t;
    return true;
  }

  /** Records a failure that is reported otherwise (thrown to the caller), without logging. */
  synchronized void failQuietly(Throwable t) {
    if (failure == null) {
      failure = t;
      failureThrown = true;
    }
  }

  /** The failure, unless {@code start()} threw it already; null if none. */
  Throwable failureToThrow() {
    return failureThrown ? null : failure;
  }

  /** The engine's threads are done and its logs closed. */
  synchronized void terminate() {
    state = State.TERMINATED;
    terminated.countDown();
  }

  boolean isRunning() {
    return state == State.RUNNING;
  }

  Throwable failure() {
    return failure;
  }

  boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Waits for the end, then for every engine thread but this one; keeps an interrupt for later. */
  void awaitTerminated(EngineThreads threads) {
    boolean interrupted = false;
    while (true) {
      try {
        terminated.await();
        threads.joinAllButCurrent(); // so that no engine thread outlives stop()
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
