/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.RecordHandle;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the test appended and what the log acknowledged: every key submitted to {@code append}, and for
 * every future that completed successfully, its sequence, key and handle. Thread-safe.
 */
final class Ledger {
  final long salt;
  final int maxBody;
  final Set<Long> submitted = ConcurrentHashMap.newKeySet();
  final Map<Long, Long> ackedKeyBySequence = new ConcurrentHashMap<>();
  final Map<Long, RecordHandle> ackedHandleBySequence = new ConcurrentHashMap<>();

  Ledger(long salt, int maxBody) {
    this.salt = salt;
    this.maxBody = maxBody;
  }

  byte[] submit(long key) {
    submitted.add(key);
    return Payloads.expected(key, salt, maxBody);
  }

  void acked(long key, RecordHandle handle) {
    Long previous = ackedKeyBySequence.put(handle.sequence(), key);
    if (previous != null && previous != key) {
      throw new AssertionError("sequence " + handle.sequence() + " acknowledged twice: keys "
          + Long.toHexString(previous) + " and " + Long.toHexString(key));
    }
    ackedHandleBySequence.put(handle.sequence(), handle);
  }

  int ackedCount() {
    return ackedKeyBySequence.size();
  }
}
