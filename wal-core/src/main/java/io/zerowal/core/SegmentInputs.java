/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open segment files that {@link WriteAheadLog#read} reads through: at most {@code bound} of
 * them, least recently used closed first, so that reading a long log does not exhaust the process's
 * file descriptors. An input is closed only once no reader uses it any more (reference counts), so
 * an eviction, a {@code truncateBefore} or a close never closes a file under a read in progress.
 *
 * <p>Thread-safe; one short monitor section per acquire and release (files are opened and closed
 * outside it). Reads are not on the append path.
 */
final class SegmentInputs {
  private static final Logger log = LoggerFactory.getLogger(SegmentInputs.class);

  /** One open file and the readers using it. Fields guarded by the {@link SegmentInputs} monitor. */
  static final class Lease {
    final String name;
    final SegmentInput input;
    private int users;
    private boolean retired;

    private Lease(String name, SegmentInput input) {
      this.name = name;
      this.input = input;
    }
  }

  private final Storage storage;
  private final int bound;
  private final LinkedHashMap<String, Lease> open = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  SegmentInputs(Storage storage, int bound) {
    if (bound < 1) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    this.storage = storage;
    this.bound = bound;
  }

  /** The input of segment {@code name}, opened if needed; give it back with {@link #release}. */
  Lease acquire(String name) throws IOException {
    synchronized (this) {
      Lease l = take(name);
      if (l != null) {
        return l;
      }
    }
    SegmentInput opened = storage.openForRead(name);
    List<Lease> toClose = new ArrayList<>();
    Lease result;
    synchronized (this) {
      result = take(name);
      if (result == null) {
        result = new Lease(name, opened);
        result.users = 1;
        if (closed) {
          result.retired = true; // the log closed meanwhile: the caller's read still completes
        } else {
          open.put(name, result);
          evictBeyondBound(toClose);
        }
        opened = null;
      }
    }
    closeAll(toClose);
    if (opened != null) {
      close(opened, name); // another reader opened it first
    }
    return result;
  }

  /** Ends one use of {@code lease}; closes its file if it was retired meanwhile and is now unused. */
  void release(Lease lease) {
    boolean close;
    synchronized (this) {
      close = --lease.users == 0 && lease.retired;
    }
    if (close) {
      close(lease.input, lease.name);
    }
  }

  /**
   * Drops {@code lease} from the cache because its file is unusable (a channel closed by an
   * interrupt); the next acquire reopens the file.
   */
  void discard(Lease lease) {
    synchronized (this) {
      if (open.get(lease.name) == lease) {
        open.remove(lease.name);
      }
      lease.retired = true;
    }
  }

  /** Closes segment {@code name}'s file once its current readers are done (truncateBefore). */
  void remove(String name) {
    List<Lease> toClose = new ArrayList<>();
    synchronized (this) {
      Lease l = open.remove(name);
      if (l != null) {
        retire(l, toClose);
      }
    }
    closeAll(toClose);
  }

  /** Closes every file (each once its readers are done); later acquires do not cache. */
  void close() {
    List<Lease> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Lease l : open.values()) {
        retire(l, toClose);
      }
      open.clear();
    }
    closeAll(toClose);
  }

  synchronized int size() {
    return open.size();
  }

  private Lease take(String name) {
    Lease l = open.get(name); // also makes it the most recently used
    if (l != null) {
      l.users++;
    }
    return l;
  }

  private void evictBeyondBound(List<Lease> toClose) {
    Iterator<Map.Entry<String, Lease>> it = open.entrySet().iterator();
    while (open.size() > bound && it.hasNext()) {
      Lease eldest = it.next().getValue();
      it.remove();
      retire(eldest, toClose);
    }
  }

  private static void retire(Lease l, List<Lease> toClose) {
    l.retired = true;
    if (l.users == 0) {
      toClose.add(l);
    }
  }

  private static void closeAll(List<Lease> leases) {
    for (Lease l : leases) {
      close(l.input, l.name);
    }
  }

  private static void close(SegmentInput in, String name) {
    try {
      in.close();
    } catch (IOException e) {
      log.debug("closing input of segment {}", name, e);
    }
  }
}
