/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One append waiting for the writer: it is at once the future handed to the caller and the node of
 * the writer's queue, so an append allocates nothing but this object and, on completion, its
 * {@link RecordHandle}.
 */
final class PendingAppend extends LogFuture<RecordHandle> {
  /**
   * The caller's buffer, written by the appender before it enqueues, read and cleared by the writer
   * thread. Only the bytes at {@code position .. position + length}, as captured when append was
   * called, are read: the buffer's own position and limit are the caller's to change.
   */
  ByteBuffer payload;
  final int position;
  final int length;
  /** Assigned by the writer thread while it builds the group. */
  long sequence;
  long offset;
  long segment;
  /** Queue link, written by the producer that enqueues the next node. */
  volatile PendingAppend next;
  /** 0 while queued; {@link #WRITER} once the writer frames it; {@link #ABANDONED} if given up. */
  private volatile int claim;

  static final int WRITER = 1;
  static final int ABANDONED = 2;
  private static final VarHandle CLAIM;

  static {
    try {
      CLAIM = MethodHandles.lookup().findVarHandle(PendingAppend.class, "claim", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  PendingAppend(GroupCommitWriter owner, ByteBuffer payload, int position, int length) {
    super(owner);
    this.payload = payload;
    this.position = position;
    this.length = length;
  }

  /**
   * The writer takes the append before framing it. Fails only if the appender abandoned it first
   * (the log closed under it), so a record is either written or reported as not written, never both.
   */
  boolean claimForWriter() {
    return CLAIM.compareAndSet(this, 0, WRITER);
  }

  /** The appender gives the append up; fails if the writer already took it. */
  boolean abandon() {
    return CLAIM.compareAndSet(this, 0, ABANDONED);
  }

  boolean claimedByWriter() {
    return claim == WRITER;
  }

  /** Bytes this append takes on disk, the unit of back-pressure accounting. */
  long frameSize() {
    return RecordFrame.frameSize(length);
  }
}
