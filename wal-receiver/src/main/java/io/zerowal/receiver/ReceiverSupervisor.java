/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one receiver inside a running engine, as Spark's ReceiverSupervisor: started,
 * restarted by its own request or when a thread of its own throws (after a backoff, within a
 * {@link RestartPolicy}), stopped for good by itself or by the policy, or stopped with the engine.
 *
 * <p>{@code onStart} and {@code onStop} never run at the same time: every call into the receiver
 * holds {@link #transition}. Restarts and stops the receiver asks for run on a supervising thread
 * of their own, since the receiver's {@code onStop} typically joins the very thread that asked.
 * Thread-safe.
 */
final class ReceiverSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ReceiverSupervisor.class);

  private enum State { NEW, STARTED, RESTARTING, STOPPED, ENGINE_STOPPED }

  private final String id;
  private final Receiver receiver;
  private final ReceiverContext context;
  private final RestartPolicy policy;
  private final boolean stopEngineOnFailure;
  private final EngineThreads threads;
  private final Engine engine;

  /** Held while calling {@code onStart} or {@code onStop}, and to change the state. */
  private final ReentrantLock transition = new ReentrantLock();
  private final Condition engineStopped = transition.newCondition();
  private volatile State state = State.NEW;
  private volatile int attempts; // consecutive restarts; written under transition

  /** What a supervisor needs of its engine. */
  interface Engine {
    /** Hands a receiver's failure to the engine's listener. */
    void report(ReceiverFailure failure);

    /** Fails the engine: it stops. */
    void fail(Throwable t);
  }

  ReceiverSupervisor(String id, Receiver receiver, ReceiverContext context, RestartPolicy policy,
      boolean stopEngineOnFailure, EngineThreads threads, Engine engine) {
    this.id = id;
    this.receiver = receiver;
    this.context = context;
    this.policy = policy;
    this.stopEngineOnFailure = stopEngineOnFailure;
    this.threads = threads;
    this.engine = engine;
  }

  /**
   * Calls {@code onStart} at the engine's start, on the calling thread.
   *
   * @throws RuntimeException what {@code onStart} threw; the receiver is then not started
   */
  void start() {
    transition.lock();
    try {
      state = State.STARTED; // before onStart: threads it starts see isHalted() false
      threads.callback(() -> receiver.onStart(context));
    } catch (RuntimeException | Error e) {
      state = State.NEW; // never started: nothing to stop
      throw e;
    } finally {
      transition.unlock();
    }
  }

  /** True unless the receiver is started: its loops should end. */
  boolean isHalted() {
    return state != State.STARTED;
  }

  /** True if this receiver is stopped for good while the engine runs on. */
  boolean isStoppedForGood() {
    return state == State.STOPPED;
  }

  /** Logs one ERROR and tells the listener; the receiver runs on. */
  void reportError(String message, Throwable error) {
    log.error("receiver {} reported an error: {}", id, message, error);
    engine.report(new ReceiverFailure(id, message, error, ReceiverFailure.Outcome.REPORTED, 0));
  }

  /**
   * Stops the receiver and starts it again after {@code delay} (null: the policy's backoff), on a
   * supervising thread; past the policy's attempts, stops it for good. Ignored unless the receiver
   * is started (a restart already under way, a stop).
   */
  void restart(String message, Throwable error, Duration delay) {
    int attempt;
    transition.lock();
    try {
      if (state != State.STARTED) {
        log.debug("receiver {} asked for a restart while {}: ignored ({})", id, state, message);
        return;
      }
      attempt = attempts + 1;
      if (attempt > policy.maxAttempts()) {
        state = State.STOPPED;
      } else {
        attempts = attempt;
        state = State.RESTARTING;
      }
    } finally {
      transition.unlock();
    }
    if (attempt > policy.maxAttempts()) {
      giveUp(message + " (" + policy.maxAttempts() + " restarts tried, " + policy + ")", error);
      return;
    }
    Duration wait = delay != null ? delay : policy.backoff(attempt);
    log.warn("receiver {} restarts in {} ms (attempt {} of {}): {}", id, wait.toMillis(), attempt,
        policy.maxAttempts(), message, error);
    engine.report(new ReceiverFailure(id, message, error, ReceiverFailure.Outcome.RESTARTING,
        attempt));
    threads.start("receiver-" + id + "-restart", true, () -> restartNow(wait));
  }

  private void restartNow(Duration wait) {
    callOnStop();
    transition.lock();
    try {
      long nanos = wait.toNanos();
      while (nanos > 0 && state == State.RESTARTING) {
        nanos = engineStopped.awaitNanos(nanos);
      }
      if (state != State.RESTARTING) {
        return; // the engine stops
      }
      state = State.STARTED;
      try {
        threads.callback(() -> receiver.onStart(context));
        log.info("receiver {} restarted", id);
        return;
      } catch (RuntimeException e) {
        state = State.STARTED; // so that the restart below is taken
        restartAfterFailedStart(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      transition.unlock();
    }
  }

  private void restartAfterFailedStart(RuntimeException e) {
    // Still under the transition lock (reentrant): the next restart takes it on its own thread.
    restart("onStart failed while restarting: " + e, e, null);
  }

  /**
   * Stops the receiver for good on a supervising thread, as it asked; the engine and the other
   * receivers run on, and what it stored is still processed.
   */
  void stop(String message) {
    transition.lock();
    try {
      if (state != State.STARTED && state != State.RESTARTING) {
        return;
      }
      state = State.STOPPED;
      engineStopped.signalAll(); // a pending restart gives up
    } finally {
      transition.unlock();
    }
    log.info("receiver {} stops: {}", id, message);
    threads.start("receiver-" + id + "-stop", true, this::stopForGood);
  }

  private void giveUp(String message, Throwable error) {
    ReceiverFailure.Outcome outcome = stopEngineOnFailure
        ? ReceiverFailure.Outcome.ENGINE_STOPPING : ReceiverFailure.Outcome.STOPPED;
    engine.report(new ReceiverFailure(id, message, error, outcome, 0));
    // Started before the engine can terminate, so that a stop() waits for it.
    threads.start("receiver-" + id + "-stop", true, this::stopForGood);
    if (stopEngineOnFailure) {
      // The engine's failure is the one ERROR logged.
      engine.fail(new EngineFailedException("receiver " + id + " failed: " + message, error));
    } else {
      log.error("receiver {} failed and is stopped; the other receivers run on: {}", id, message,
          error);
    }
  }

  private void stopForGood() {
    callOnStop();
    context.stop(true); // stores what its generator holds; later stores are refused
  }

  private void callOnStop() {
    callReceiver(receiver::onStop, "onStop");
  }

  /**
   * Runs one of the receiver's callbacks under the transition lock (reentrant), as its own code
   * ({@link EngineThreads#callback}); a callback that throws is logged, never rethrown.
   */
  private void callReceiver(Runnable callback, String name) {
    transition.lock();
    try {
      threads.callback(callback);
    } catch (RuntimeException e) {
      log.warn("receiver {} failed in {}", id, name, e);
    } finally {
      transition.unlock();
    }
  }

  /**
   * Stops the receiver as the engine stops, on the calling thread: calls {@code onStop} unless it
   * is already stopped, and ends a pending restart.
   */
  void stopWithEngine() {
    transition.lock();
    try {
      State was = state;
      state = State.ENGINE_STOPPED;
      engineStopped.signalAll();
      if (was == State.STARTED) {
        callOnStop();
      }
    } finally {
      transition.unlock();
    }
  }

  /** Calls {@code onDrained} once a graceful stop has drained this receiver's stores. */
  void drained() {
    callReceiver(receiver::onDrained, "onDrained");
  }

  /** A store of this receiver became durable: it works, so restarts count from zero again. */
  void storedDurably() {
    if (attempts != 0 && state == State.STARTED) {
      attempts = 0;
    }
  }
}
