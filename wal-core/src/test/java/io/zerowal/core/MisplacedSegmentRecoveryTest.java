/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The last segment file holds an intact header of another base (files swapped or copied by hand).
 * That is corruption to report and keep, never a segment torn at creation to rewrite: found by the
 * torture suite (src-test-it BitRotIT, swap of segment files), where recovery truncated such a file
 * to zero under both policies.
 */
class MisplacedSegmentRecoveryTest {

  private static WriteAheadLog open(MemoryStorage mem, RecoveryPolicy policy) {
    return WriteAheadLog.builder(mem).segmentSize(4096).maxRecordSize(1000).recoveryPolicy(policy)
        .open();
  }

  /** A closed log of several segments whose last file is replaced by a copy of the first. */
  private static String misplaceLastSegment(MemoryStorage mem) throws Exception {
    try (WriteAheadLog log = open(mem, RecoveryPolicy.STRICT)) {
      for (int i = 0; i < 60; i++) {
        log.append(new byte[100]).get();
      }
    }
    List<String> names = mem.list().stream().sorted().toList();
    assertThat(names).hasSizeGreaterThan(1);
    String last = names.get(names.size() - 1);
    mem.replaceContents(last, mem.contents(names.get(0)));
    return last;
  }

  @Test
  void strictFailsAndLeavesTheFileAsItWas() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    String last = misplaceLastSegment(mem);
    byte[] before = mem.contents(last);

    assertThatThrownBy(() -> open(mem, RecoveryPolicy.STRICT))
        .isInstanceOf(CorruptLogException.class)
        .satisfies(e -> assertThat(((CorruptLogException) e).segment()).isEqualTo(last));
    assertThat(mem.contents(last)).isEqualTo(before);
  }

  @Test
  void skipCorruptKeepsTheFileAsideAndReportsIt() throws Exception {
    MemoryStorage mem = new MemoryStorage();
    String last = misplaceLastSegment(mem);
    byte[] before = mem.contents(last);

    try (WriteAheadLog log = open(mem, RecoveryPolicy.SKIP_CORRUPT)) {
      assertThat(log.recoveryReport().corruptSegments()).contains(last + ".corrupt");
      log.append(new byte[] {1}).get();
    }
    assertThat(mem.contents(last + ".corrupt")).isEqualTo(before);
    try (WriteAheadLog log = open(mem, RecoveryPolicy.SKIP_CORRUPT)) {
      assertThat(log.recoveryReport().corruptSegments()).isEmpty();
      assertThat(log.verify()).isPositive();
    }
  }
}
