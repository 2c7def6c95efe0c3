/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The segments of an open log: the closed ones (copy-on-write, oldest first) and the published
 * {@link Tail} of the one being written. Readers take lock-free snapshots; the writer (roll) and
 * {@code truncateBefore} change it under the monitor.
 */
final class SegmentIndex {
  private volatile List<Segment> closed;
  private volatile Tail tail;

  SegmentIndex(List<Segment> closed, Tail tail) {
    this.closed = Collections.unmodifiableList(new ArrayList<>(closed));
    this.tail = tail;
  }

  List<Segment> closed() {
    return closed;
  }

  Tail tail() {
    return tail;
  }

  void publish(Tail t) {
    tail = t;
  }

  synchronized void addClosed(Segment s) {
    List<Segment> next = new ArrayList<>(closed);
    next.add(s);
    closed = Collections.unmodifiableList(next);
  }

  /**
   * Removes, oldest first, the closed segments whose every sequence is below {@code sequence}, and
   * returns them. Stops at the first segment that still holds a needed sequence, so only a prefix
   * of the log is ever removed.
   */
  synchronized List<Segment> removeOlderThan(long sequence) {
    List<Segment> current = closed;
    int n = 0;
    while (n < current.size() && current.get(n).lastSequence < sequence) {
      n++;
    }
    if (n == 0) {
      return List.of();
    }
    closed = Collections.unmodifiableList(new ArrayList<>(current.subList(n, current.size())));
    return new ArrayList<>(current.subList(0, n));
  }

  long firstSequence() {
    List<Segment> c = closed;
    return c.isEmpty() ? tail.segmentBase() : c.get(0).baseSequence;
  }

  /** The closed segment with this base sequence, or null. */
  Segment findClosed(long baseSequence) {
    List<Segment> c = closed;
    int lo = 0;
    int hi = c.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long b = c.get(mid).baseSequence;
      if (b < baseSequence) {
        lo = mid + 1;
      } else if (b > baseSequence) {
        hi = mid - 1;
      } else {
        return c.get(mid);
      }
    }
    return null;
  }
}
