/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of an append, and of every stage chained on it ({@code thenApply}, {@code thenCompose},
 * ...). Waiting on it ({@code join}, {@code get}) from one of its own log's threads throws
 * {@link IllegalStateException} instead of blocking: callbacks run on those threads, and the future
 * could only ever be completed by the thread that would be waiting, so the log would hang for good.
 */
class LogFuture<T> extends CompletableFuture<T> {
  /** The writer whose threads must not wait on this future; null for the queue's stub node. */
  private final GroupCommitWriter owner;

  LogFuture(GroupCommitWriter owner) {
    this.owner = owner;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new LogFuture<>(owner);
  }

  @Override
  public T join() {
    checkMayWait();
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    checkMayWait();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    checkMayWait();
    return super.get(timeout, unit);
  }

  private void checkMayWait() {
    if (owner != null && !isDone() && owner.isLogThread(Thread.currentThread())) {
      throw new IllegalStateException("waiting for an append of log " + owner.describe()
          + " on the log's own thread " + Thread.currentThread().getName() + " (a completion"
          + " callback) would deadlock the log, which completes its futures on this thread: chain"
          + " the next step with thenCompose, or run the callback elsewhere with an ...Async method"
          + " and an executor");
    }
  }
}
