/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The log: a crash-safe, segmented write-ahead log with CRC-framed records and group commit.
 *
 * <h2>The API (public)</h2>
 * {@link io.zerowal.core.WriteAheadLog} (and its {@code Builder}) is the entry point:
 * {@code append}, {@code read}, {@code readFrom}, {@code truncateBefore}, {@code verify},
 * {@code stats}, {@code recoveryReport}. Around it: {@link io.zerowal.core.RecordHandle} (where a
 * record lives, signed by its log), {@link io.zerowal.core.LogReader} and
 * {@link io.zerowal.core.LogRecord} (replay), {@link io.zerowal.core.Durability},
 * {@link io.zerowal.core.BackPressure}, {@link io.zerowal.core.RecoveryPolicy},
 * {@link io.zerowal.core.LogStats} (with {@link io.zerowal.core.LatencySnapshot}, the append-to-durable
 * latency), {@link io.zerowal.core.RecoveryReport}, and the exceptions
 * rooted at {@link io.zerowal.core.WalException}. {@link io.zerowal.core.ReadOnlyLog} (from
 * {@code Builder.openReadOnly()}, with {@link io.zerowal.core.SegmentInfo}) looks at a log without
 * lock or repair, for tools and for reading a log another process writes. Everything else here is
 * package-private.
 *
 * <h2>The map (package-private files, by job)</h2>
 * <ul>
 *   <li><b>Format</b> (docs/FORMAT.md is the authority): {@code SegmentHeader} (36 bytes, log id),
 *       {@code RecordFrame} (the one frame codec: named offsets, encode, field readers, CRC
 *       masking, the footer), {@code FramesCrc} (the footer's check), {@code SegmentName},
 *       {@code LogId}, and {@code Segment.follows}, the one sequence rule.</li>
 *   <li><b>Writing</b>: {@code PendingAppend} (an append: future and queue node at once),
 *       {@code AppendQueue} (lock-free many-producer queue), {@code PendingBytes}
 *       (back-pressure), {@code GroupCommitWriter} (the one writer thread: drain, frame, write,
 *       sync once, complete), {@code GroupBuffer} (a group's frames for the gathering write),
 *       {@code OpenSegment} (the segment being written and its {@code seal()}),
 *       {@code Completer} (completes futures off the writer thread), {@code SyncBehind} (SYNC:
 *       syncs written groups while the writer writes the next), {@code LogFuture} (refuses
 *       waits that would deadlock the log), {@code BackgroundSyncer}, {@code SegmentPreallocator},
 *       {@code SegmentRecycler} (truncated segments' files kept for the next rolls),
 *       {@code LatencyHistogram} (append-to-durable latency, recorded once per group).</li>
 *   <li><b>Reading</b>: {@code SegmentIndex} and {@code Tail} (what readers may read, lock-free),
 *       {@code HandleReader} and {@code SegmentInputs} (random reads through a bounded set of open
 *       files), {@code FrameScanner} (sequential frame decoding for replay, recovery and verify),
 *       {@code LogVerifier}.</li>
 *   <li><b>Recovery</b> (on {@code open}), kept apart from the happy path as etcd keeps
 *       {@code repair.go}: {@code LogRecovery} (index rebuild, the order of the segments),
 *       {@code SegmentCheck} (read-only header, footer and scan checks), {@code TailRepair} (the
 *       last segment: torn tails), {@code Salvage} (SKIP_CORRUPT rebuilds and gap segments),
 *       {@code FrameResync} (the next valid frame after damage, in bounded memory),
 *       {@code RecoveryFindings}; {@code DryRunStorage}, the storage a read-only open runs the same
 *       recovery on: it writes nothing and lists the changes a real open would make.</li>
 * </ul>
 *
 * <h2>One append</h2>
 * {@code WriteAheadLog.append} validates and captures the caller's bytes, reserves room in
 * {@code PendingBytes}, and enqueues a {@code PendingAppend} on the {@code AppendQueue} (waking the
 * writer only if it sleeps). {@code GroupCommitWriter} drains the queue, frames each record into its
 * {@code GroupBuffer} (assigning sequences, feeding {@code OpenSegment}'s record count and
 * {@code FramesCrc}), writes the group with one gathering write, syncs or flushes once per
 * {@link io.zerowal.core.Durability}, publishes the new {@code Tail} to the {@code SegmentIndex}, and
 * hands the group to the {@code Completer} (or completes it inline when small): each future
 * completes with its signed {@code RecordHandle}. In SYNC, when more appends already wait (or a
 * sync is in flight), the sync, the tail and the hand-over to the {@code Completer} are left to
 * {@code SyncBehind}, whose next sync covers every group written before it starts, while the
 * writer writes the next group; a lone appender is synced inline. When the segment is full, {@code OpenSegment.seal()}
 * writes the footer and syncs before the next segment is created.
 *
 * <h2>One recovery</h2>
 * {@code LogRecovery.run} finishes interrupted salvages, lists segments by base sequence, takes the
 * log id from the first readable header ({@code SegmentCheck.identify}), then walks the segments:
 * a gap or overlap between them is corruption (STRICT fails; SKIP_CORRUPT calls {@code Salvage});
 * a segment before the last is checked by {@code SegmentCheck} (header and footer only when sealed);
 * the last goes to {@code TailRepair}, which cuts a torn tail durably and reopens the segment for the
 * writer. The result, an index of closed segments, an {@code OpenSegment} to continue in and a
 * {@link io.zerowal.core.RecoveryReport}, is handed to the writer.
 *
 * <p>Threads of an open log: the writer, the completer, the sync-behind thread (SYNC) or, when
 * used, the background syncer (FLUSH/NONE), and the preallocator. Callers' threads append and read concurrently.
 */
package io.zerowal.core;
