/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;

/**
 * Knows which threads are the engine's own: the threads it starts, and any thread while it runs a
 * callback into user code for this engine (a store's acknowledgement runs on a log's writer or
 * completer thread; {@code onStop} runs on the stopping thread). A stop called on one of them must
 * not wait for the engine to terminate: termination needs that very thread to return.
 */
final class EngineThreads {
  /** The MDC key holding the engine's name on its threads, for log patterns: {@code %X{zerowal.engine}}. */
  static final String MDC_KEY = "zerowal.engine";

  private final String prefix;
  private final String engineName;
  private final Set<Thread> started = ConcurrentHashMap.newKeySet();
  /** Receivers' threads started through their context: own, but never joined by the engine. */
  private final Set<Thread> receiverThreads = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<int[]> callbackDepth = ThreadLocal.withInitial(() -> new int[1]);

  /** Threads named {@code zerowal-<engineName>-<what>}, so that two engines in a JVM differ. */
  EngineThreads(String engineName) {
    this.prefix = "zerowal-" + engineName + "-";
    this.engineName = engineName;
  }

  /** Starts {@code body} on a new thread of the engine, named {@code zerowal-<engine>-<name>}. */
  Thread start(String name, boolean daemon, Runnable body) {
    Thread t = new Thread(() -> {
      MDC.put(MDC_KEY, engineName);
      try {
        body.run();
      } finally {
        started.remove(Thread.currentThread()); // finished: nothing to join
      }
    }, prefix + name);
    t.setDaemon(daemon);
    started.add(t);
    t.start();
    return t;
  }

  /**
   * Starts a receiver's thread: the engine's own (a stop called there returns at once) but not
   * joined by a stop, since only the receiver's {@code onStop} can end it.
   */
  Thread startReceiverThread(String name, Runnable body) {
    Thread t = new Thread(() -> {
      MDC.put(MDC_KEY, engineName);
      try {
        body.run();
      } finally {
        receiverThreads.remove(Thread.currentThread());
      }
    }, prefix + name);
    receiverThreads.add(t);
    t.start();
    return t;
  }

  /** True on a thread the engine started or one running a callback of this engine. */
  boolean isCurrentOwn() {
    Thread current = Thread.currentThread();
    return started.contains(current) || receiverThreads.contains(current)
        || callbackDepth.get()[0] > 0;
  }

  /**
   * Runs user code, marking the current thread as the engine's meanwhile, with the engine's name
   * in the MDC: acknowledgements run on the logs' writer and completer threads (or the user's
   * completion executor), which wal-core creates without knowing the engine; what is logged from
   * them while the callback runs carries the engine's name, and the thread's own MDC entry is put
   * back after.
   */
  void callback(Runnable userCode) {
    int[] depth = callbackDepth.get();
    String previous = depth[0] == 0 ? MDC.get(MDC_KEY) : engineName;
    depth[0]++;
    if (depth[0] == 1 && !engineName.equals(previous)) {
      MDC.put(MDC_KEY, engineName);
    }
    try {
      userCode.run();
    } finally {
      depth[0]--;
      if (depth[0] == 0 && !engineName.equals(previous)) {
        if (previous == null) {
          MDC.remove(MDC_KEY);
        } else {
          MDC.put(MDC_KEY, previous);
        }
      }
    }
  }

  /** Completes a future handed to a receiver: its dependents are user code. */
  <T> void complete(CompletableFuture<T> f, T value) {
    callback(() -> f.complete(value));
  }

  /** Fails a future handed to a receiver: its dependents are user code. */
  void fail(CompletableFuture<?> f, Throwable error) {
    callback(() -> f.completeExceptionally(error));
  }

  /** Waits for every thread the engine started, except the current one. */
  void joinAllButCurrent() throws InterruptedException {
    for (Thread t : started) {
      if (t != Thread.currentThread()) {
        t.join();
      }
    }
  }
}
