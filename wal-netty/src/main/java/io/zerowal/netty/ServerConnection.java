/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of an {@link IngestServer}: the handshake (version, token), then BATCH
 * frames handed to the server, ACK and ERROR frames written back. A connection that breaks the
 * protocol is closed with its reason logged; it never affects the others or the log. Each frame
 * is released once, when {@link #channelRead0} returns.
 */
final class ServerConnection extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

  private final IngestServer server;
  private long producerId;
  private boolean welcomed; // only the event loop
  private volatile boolean closing;
  private boolean flushQueued; // only the event loop
  private ScheduledFuture<?> handshakeDeadline;

  ServerConnection(IngestServer server) {
    this.server = server;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    long timeout = server.frameTimeout().toMillis();
    handshakeDeadline = ctx.executor().schedule(() -> {
      if (!welcomed && ctx.channel().isActive()) {
        log.warn("closing {}: no handshake within {} ms (frameTimeout)",
            ctx.channel().remoteAddress(), timeout);
        ctx.close();
      }
    }, timeout, TimeUnit.MILLISECONDS);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (handshakeDeadline != null) {
      handshakeDeadline.cancel(false);
    }
    super.channelInactive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (closing) {
      return; // the rest of what a refused client pipelined is dropped, unread
    }
    if (!frame.isReadable()) {
      throw new WireFormat.MalformedFrameException("empty frame: no type byte");
    }
    byte type = frame.readByte();
    if (!welcomed) {
      if (type != WireFormat.HELLO) {
        throw new WireFormat.MalformedFrameException("first frame has type " + type
            + ", not HELLO (" + WireFormat.HELLO + ")");
      }
      hello(ctx, WireFormat.readHello(frame));
      return;
    }
    if (type != WireFormat.BATCH) {
      throw new WireFormat.MalformedFrameException("frame type " + type + " after the handshake;"
          + " only BATCH (" + WireFormat.BATCH + ") may follow");
    }
    List<ByteBuffer> records = new ArrayList<>();
    long[] header = WireFormat.readBatchHeader(frame, records);
    if (header[0] != producerId) {
      throw new WireFormat.MalformedFrameException("BATCH of producer "
          + Long.toHexString(header[0]) + " on the connection of producer "
          + Long.toHexString(producerId));
    }
    if (header[1] < 1) {
      throw new WireFormat.MalformedFrameException("BATCH sequence " + header[1]
          + ": sequences start at 1");
    }
    server.onBatch(this, ctx.channel(), producerId, header[1], records);
  }

  private void hello(ChannelHandlerContext ctx, WireFormat.Hello hello) {
    if (hello.version() != WireFormat.VERSION) {
      refuse(ctx.channel(), IngestError.UNSUPPORTED_VERSION, 0, "protocol version "
          + hello.version() + " is not supported; this server speaks " + WireFormat.VERSION);
      return;
    }
    if (!server.tokenMatches(hello.token())) {
      log.warn("closing {}: wrong or missing token", ctx.channel().remoteAddress());
      refuse(ctx.channel(), IngestError.UNAUTHORIZED, 0, "wrong or missing token");
      return;
    }
    producerId = hello.producerId();
    welcomed = true;
    handshakeDeadline.cancel(false);
    ctx.writeAndFlush(WireFormat.welcome(ctx.alloc(), server.maxInFlight(),
        server.maxFrameBytes(), server.highest(producerId)));
  }

  /**
   * Writes an ACK; from any thread. The acks of one group commit complete together: each is
   * written on the event loop and one flush, queued behind them, sends them in one go.
   */
  void ack(Channel ch, long producer, long sequence, byte status) {
    if (ch.eventLoop().inEventLoop()) {
      writeAck(ch, producer, sequence, status);
    } else {
      ch.eventLoop().execute(() -> writeAck(ch, producer, sequence, status));
    }
  }

  private void writeAck(Channel ch, long producer, long sequence, byte status) {
    ch.write(WireFormat.ack(ch.alloc(), producer, sequence, status), ch.voidPromise());
    if (!flushQueued) {
      flushQueued = true;
      ch.eventLoop().execute(() -> {
        flushQueued = false;
        ch.flush();
      });
    }
  }

  /** Writes an ERROR and keeps the connection open; from any thread. */
  void reply(Channel ch, IngestError code, long sequence, String message) {
    ch.writeAndFlush(WireFormat.error(ch.alloc(), code, sequence, message));
  }

  /** Writes an ERROR, then closes the connection; from any thread. */
  void refuse(Channel ch, IngestError code, long sequence, String message) {
    closing = true;
    log.debug("closing {}: {} {}", ch.remoteAddress(), code, message);
    ch.writeAndFlush(WireFormat.error(ch.alloc(), code, sequence, message))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      log.debug("closing {}: idle for idleTimeout", ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
    Channel ch = ctx.channel();
    if (closing) {
      ctx.close();
    } else if (c instanceof TooLongFrameException) {
      log.warn("closing {}: {}", ch.remoteAddress(), c.getMessage());
      refuse(ch, IngestError.FRAME_TOO_LARGE, 0, "frame over maxFrameBytes "
          + server.maxFrameBytes() + ": " + c.getMessage());
    } else if (c instanceof WireFormat.MalformedFrameException
        || c instanceof CorruptedFrameException || c instanceof FrameDecoder.SlowFrameException) {
      log.warn("closing {}: malformed input: {}", ch.remoteAddress(), c.getMessage());
      refuse(ch, IngestError.MALFORMED_FRAME, 0, c.getMessage());
    } else if (c instanceof NotSslRecordException || c instanceof SSLException) {
      log.warn("closing {}: TLS handshake failed: {}", ch.remoteAddress(), c.toString());
      ctx.close();
    } else if (c instanceof IOException) {
      log.debug("connection {} broke: {}", ch.remoteAddress(), c.toString());
      ctx.close();
    } else {
      log.warn("closing {}: {}", ch.remoteAddress(), c.toString(), c);
      ctx.close();
    }
  }
}
