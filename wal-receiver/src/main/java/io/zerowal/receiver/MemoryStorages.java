/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.storage.MemoryStorage;
import io.zerowal.core.storage.Storage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The disks of one engine in memory, for users' engine tests: a {@link MemoryStorage} for the
 * metadata log and one per receiver, created on first use, so that a test can pull the plug on
 * the whole engine at once with {@link #crashAll(long)} and start a new engine on what survived.
 *
 * <pre>{@code
 * MemoryStorages disks = new MemoryStorages();
 * MicroBatchEngine engine = disks.configure(MicroBatchEngine.builder())
 *     .receiver("orders", source).processor(sink).build();
 * engine.start();
 * ...                                              // stores acknowledged, batches run
 * MemoryStorages afterPowerLoss = disks.crashAll(42L);  // every log as a power loss leaves it
 * engine.stopNow();                                // the old engine's storages are dead
 * MicroBatchEngine restarted = afterPowerLoss.configure(MicroBatchEngine.builder())
 *     .receiver("orders", resumedSource).processor(sink).build();
 * restarted.start();                               // recovers: re-runs, then new batches
 * }</pre>
 *
 * <p>Durability: as {@link MemoryStorage#crash(long)}: synced bytes survive, unsynced suffixes
 * are cut at seeded random points; the same seed gives the same damage (thread timing aside).
 * Thread-safe.
 */
public final class MemoryStorages {
  /** The name of the metadata log's storage in {@link #storages()}. */
  public static final String METADATA = "metadata";

  private final Map<String, MemoryStorage> storages; // guarded by this

  /** Empty disks: a fresh metadata storage, receivers' storages made on first use. */
  public MemoryStorages() {
    this(new LinkedHashMap<>());
    storages.put(METADATA, new MemoryStorage(METADATA));
  }

  private MemoryStorages(Map<String, MemoryStorage> storages) {
    this.storages = storages;
  }

  /**
   * Sets {@code builder}'s data and metadata storages to these disks, and returns it.
   *
   * @param builder the engine's builder
   * @return {@code builder}, for chaining
   */
  public MicroBatchEngine.Builder configure(MicroBatchEngine.Builder builder) {
    return builder.dataStorage(this::data).metadataStorage(metadata());
  }

  /** {@return the storage of the metadata log} */
  public synchronized MemoryStorage metadata() {
    return storages.get(METADATA);
  }

  /**
   * The storage of receiver {@code receiverId}'s data log, made on first use.
   *
   * @param receiverId the receiver's id
   * @return the storage of that receiver's data log, the same on every call
   */
  public synchronized MemoryStorage data(String receiverId) {
    Objects.requireNonNull(receiverId, "receiverId");
    if (receiverId.equals(METADATA)) {
      throw new IllegalArgumentException("\"" + METADATA + "\" names the metadata storage here,"
          + " and receiver ids cannot be \"metadata\"");
    }
    return storages.computeIfAbsent(receiverId, MemoryStorage::new);
  }

  /** {@return every storage made so far, by name ({@link #METADATA} or a receiver id)} */
  public synchronized Map<String, MemoryStorage> storages() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(storages));
  }

  /**
   * Simulates a power loss of every disk at once: returns the disks as it leaves them, each
   * storage crashed with a seed derived from {@code seed} and its name (so that the logs are cut
   * at different points); these disks and every storage they made fail every later call, so the
   * engine running on them fails too: stop it with {@link MicroBatchEngine#stopNow()}.
   *
   * @param seed chooses, with each storage's name, which unsynced writes survive; replayable
   * @return new disks holding what survived, for the next engine
   */
  public synchronized MemoryStorages crashAll(long seed) {
    Map<String, MemoryStorage> survived = new LinkedHashMap<>();
    storages.forEach((name, s) -> survived.put(name, s.crash(seed * 31 + name.hashCode())));
    return new MemoryStorages(survived);
  }

  /**
   * {@return bytes held by all storages, synced or not: disk use in tests of cleanup and
   * back-pressure}
   */
  public synchronized long usedBytes() {
    long n = 0;
    for (MemoryStorage s : storages.values()) {
      n += s.usedBytes();
    }
    return n;
  }
}
