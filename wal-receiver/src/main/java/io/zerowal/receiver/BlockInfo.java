/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.RecordHandle;
import java.util.Objects;

/**
 * One stored block: a group of records from one receiver, held as one record of that receiver's
 * data log. Its id is the sequence of that record, so it is unique per receiver and stable across
 * restarts. Immutable and thread-safe.
 */
public final class BlockInfo {
  private final String receiverId;
  private final int recordCount;
  private final long bytes;
  private final RecordHandle handle;

  BlockInfo(String receiverId, int recordCount, long bytes, RecordHandle handle) {
    this.receiverId = Objects.requireNonNull(receiverId, "receiverId");
    this.recordCount = recordCount;
    this.bytes = bytes;
    this.handle = Objects.requireNonNull(handle, "handle");
  }

  /** {@return the receiver that stored the block} */
  public String receiverId() {
    return receiverId;
  }

  /** {@return the block's id: the sequence of its record in the receiver's data log} */
  public long blockId() {
    return handle.sequence();
  }

  /** {@return how many records the block holds} */
  public int recordCount() {
    return recordCount;
  }

  /** {@return the sum of the records' payload sizes, without framing} */
  public long bytes() {
    return bytes;
  }

  /** {@return where the block lives in the receiver's data log} */
  public RecordHandle handle() {
    return handle;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BlockInfo)) {
      return false;
    }
    BlockInfo b = (BlockInfo) o;
    return recordCount == b.recordCount && bytes == b.bytes && receiverId.equals(b.receiverId)
        && handle.equals(b.handle);
  }

  @Override
  public int hashCode() {
    return receiverId.hashCode() * 31 + handle.hashCode();
  }

  @Override
  public String toString() {
    return "BlockInfo{receiver=" + receiverId + ", block=" + blockId() + ", records=" + recordCount
        + ", bytes=" + bytes + "}";
  }
}
