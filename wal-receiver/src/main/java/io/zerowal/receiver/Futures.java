/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.WalException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting for a log's future, with the log's own exception surfacing unwrapped. */
final class Futures {
  private Futures() {}

  static <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WalException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause(), what);
    }
  }

  private static RuntimeException rethrow(Throwable t, String what) {
    if (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return new WalException(what + " failed: " + t, t);
  }
}
