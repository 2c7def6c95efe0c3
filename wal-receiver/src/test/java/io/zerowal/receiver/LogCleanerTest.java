/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerowal.core.RecordHandle;
import io.zerowal.core.WriteAheadLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogCleanerTest {
  private final TestConfigs configs = new TestConfigs();
  private EngineLogs logs;
  private LogCleaner cleaner;
  private WriteAheadLog data;

  @BeforeEach
  void open() {
    logs = EngineLogs.open(configs.config(1024, "r1"));
    cleaner = new LogCleaner(logs);
    data = logs.dataLogs().get("r1");
  }

  @AfterEach
  void close() {
    logs.close();
  }

  /** Appends 100 records of 200 bytes: 4 KiB segments hold 19 or so each. */
  private List<RecordHandle> fill() {
    List<RecordHandle> handles = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      handles.add(data.append(new byte[200]).join());
    }
    return handles;
  }

  @Test
  void withNothingNeededEverySegmentBeforeTheOpenOneIsDeleted() {
    fill();
    LogCleaner.Deleted deleted = cleaner.clean(-1);
    assertThat(deleted.dataSegments()).isGreaterThan(3);
    assertThat(deleted.metadataSegments()).isZero();
    assertThat(data.firstSequence()).isGreaterThan(80);
  }

  @Test
  void aFloorHeldForABlockInFlightKeepsItsSegmentUntilReleased() {
    LogCleaner.Floors floors = cleaner.floors("r1");
    long floor = floors.hold();
    assertThat(floor).isZero();
    fill();
    assertThat(cleaner.clean(-1).dataSegments()).isZero();
    assertThat(data.firstSequence()).isZero();

    floors.release(floor);
    assertThat(cleaner.clean(-1).dataSegments()).isGreaterThan(3);
  }

  @Test
  void aBlockTheTrackerHoldsKeepsItsSegmentAndEveryLaterOne() {
    List<RecordHandle> handles = fill();
    logs.tracker().addBlock(new BlockInfo("r1", 1, 200, handles.get(50)), null).join();
    cleaner.clean(-1);
    assertThat(data.firstSequence()).isBetween(31L, 50L);
    assertThat(data.read(handles.get(50)).remaining()).isEqualTo(200);
  }

  @Test
  void theMetadataLogIsTruncatedBeforeTheSequenceItIsGiven() {
    WriteAheadLog metadata = logs.metadata();
    List<RecordHandle> handles = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      handles.add(metadata.append(new byte[200]).join());
    }
    assertThat(cleaner.clean(handles.get(60).sequence()).metadataSegments()).isGreaterThan(1);
    assertThat(metadata.firstSequence()).isBetween(41L, 60L);
  }
}
