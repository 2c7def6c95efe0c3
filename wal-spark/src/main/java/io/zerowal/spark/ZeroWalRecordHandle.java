/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.spark;

import io.zerowal.core.RecordHandle;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.streaming.util.WriteAheadLogRecordHandle;

/**
 * Where Spark finds a record again: the log's directory (a normalized URI) and the ZeroWAL
 * {@link RecordHandle} in its {@link RecordHandle#toBytes() encoded} form, signed by that log.
 * Spark keeps it in its block metadata (the driver's log and checkpoints) and gives it to
 * {@link ZeroWalSparkLog#read} of any instance, in any JVM: the directory says which log to read.
 * Serializable, immutable, thread-safe.
 */
public final class ZeroWalRecordHandle extends WriteAheadLogRecordHandle {
  private static final long serialVersionUID = 1L;

  /** The normalized URI of the log's directory. */
  private final String directory;
  /** {@link RecordHandle#toBytes()} of the record's handle in that log. */
  private final byte[] recordHandle;

  ZeroWalRecordHandle(String directory, RecordHandle handle) {
    this.directory = directory;
    this.recordHandle = handle.toBytes();
  }

  /**
   * The directory of the log holding the record.
   *
   * @return a normalized URI, such as {@code hdfs://nn:8020/wal/driver} or {@code file:///wal/driver}
   */
  public String directory() {
    return directory;
  }

  /**
   * The ZeroWAL handle of the record in that log.
   *
   * @return the handle decoded from its bytes
   * @throws IllegalArgumentException if the bytes were damaged (the handle's CRC fails)
   */
  public RecordHandle recordHandle() {
    return RecordHandle.fromBytes(recordHandle);
  }

  /**
   * Refuses serialized bytes that lack a field or hold a handle of the wrong size.
   *
   * @param in the stream
   * @throws java.io.IOException if the stream fails or the bytes are damaged
   * @throws ClassNotFoundException never for this class's fields
   */
  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (directory == null || recordHandle == null
        || recordHandle.length != RecordHandle.ENCODED_SIZE) {
      throw new java.io.InvalidObjectException("a ZeroWalRecordHandle needs a directory and a "
          + RecordHandle.ENCODED_SIZE + "-byte record handle: the serialized bytes are damaged");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZeroWalRecordHandle
        && directory.equals(((ZeroWalRecordHandle) o).directory)
        && Arrays.equals(recordHandle, ((ZeroWalRecordHandle) o).recordHandle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(directory, Arrays.hashCode(recordHandle));
  }

  @Override
  public String toString() {
    return "ZeroWalRecordHandle{" + directory + ", " + recordHandle() + "}";
  }
}
