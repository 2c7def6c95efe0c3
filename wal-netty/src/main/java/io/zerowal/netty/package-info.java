/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Network ingest on Netty: a TCP front door to a receiver whose acknowledgement means "durable in
 * the receiver's log", exactly once per producer batch. The wire protocol is docs/PROTOCOL.md.
 *
 * <h2>API (public)</h2>
 * <ul>
 *   <li>{@link io.zerowal.netty.IngestServer}: a {@link io.zerowal.receiver.Receiver} to
 *       register with a {@link io.zerowal.receiver.MicroBatchEngine}; its builder holds the
 *       protection options (loopback by default, TLS, token, frame and connection limits,
 *       timeouts, back-pressure).</li>
 *   <li>{@link io.zerowal.netty.IngestClient}: {@code send(records)} returns a future completing
 *       with a {@link io.zerowal.netty.BatchAck} once the batch is durable; retries without
 *       duplicating; {@link io.zerowal.netty.IngestException} and
 *       {@link io.zerowal.netty.IngestError} when it cannot.</li>
 * </ul>
 *
 * <h2>Inside (package-private)</h2>
 * <ul>
 *   <li>{@code WireFormat}: the bytes of every frame, the only code that knows them.</li>
 *   <li>{@code FrameDecoder}: Netty's {@code LengthFieldBasedFrameDecoder} with the frame
 *       timeout (slowloris).</li>
 *   <li>{@code AcceptGate}: on the listening channel, stops accepting near the process's limit
 *       of open files.</li>
 *   <li>{@code ServerConnection}: one connection's handshake, batches and replies.</li>
 *   <li>{@code ProducerTable}: the highest sequence per producer, stored as each block's metadata
 *       and rebuilt from the last durable block on start.</li>
 * </ul>
 *
 * <h2>One batch</h2>
 * The client numbers the batch, encodes it once and keeps it. The server's frame decoder cuts the
 * frame (pooled buffer); {@code ServerConnection} decodes it into views; {@code IngestServer},
 * under its table lock, checks the sequence, advances the table and calls
 * {@code ReceiverContext.store(records, table snapshot)}, which copies the records into a block;
 * the frame is released when the handler returns. When the store's future completes, the ACK is
 * written; the client completes the batch's future and frees its slot. After a crash, the
 * restarted server's table says which retried batches it already holds.
 */
package io.zerowal.netty;
