/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * The log holds bytes that fail a check of the format: a bad CRC, an impossible length, a gap or
 * repeat in sequences, an unreadable segment header. Names the segment file and the byte offset.
 *
 * <p>What to do: keep the files for inspection; open the log with
 * {@link RecoveryPolicy#SKIP_CORRUPT} to skip the damaged records (they are reported, and the
 * damaged segment is kept aside as {@code .corrupt}), or restore the segment from a replica.
 */
public final class CorruptLogException extends WalException {
  private static final long serialVersionUID = 1L;

  /** The segment file the damage is in. */
  private final String segment;
  /** The byte offset in the segment where the damaged frame or header starts. */
  private final long offset;
  /** What is wrong, without the location and the advice. */
  private final String problem;

  /**
   * Creates the exception; its message names the segment, the offset and what to do.
   *
   * @param segment the segment file the damage is in
   * @param offset the byte offset in the segment where the damaged frame or header starts
   * @param problem what is wrong, such as {@code "CRC mismatch"}
   */
  public CorruptLogException(String segment, long offset, String problem) {
    super(problem + " in segment " + segment + " at offset " + offset
        + "; keep the files for inspection, and open the log with RecoveryPolicy.SKIP_CORRUPT to skip"
        + " the damaged records");
    this.segment = segment;
    this.offset = offset;
    this.problem = problem;
  }

  /**
   * {@return what is wrong, without the segment, the offset and the advice of {@link
   * #getMessage()}}
   */
  public String problem() {
    return problem;
  }

  /** {@return the segment file the corruption is in} */
  public String segment() {
    return segment;
  }

  /** {@return the byte offset in {@link #segment()} where the damaged frame or header starts} */
  public long offset() {
    return offset;
  }
}
