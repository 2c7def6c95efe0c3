/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Many producers, one consumer, no locks and no node allocation: the intrusive queue of Dmitry
 * Vyukov, linking the {@link PendingAppend}s themselves. Producers swap the tail and then link the
 * previous tail to their node; the consumer walks {@code next} links from a stub head.
 *
 * <p>Between a producer's swap and its link, the consumer sees the chain end early; it simply takes
 * what is linked, and the producer's wake-up (see {@link GroupCommitWriter}) brings it back.
 */
final class AppendQueue {
  private final AtomicReference<PendingAppend> tail;
  /** The last consumed node (or the initial stub); only the consumer touches it. */
  private PendingAppend head;

  AppendQueue() {
    PendingAppend stub = new PendingAppend(null, null, 0, 0);
    head = stub;
    tail = new AtomicReference<>(stub);
  }

  /** Adds a node. Any thread. */
  void add(PendingAppend node) {
    PendingAppend prev = tail.getAndSet(node);
    prev.next = node;
  }

  /** The oldest unconsumed node, or null if none is linked yet. Consumer only. */
  PendingAppend first() {
    return head.next;
  }

  /** Marks every node up to and including {@code last} consumed. Consumer only. */
  void consumedThrough(PendingAppend last) {
    head = last;
  }

  /** True when no node is queued, not even one whose link is still being written. Consumer only. */
  boolean isEmpty() {
    return head.next == null && tail.get() == head;
  }
}
