package io.zerowal.receiver;

import io.zerowal.core.BackPressure;
import io.zerowal.core.Durability;
import io.zerowal.core.storage.Storage;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The options of one engine, copied from its {@link MicroBatchEngine.Builder} at {@code build()}
 * and checked there: a setter called later changes the builder, never a built engine. Immutable
 * (the storages, receivers and callbacks it refers to are the user's).
 */
record EngineConfig(
    Function<String, Storage> dataStorage,
    Storage metadataStorage,
    Duration batchInterval,
    Duration blockInterval,
    Durability durability,
    Map<String, Receiver> receivers,
    BatchProcessor processor,
    int maxBlockBytes,
    long maxBufferedBytes,
    BackPressure backPressure,
    long maxRecordsPerSecond,
    long dataSegmentSize,
    long metadataSegmentSize,
    Consumer<BatchStats> onBatchCompleted) {

  EngineConfig {
    receivers = Collections.unmodifiableMap(new LinkedHashMap<>(receivers)); // keeps their order
  }

  /** Largest metadata record: a snapshot must fit in half a segment, so compaction can roll. */
  int metadataMaxRecordSize() {
    return (int) (metadataSegmentSize / 2);
  }
}
