/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.Objects;

/**
 * One failure of one receiver, as handed to {@link FailureListener#onReceiverFailure}: who, why,
 * and what the engine does about it. Immutable, thread-safe.
 */
public final class ReceiverFailure {
  /** What the engine does about a receiver's failure. */
  public enum Outcome {
    /** Only reported ({@link ReceiverContext#reportError}): the receiver keeps running. */
    REPORTED,
    /** The receiver is being stopped and started again ({@link #attempt()} says which time). */
    RESTARTING,
    /** The receiver is stopped for good; the other receivers keep running. */
    STOPPED,
    /** The receiver is stopped and the engine with it. */
    ENGINE_STOPPING
  }

  private final String receiverId;
  private final String message;
  private final Throwable error;
  private final Outcome outcome;
  private final int attempt;

  ReceiverFailure(String receiverId, String message, Throwable error, Outcome outcome,
      int attempt) {
    this.receiverId = Objects.requireNonNull(receiverId, "receiverId");
    this.message = Objects.requireNonNull(message, "message");
    this.error = error;
    this.outcome = outcome;
    this.attempt = attempt;
  }

  /** {@return the id of the receiver that failed} */
  public String receiverId() {
    return receiverId;
  }

  /** {@return the receiver's own words} */
  public String message() {
    return message;
  }

  /**
   * The error, if one was given; may be null.
   *
   * @return the error, or null
   */
  public Throwable error() {
    return error;
  }

  /** {@return what the engine does about the failure} */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * For {@link Outcome#RESTARTING}, the number of this consecutive restart (1 first); else 0.
   *
   * @return the restart's number, or 0
   */
  public int attempt() {
    return attempt;
  }

  @Override
  public String toString() {
    return "ReceiverFailure{" + receiverId + ": " + message + (error == null ? "" : " (" + error
        + ")") + ", " + outcome + (attempt > 0 ? " attempt " + attempt : "") + "}";
  }
}
