/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Where a log's bytes live: the storage SPI and its two built-in implementations.
 *
 * <ul>
 *   <li><b>The SPI</b> (public): {@link io.zerowal.core.storage.Storage} (a flat namespace of files:
 *       lock, list, create, open, truncate, rename, delete, directory sync),
 *       {@link io.zerowal.core.storage.SegmentOutput} (append, flush, sync) and
 *       {@link io.zerowal.core.storage.SegmentInput} (positional reads). Their Javadoc is the
 *       durability contract; {@code StorageContractTest} in the core's test-jar checks an
 *       implementation against it (wal-hdfs runs it against HDFS).</li>
 *   <li><b>{@link io.zerowal.core.storage.LocalStorage}</b>: one local directory through
 *       {@code FileChannel}; {@code force(false)} for sync, directory fsync after namespace
 *       changes, an OS file lock re-checked against the lock file's identity, files 0600 and
 *       directory 0700. Package-private helpers: {@code LocalSegmentOutput},
 *       {@code LocalSegmentInput}, {@code LocalFiles} (zero-filling, error translation),
 *       {@code FileNames} (refuses names that leave the directory).</li>
 *   <li><b>{@link io.zerowal.core.storage.MemoryStorage}</b>: for tests, users' and ours. It keeps
 *       what the process sees apart from what the medium holds ({@code MemoryFile},
 *       {@code MemoryBytes}), so that {@code crash(seed)} can return the storage as a power loss
 *       leaves it, and injects faults (failed writes or syncs, a full disk).</li>
 * </ul>
 */
package io.zerowal.core.storage;
