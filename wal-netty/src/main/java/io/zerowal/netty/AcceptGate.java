/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Stops the listening socket from accepting while the process is near its limit of open files,
 * so that a flood of connections cannot take the descriptors the logs and the processor need
 * (a failed segment roll or sink file fails the engine, and every client with it).
 *
 * <p>It sits in the listening channel's pipeline, which reads one accepted connection at a time
 * ({@link IngestServer} sets {@code maxMessagesPerRead} to 1). When the process is near the
 * limit, the connection just accepted is marked {@link #REFUSED} (the server answers it
 * TOO_MANY_CONNECTIONS, which clients retry later) and the listening channel stops reading: new
 * connections wait in the kernel's backlog, holding no descriptor of this process, until a check
 * every {@value #RECHECK_MILLIS} ms finds room again. So accepting never takes more than one
 * descriptor past the reserve. Checking when a connection is accepted, not when it is initialized
 * on its event loop, is the point: the listening channel could otherwise accept up to the limit
 * itself before the first refusal closed anything.
 */
final class AcceptGate extends ChannelInboundHandlerAdapter {
  /** Set on an accepted connection the server must refuse: the process is near its file limit. */
  static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("zerowal.nearFileLimit");

  static final long RECHECK_MILLIS = 100;

  private final BooleanSupplier nearLimit;
  private boolean closed; // only on the listening channel's event loop

  /**
   * A gate asking {@code nearLimit} whether the process is near its limit of open files.
   *
   * @param nearLimit true when one more connection would eat into the reserve
   */
  AcceptGate(BooleanSupplier nearLimit) {
    this.nearLimit = nearLimit;
  }

  /** A gate on this process's open files: see {@link #nearFileLimit()}. */
  static AcceptGate forThisProcess() {
    return new AcceptGate(AcceptGate::nearFileLimit);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child && nearLimit.getAsBoolean()) {
      child.attr(REFUSED).set(Boolean.TRUE);
      if (!closed) {
        closed = true;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> recheck(ctx), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void recheck(ChannelHandlerContext ctx) {
    if (!ctx.channel().isOpen()) {
      return;
    }
    if (nearLimit.getAsBoolean()) {
      ctx.executor().schedule(() -> recheck(ctx), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      closed = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * True if the process holds so many open files that one more connection would eat into what
   * the logs and the processor need: the last eighth of {@code ulimit -n}, at least 32. Also true
   * when the count itself cannot be taken because no descriptor is left to list them with.
   */
  static boolean nearFileLimit() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    if (bean instanceof UnixOperatingSystemMXBean os) {
      try {
        long max = os.getMaxFileDescriptorCount();
        long reserve = Math.max(32, max / 8);
        return max > 0 && os.getOpenFileDescriptorCount() > max - reserve;
      } catch (InternalError | RuntimeException e) {
        return true; // "Unable to open directory /proc/self/fd": at the limit already
      }
    }
    return false;
  }
}
