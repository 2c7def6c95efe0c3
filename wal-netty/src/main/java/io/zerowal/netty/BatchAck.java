/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

/**
 * The server's acknowledgement of one batch: its records are durable in the receiver's log.
 *
 * @param producerId the producer that sent the batch
 * @param sequence the batch's sequence within the producer, from 1
 * @param duplicate true if the server had stored this batch already (a retry whose first ACK was
 *     lost) and did not store it again; either way the batch is stored exactly once
 */
public record BatchAck(long producerId, long sequence, boolean duplicate) {}
