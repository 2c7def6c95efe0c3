/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core;

/**
 * The durable end of the log as the writer last published it: the segment being written, the offset
 * up to which its frames are complete ({@code -1} once the log is closed), and the next sequence.
 * Readers bound themselves by one snapshot of it, so they never see a half-written group. One per
 * group.
 */
record Tail(long segmentBase, long segmentEnd, long nextSequence) {}
