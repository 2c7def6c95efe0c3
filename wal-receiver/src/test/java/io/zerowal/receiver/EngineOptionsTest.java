/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.CorruptLogException;
import io.zerowal.core.storage.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Options are checked where they are set, copied at build(), and corruption advice fits the engine. */
class EngineOptionsTest {
  private final MemoryStorage metadata = new MemoryStorage();
  private final MemoryStorage data = new MemoryStorage();

  private MicroBatchEngine.Builder builder(Receiver receiver, BatchProcessor processor) {
    return MicroBatchEngine.builder().dataStorage(id -> data).metadataStorage(metadata)
        .batchInterval(Duration.ofMillis(10)).blockInterval(Duration.ofMillis(5))
        .receiver("r1", receiver).processor(processor);
  }

  @Test
  void metadataSegmentSizeOverWhatTheMetadataLogTakesFailsAtTheSetter() {
    // Before, 1 GiB passed build() and start() said "raise maxPendingBytes", which the engine
    // does not expose.
    assertThatThrownBy(() -> MicroBatchEngine.builder().metadataSegmentSize(1L << 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadataSegmentSize must be between 4096 and 268435456 bytes, got 1073741824");
  }

  @Test
  void maxBlockBytesOverWhatADataLogTakesFailsAtTheSetter() {
    assertThatThrownBy(() -> MicroBatchEngine.builder().maxBlockBytes(300 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBlockBytes must be between 64 and 134217728 bytes, got 314572800");
  }

  @Test
  void segmentSizesUnderTheLogsMinimumFailAtTheSetter() {
    assertThatThrownBy(() -> MicroBatchEngine.builder().dataSegmentSize(100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataSegmentSize");
    assertThatThrownBy(() -> MicroBatchEngine.builder().metadataSegmentSize(100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadataSegmentSize");
  }

  @Test
  void theLargestAcceptedSizesStart() throws Exception {
    ManualReceiver r = new ManualReceiver();
    BatchRecorder recorder = new BatchRecorder();
    MicroBatchEngine engine = builder(r, recorder).metadataSegmentSize(256L << 20)
        .maxBlockBytes(128 << 20).maxBufferedBytes(128L << 20).dataSegmentSize(256L << 20).build();
    engine.start();
    r.storeBlock("fits").get(10, TimeUnit.SECONDS);
    engine.stop();
    assertThat(recorder.allRecords()).containsExactly("fits");
  }

  @Test
  void settersCalledAfterBuildDoNotChangeTheBuiltEngine() throws Exception {
    ManualReceiver r = new ManualReceiver();
    BatchRecorder recorder = new BatchRecorder();
    BatchRecorder other = new BatchRecorder();
    MicroBatchEngine.Builder builder = builder(r, recorder);
    MicroBatchEngine engine = builder.build();
    builder.batchInterval(Duration.ofHours(1)).processor(other).receiver("r2", new ManualReceiver());
    engine.start();
    r.storeBlock("x").get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (recorder.allRecords().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    engine.stop();
    assertThat(recorder.allRecords()).containsExactly("x");
    assertThat(other.runs).isEmpty();
    assertThat(engine.receiverStats()).containsOnlyKeys("r1");
  }

  @Test
  void aCorruptMetadataLogFailsTheStartWithAdviceTheEngineCanFollow() throws Exception {
    ManualReceiver r = new ManualReceiver();
    MicroBatchEngine first = builder(r, new BatchRecorder()).batchInterval(Duration.ofHours(1))
        .metadataSegmentSize(4096).build();
    first.start();
    for (int i = 0; i < 100; i++) {
      r.storeBlock("record " + i).get(10, TimeUnit.SECONDS);
    }
    first.stopNow();
    List<String> segments = new ArrayList<>(metadata.list());
    segments.removeIf(n -> !n.endsWith(".wal"));
    segments.sort(null);
    assertThat(segments).hasSizeGreaterThanOrEqualTo(2);
    String sealed = segments.get(0);
    byte[] bytes = metadata.contents(sealed);
    bytes[200] ^= 0x40; // inside a BlockAdded of a sealed segment: mid-log corruption
    metadata.replaceContents(sealed, bytes);

    MicroBatchEngine second = builder(new ManualReceiver(), new BatchRecorder()).build();
    assertThatThrownBy(second::start)
        .isInstanceOf(CorruptMetadataException.class)
        .hasMessageStartingWith("the metadata log (")
        .hasMessageContaining(sealed)
        .hasMessageContaining("opens its logs with RecoveryPolicy.STRICT only")
        .hasMessageContaining("restore them from a replica")
        .hasMessageContaining(".recoveryPolicy(RecoveryPolicy.SKIP_CORRUPT).open().close()")
        .hasMessageNotContaining("open the log with RecoveryPolicy.SKIP_CORRUPT")
        .hasCauseInstanceOf(CorruptLogException.class);
    assertThat(second.isRunning()).isFalse();
  }
}
