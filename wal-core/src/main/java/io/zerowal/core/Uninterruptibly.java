/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * Blocking calls the log must see through even when the calling thread is interrupted (a join of
 * its own threads, a hand-over, a wait for a sync in progress): the call is retried until it
 * returns, and the interrupt is re-asserted afterwards for the caller to see.
 */
final class Uninterruptibly {
  private Uninterruptibly() {}

  /** A blocking call; it is retried from the start after an interrupt, so it must allow that. */
  @FunctionalInterface
  interface Call<T, E extends Exception> {
    T call() throws InterruptedException, E;
  }

  /** A blocking call without a result. */
  @FunctionalInterface
  interface Wait {
    void run() throws InterruptedException;
  }

  static <T, E extends Exception> T get(Call<T, E> call) throws E {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return call.call();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void run(Wait wait) {
    Uninterruptibly.<Void, RuntimeException>get(() -> {
      wait.run();
      return null;
    });
  }
}
