/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Cuts frames at their u32 length ({@link WireFormat}), refusing a length over the maximum before
 * reading the frame (fail fast, nothing buffered), and a frame whose bytes take longer than
 * {@code frameTimeout} to arrive once its first byte did: a slowloris trickle that the idle
 * timeout alone, reset by every byte, would never end. Each frame is handed on without its length
 * field; the next handler releases it.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
  private final long frameTimeoutNanos;
  private long partialSince; // 0: no partial frame buffered; only the channel's event loop

  FrameDecoder(int maxFrameBytes, long frameTimeoutNanos) {
    super(maxFrameBytes, 0, WireFormat.LENGTH_FIELD, 0, WireFormat.LENGTH_FIELD, true);
    this.frameTimeoutNanos = frameTimeoutNanos;
  }

  /** A frame that kept arriving for longer than the frame timeout. */
  static final class SlowFrameException extends RuntimeException {
    SlowFrameException(String message) {
      super(message);
    }
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    Object frame = super.decode(ctx, in);
    if (frame != null || !in.isReadable()) {
      partialSince = 0;
    } else if (partialSince == 0) {
      partialSince = System.nanoTime();
    } else if (System.nanoTime() - partialSince > frameTimeoutNanos) {
      throw new SlowFrameException("a frame took more than " + frameTimeoutNanos / 1_000_000
          + " ms (frameTimeout) to arrive, " + in.readableBytes() + " bytes so far");
    }
    return frame;
  }
}
