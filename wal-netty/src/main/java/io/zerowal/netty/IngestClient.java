/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches of records to an {@link IngestServer}; each batch's future completes when the
 * server acknowledged it, that is once the batch is durable in the receiver's log.
 *
 * <pre>{@code
 * try (IngestClient client = IngestClient.builder(new InetSocketAddress("127.0.0.1", 7400))
 *     .build()) {
 *   client.send(List.of(ByteBuffer.wrap(bytes))).thenAccept(ack -> markDelivered(...));
 * }
 * }</pre>
 *
 * <h2>Exactly once</h2>
 * The client numbers its batches 1, 2, 3... under its producer id (continuing after the highest
 * the server stored for that id) and keeps each batch until its ACK. On an ACK timeout, a lost
 * connection, a server restart or a retriable refusal (BUSY, UNAVAILABLE), it reconnects with
 * exponential backoff and sends every unacknowledged batch again, in order; the server stores
 * each batch once and answers a repeat with a DUPLICATE ack. A batch not acknowledged within
 * {@code deliveryTimeout}, or a refusal that cannot be retried (a wrong token, an old sequence),
 * fails the client: every pending future completes with an {@link IngestException}, and the
 * records must be treated as not delivered. Records of batches sent by a previous client
 * instance and never acknowledged are that instance's to resend.
 *
 * <h2>Flow control</h2>
 * At most {@code maxInFlight} batches are unacknowledged; {@link #send} blocks for a free slot up
 * to {@code maxBlockTime}.
 *
 * <p>Thread-safe: any number of threads may send. Futures complete on the client's I/O thread:
 * keep callbacks short. A {@link #send} from a callback never waits for a slot (only that thread
 * reads the ACKs that free one): with {@code maxInFlight} batches unacknowledged it throws
 * {@link IllegalStateException}; send from another thread ({@code thenRunAsync}) instead.
 * {@link #close} from a callback returns at once and finishes on a thread of its own.
 */
public final class IngestClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestClient.class);
  private static final int SEQUENCE_OFFSET = WireFormat.LENGTH_FIELD + 1 + 8;

  private enum State { OPEN, CLOSING, CLOSED, FAILED }

  private final InetSocketAddress server;
  private final long producerId;
  private final byte[] token;
  private final SslContext sslContext;
  private final int maxInFlight;
  private final int maxBatchBytes;
  private final long ackTimeoutNanos;
  private final long deliveryTimeoutNanos;
  private final Duration maxBlockTime;
  private final long minBackoffMillis;
  private final long maxBackoffMillis;

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final Semaphore slots;
  private final ScheduledFuture<?> timer;

  private final Object lock = new Object();
  private final TreeMap<Long, Pending> unacked = new TreeMap<>(); // guarded by lock
  private final ArrayDeque<Pending> unnumbered = new ArrayDeque<>(); // before the first WELCOME
  private long nextSequence; // 0 until the first WELCOME; guarded by lock
  private Channel channel; // welcomed connection, or null; guarded by lock
  private boolean connecting; // guarded by lock
  private long backoffMillis; // guarded by lock
  private State state = State.OPEN; // guarded by lock
  private long acked; // guarded by lock
  private long retries; // guarded by lock
  private String lastRefusal; // the last retriable ERROR from the server; guarded by lock
  private String lastConnectError; // the last failed connection attempt; guarded by lock

  private static final class Pending {
    final byte[] frame;
    final CompletableFuture<BatchAck> future = new CompletableFuture<>();
    final long createdNanos = System.nanoTime();
    long sequence;
    long sentNanos;

    Pending(byte[] frame) {
      this.frame = frame;
    }
  }

  private IngestClient(Builder b) {
    this.server = b.server;
    this.producerId = b.producerId;
    this.token = b.token;
    this.sslContext = b.sslContext;
    this.maxInFlight = b.maxInFlight;
    this.maxBatchBytes = b.maxBatchBytes;
    this.ackTimeoutNanos = b.ackTimeout.toNanos();
    this.deliveryTimeoutNanos = b.deliveryTimeout.toNanos();
    this.maxBlockTime = b.maxBlockTime != null ? b.maxBlockTime : b.deliveryTimeout;
    this.minBackoffMillis = b.minBackoff.toMillis();
    this.maxBackoffMillis = b.maxBackoff.toMillis();
    this.backoffMillis = minBackoffMillis;
    this.slots = new Semaphore(maxInFlight);
    this.group = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("zerowal-ingest-client", true), NioIoHandler.newFactory());
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, b.ackTimeout.toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (sslContext != null) {
              ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc(),
                  server.getHostString(), server.getPort()));
            }
            ch.pipeline().addLast("frames", new FrameDecoder(64 << 10, Long.MAX_VALUE))
                .addLast("ingest", new Connection());
          }
        });
    long tick = Math.max(10, b.ackTimeout.toMillis() / 4);
    this.timer = group.next().scheduleAtFixedRate(this::checkTimeouts, tick, tick,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Options of a client of the server at {@code server}.
   *
   * @param server the server's address (its {@link IngestServer#localAddress()}), port 1 to
   *     65535
   * @return a builder with the defaults
   * @throws NullPointerException if {@code server} is null
   * @throws IllegalArgumentException if its port is 0
   */
  public static Builder builder(InetSocketAddress server) {
    return new Builder(server);
  }

  /**
   * The producer id the server knows this client's batches by.
   *
   * @return the id
   */
  public long producerId() {
    return producerId;
  }

  /**
   * Batches acknowledged since construction.
   *
   * @return the count
   */
  public long acknowledged() {
    synchronized (lock) {
      return acked;
    }
  }

  /**
   * Reconnections made to send unacknowledged batches again.
   *
   * @return the count since construction
   */
  public long retries() {
    synchronized (lock) {
      return retries;
    }
  }

  /**
   * Sends {@code records} as one batch, stored as one block. Reads their remaining bytes now, so
   * the buffers may be reused once this returns. Blocks while {@code maxInFlight} batches are
   * unacknowledged, at most {@code maxBlockTime}.
   *
   * @param records one or more records
   * @return a future completing with the ACK once the batch is durable on the server, or
   *     exceptionally with an {@link IngestException}
   * @throws IllegalArgumentException if {@code records} is empty or its frame exceeds
   *     {@code maxBatchBytes}
   * @throws IllegalStateException if the client is closed or failed
   * @throws IngestException if no slot freed within {@code maxBlockTime}
   * @throws InterruptedException if interrupted while waiting for a slot
   */
  public CompletableFuture<BatchAck> send(List<ByteBuffer> records) throws InterruptedException {
    Objects.requireNonNull(records, "records must not be null");
    if (records.isEmpty()) {
      throw new IllegalArgumentException("records is empty: a batch holds at least one record");
    }
    for (ByteBuffer r : records) {
      Objects.requireNonNull(r, "records must not contain null");
    }
    long size = WireFormat.batchFrameBytes(records);
    if (size > maxBatchBytes) {
      throw new IllegalArgumentException("a batch of " + records.size() + " records encodes to "
          + size + " bytes, over maxBatchBytes " + maxBatchBytes + ": send fewer records at once,"
          + " or raise maxBatchBytes and the server's maxFrameBytes");
    }
    Pending p = new Pending(WireFormat.batch(producerId, 0, records, (int) size));
    checkOpen();
    if (onIoThread()) {
      // An ack callback: only this thread reads the ACKs that free slots, so it must not wait.
      if (!slots.tryAcquire()) {
        throw new IllegalStateException("send() called on the client's I/O thread (from a"
            + " future's callback) while maxInFlight " + maxInFlight + " batches are"
            + " unacknowledged: it would wait for an ACK only this thread can read; send from"
            + " another thread (for example with thenRunAsync) or raise maxInFlight");
      }
    } else if (!slots.tryAcquire(maxBlockTime.toNanos(), TimeUnit.NANOSECONDS)) {
      String trouble;
      synchronized (lock) {
        trouble = trouble();
      }
      throw new IngestException(maxInFlight + " batches stayed unacknowledged for maxBlockTime "
          + maxBlockTime + ": is the server at " + server + " up and keeping pace?" + trouble,
          null, null);
    }
    synchronized (lock) {
      if (state != State.OPEN) {
        slots.release();
        checkOpen();
      }
      if (nextSequence == 0) {
        unnumbered.add(p);
      } else {
        number(p);
        if (channel != null) {
          writeSoon(channel, p);
        }
      }
      if (channel == null && !connecting) {
        connect();
      }
    }
    return p.future;
  }

  /**
   * Waits until every batch sent is acknowledged, at most {@code deliveryTimeout}, then closes;
   * batches still unacknowledged then fail with an {@link IngestException}.
   */
  @Override
  public void close() {
    close(Duration.ofNanos(deliveryTimeoutNanos));
  }

  /**
   * Closes the client: waits up to {@code wait} for every batch sent to be acknowledged, then
   * fails what is left with an {@link IngestException} (not delivered, as far as the caller
   * knows), closes the connection and stops the I/O thread. {@code Duration.ZERO} fails what is in
   * flight at once. Idempotent. Called on the client's I/O thread (from a future's callback),
   * it returns at once and the wait and close go on in a thread of their own, as that thread
   * reads the ACKs waited for. A wait over 365 days waits 365 days.
   *
   * @param wait how long to wait for acknowledgements, zero or more
   */
  public void close(Duration wait) {
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative()) {
      throw new IllegalArgumentException("close wait must be zero or more, got " + wait);
    }
    Duration bounded = wait.compareTo(IngestServer.Builder.MAX_DURATION) > 0
        ? IngestServer.Builder.MAX_DURATION : wait;
    long deadline = System.nanoTime() + bounded.toNanos();
    synchronized (lock) {
      if (state == State.OPEN) {
        state = State.CLOSING;
      }
    }
    if (onIoThread()) {
      // Called from a future's callback: the ACKs waited for are read by this very thread, and
      // the event loop cannot stop while it runs this, so the rest of the close runs on a thread
      // of its own and this returns at once. No batch is sent after this call.
      Thread closer = new Thread(() -> finishClose(deadline),
          "zerowal-ingest-client-close-" + Long.toHexString(producerId));
      closer.setDaemon(true);
      closer.start();
      return;
    }
    finishClose(deadline);
  }

  private void finishClose(long deadline) {
    List<Pending> left;
    synchronized (lock) {
      while (state == State.CLOSING && (!unacked.isEmpty() || !unnumbered.isEmpty())) {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
          break;
        }
        try {
          lock.wait(Math.min(ms, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      left = drain();
      if (state == State.CLOSING) {
        state = State.CLOSED;
      }
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
    IngestException e = new IngestException("the client was closed before the server"
        + " acknowledged this batch: treat it as not delivered", null, null);
    left.forEach(p -> p.future.completeExceptionally(e));
    timer.cancel(false);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- internals, under lock

  private boolean onIoThread() {
    return group.next().inEventLoop();
  }

  private void checkOpen() {
    synchronized (lock) {
      if (state == State.FAILED) {
        throw new IllegalStateException("the client failed and sends no more; build a new one",
            failure);
      }
      if (state != State.OPEN) {
        throw new IllegalStateException("the client is closed");
      }
    }
  }

  private IngestException failure; // guarded by lock

  private void number(Pending p) {
    p.sequence = nextSequence++;
    ByteBuffer.wrap(p.frame).putLong(SEQUENCE_OFFSET, p.sequence);
    unacked.put(p.sequence, p);
  }

  private void write(Channel ch, Pending p) {
    p.sentNanos = System.nanoTime();
    ch.write(Unpooled.wrappedBuffer(p.frame), ch.voidPromise());
  }

  /**
   * Writes {@code p} on {@code ch}'s event loop, in the order of the calls (made under the lock),
   * and queues a flush behind it unless one is queued already: concurrent senders share a flush.
   * The flag lives on the event loop, so a write always runs before some later flush.
   */
  private void writeSoon(Channel ch, Pending p) {
    p.sentNanos = System.nanoTime();
    ByteBuf frame = Unpooled.wrappedBuffer(p.frame);
    ch.eventLoop().execute(() -> {
      ch.write(frame, ch.voidPromise());
      Connection c = ch.pipeline().get(Connection.class);
      if (c != null && !c.flushQueued) {
        c.flushQueued = true;
        ch.eventLoop().execute(() -> {
          c.flushQueued = false;
          ch.flush();
        });
      } else if (c == null) {
        ch.flush();
      }
    });
  }

  /** What went wrong lately, for the messages of a timeout: "" if nothing did. */
  private String trouble() {
    StringBuilder b = new StringBuilder();
    if (lastRefusal != null) {
      b.append("; the server last refused a batch with ").append(lastRefusal);
    }
    if (lastConnectError != null) {
      b.append("; the last connection attempt failed with ").append(lastConnectError);
    }
    return b.toString();
  }

  private void connect() {
    connecting = true;
    bootstrap.connect(server).addListener(f -> {
      if (!f.isSuccess()) {
        log.debug("cannot connect to {}: {}", server, f.cause().toString());
        synchronized (lock) {
          lastConnectError = f.cause().toString();
        }
        disconnected(null);
      }
    });
  }

  private List<Pending> drain() {
    List<Pending> all = new ArrayList<>(unacked.values());
    all.addAll(unnumbered);
    unacked.clear();
    unnumbered.clear();
    slots.release(all.size());
    lock.notifyAll();
    return all;
  }

  /** Fails the client: every pending batch, and every later send. */
  private void fail(IngestException e) {
    List<Pending> left;
    synchronized (lock) {
      if (state == State.FAILED || state == State.CLOSED) {
        return;
      }
      log.error("IngestClient of producer {} failed: {}", Long.toHexString(producerId),
          e.getMessage());
      state = State.FAILED;
      failure = e;
      left = drain();
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
    left.forEach(p -> p.future.completeExceptionally(e));
  }

  private void welcomed(Channel ch, WireFormat.Welcome w) {
    IngestException fatal = null;
    synchronized (lock) {
      if (state == State.FAILED || state == State.CLOSED) {
        ch.close();
        return;
      }
      long highest = w.highestSequence();
      if (w.version() != WireFormat.VERSION) {
        fatal = new IngestException("the server speaks protocol version " + w.version()
            + ", this client " + WireFormat.VERSION, IngestError.UNSUPPORTED_VERSION, null);
      } else if (maxInFlight > w.maxInFlight()) {
        fatal = new IngestException("this client's maxInFlight " + maxInFlight + " is over the"
            + " server's " + w.maxInFlight() + ": lower it to at most " + w.maxInFlight(), null,
            null);
      } else if (maxBatchBytes > w.maxFrameBytes()) {
        fatal = new IngestException("this client's maxBatchBytes " + maxBatchBytes + " is over"
            + " the server's maxFrameBytes " + w.maxFrameBytes() + ": lower it", null, null);
      } else if (nextSequence == 0) {
        nextSequence = highest + 1;
        while (!unnumbered.isEmpty()) {
          number(unnumbered.poll());
        }
      } else if (highest >= nextSequence) {
        fatal = new IngestException("the server stored batch " + highest + " of producer "
            + Long.toHexString(producerId) + " but this client sent only up to "
            + (nextSequence - 1) + ": another client uses the same producer id", null, null);
      } else {
        long firstUnacked = unacked.isEmpty() ? nextSequence : unacked.firstKey();
        if (highest < firstUnacked - 1) {
          fatal = new IngestException("the server remembers batches of producer "
              + Long.toHexString(producerId) + " up to " + highest + " only, but acknowledged up"
              + " to " + (firstUnacked - 1) + ": its log lost acknowledged batches (durability"
              + " NONE or FLUSH and a power loss?)", null, null);
        }
      }
      if (fatal == null) {
        channel = ch;
        connecting = false;
        backoffMillis = minBackoffMillis;
        for (Pending p : unacked.values()) {
          write(ch, p);
        }
        ch.flush();
      }
    }
    if (fatal != null) {
      fail(fatal);
    }
  }

  private void acknowledged(WireFormat.Ack a) {
    Pending p;
    synchronized (lock) {
      p = a.producerId() == producerId ? unacked.remove(a.sequence()) : null;
      if (p == null) {
        return; // the ACK of a batch sent twice, or of a failed client: already settled
      }
      acked++;
      slots.release();
      if (state == State.CLOSING && unacked.isEmpty() && unnumbered.isEmpty()) {
        lock.notifyAll();
      }
    }
    p.future.complete(new BatchAck(a.producerId(), a.sequence(), a.duplicate()));
  }

  private void refused(Channel ch, WireFormat.ErrorFrame e) {
    if (e.code().isRetriable()) {
      synchronized (lock) {
        lastRefusal = e.code() + " (" + e.message() + ")";
      }
      log.debug("server refused batch {} ({}): {}; reconnecting", e.sequence(), e.code(),
          e.message());
      ch.close();
      return;
    }
    fail(new IngestException("the server refused " + (e.sequence() == 0 ? "the connection"
        : "batch " + e.sequence()) + " of producer " + Long.toHexString(producerId) + ": "
        + e.code() + " " + e.message(), e.code(), null));
  }

  /** A connection ended, or never started: reconnect after the backoff if batches wait. */
  private void disconnected(Channel ch) {
    synchronized (lock) {
      if (ch != null && channel != null && channel != ch) {
        return; // an older connection
      }
      channel = null;
      connecting = false;
      boolean waiting = !unacked.isEmpty() || !unnumbered.isEmpty();
      if (!waiting || (state != State.OPEN && state != State.CLOSING)) {
        return;
      }
      retries++;
      connecting = true;
      long delay = backoffMillis;
      backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
      group.next().schedule(() -> {
        synchronized (lock) {
          if (state == State.OPEN || state == State.CLOSING) {
            connect();
          } else {
            connecting = false;
          }
        }
      }, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void checkTimeouts() {
    IngestException late = null;
    synchronized (lock) {
      long now = System.nanoTime();
      Pending oldest = !unnumbered.isEmpty() ? unnumbered.peek()
          : unacked.isEmpty() ? null : unacked.firstEntry().getValue();
      if (oldest == null) {
        return;
      }
      if (now - oldest.createdNanos > deliveryTimeoutNanos) {
        late = new IngestException("batch " + oldest.sequence + " of producer "
            + Long.toHexString(producerId) + " was not acknowledged within deliveryTimeout "
            + Duration.ofNanos(deliveryTimeoutNanos) + " (" + retries + " reconnections so far"
            + trouble() + ")", null, null);
      } else if (channel != null && oldest.sentNanos != 0
          && now - oldest.sentNanos > ackTimeoutNanos) {
        log.debug("no ACK for batch {} within ackTimeout; reconnecting", oldest.sequence);
        channel.close();
      }
    }
    if (late != null) {
      fail(late);
    }
  }

  /** The handler of one connection. */
  private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
    private boolean flushQueued; // only the event loop

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      ctx.writeAndFlush(WireFormat.hello(ctx.alloc(), producerId, token));
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      if (!frame.isReadable()) {
        throw new WireFormat.MalformedFrameException("empty frame from the server");
      }
      byte type = frame.readByte();
      switch (type) {
        case WireFormat.WELCOME -> welcomed(ctx.channel(), WireFormat.readWelcome(frame));
        case WireFormat.ACK -> acknowledged(WireFormat.readAck(frame));
        case WireFormat.ERROR -> refused(ctx.channel(), WireFormat.readError(frame));
        default -> throw new WireFormat.MalformedFrameException("frame type " + type
            + " from the server");
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      disconnected(ctx.channel());
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("connection to {} failed: {}", server, cause.toString());
      ctx.close();
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Options of an {@link IngestClient}, checked as they are set ({@link IllegalArgumentException}
   * naming the option, the value and the range). Not thread-safe.
   */
  public static final class Builder {
    private final InetSocketAddress server;
    private long producerId;
    private byte[] token = new byte[0];
    private SslContext sslContext;
    private int maxInFlight = 32;
    private int maxBatchBytes = 1 << 20;
    private Duration ackTimeout = Duration.ofSeconds(10);
    private Duration deliveryTimeout = Duration.ofMinutes(2);
    private Duration maxBlockTime;
    private Duration minBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(2);

    private Builder(InetSocketAddress server) {
      this.server = Objects.requireNonNull(server, "server address must not be null: give the"
          + " server's address, its IngestServer.localAddress()");
      if (server.getPort() == 0) {
        throw new IllegalArgumentException("server address " + server + " has port 0: give the"
            + " port the server listens on, its IngestServer.localAddress()");
      }
      long id = 0;
      SecureRandom random = new SecureRandom();
      while (id == 0) {
        id = random.nextLong();
      }
      this.producerId = id;
    }

    /**
     * The producer id; default a random one per client. Give a stable id only to one client at a
     * time: two clients sharing an id make each other fail.
     *
     * @param id any value but 0
     * @return this builder
     */
    public Builder producerId(long id) {
      if (id == 0) {
        throw new IllegalArgumentException("producerId must not be 0");
      }
      this.producerId = id;
      return this;
    }

    /**
     * The shared secret the server asks for.
     *
     * @param secret 1 to 1024 UTF-8 bytes
     * @return this builder
     */
    public Builder token(String secret) {
      byte[] bytes = Objects.requireNonNull(secret, "token").getBytes(StandardCharsets.UTF_8);
      IngestServer.Builder.inRange(bytes.length, 1, WireFormat.MAX_TOKEN_BYTES,
          "token length in UTF-8 bytes");
      this.token = bytes;
      return this;
    }

    /**
     * Connects with TLS: {@code context} is a client context trusting the server's certificate.
     *
     * @param context a client-side SslContext
     * @return this builder
     */
    public Builder tls(SslContext context) {
      Objects.requireNonNull(context, "tls context");
      if (!context.isClient()) {
        throw new IllegalArgumentException("tls context is a server context: build it with"
            + " SslContextBuilder.forClient");
      }
      this.sslContext = context;
      return this;
    }

    /**
     * Most batches unacknowledged at once; at most the server's {@code maxInFlight}. Default 32.
     *
     * @param batches 1 to 65535
     * @return this builder
     */
    public Builder maxInFlight(int batches) {
      this.maxInFlight = (int) IngestServer.Builder.inRange(batches, 1, 65535, "maxInFlight");
      return this;
    }

    /**
     * Largest batch frame (records plus 4 bytes each, plus 25); at most the server's
     * {@code maxFrameBytes}. Default 1 MiB.
     *
     * @param bytes 64 to 128 MiB
     * @return this builder
     */
    public Builder maxBatchBytes(int bytes) {
      this.maxBatchBytes = (int) IngestServer.Builder.inRange(bytes, 64, 128 << 20,
          "maxBatchBytes");
      return this;
    }

    /**
     * How long the oldest batch sent may wait for its ACK before the client reconnects and sends
     * it again. Default 10 s.
     *
     * @param timeout 1 ms to 365 days
     * @return this builder
     */
    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = IngestServer.Builder.positive(timeout, "ackTimeout");
      return this;
    }

    /**
     * How long a batch may stay unacknowledged, retries included, before the client fails.
     * Default 2 min.
     *
     * @param timeout 1 ms to 365 days
     * @return this builder
     */
    public Builder deliveryTimeout(Duration timeout) {
      this.deliveryTimeout = IngestServer.Builder.positive(timeout, "deliveryTimeout");
      return this;
    }

    /**
     * How long {@link IngestClient#send} waits for a free slot. Default: the delivery timeout.
     *
     * @param timeout 1 ms to 365 days
     * @return this builder
     */
    public Builder maxBlockTime(Duration timeout) {
      this.maxBlockTime = IngestServer.Builder.positive(timeout, "maxBlockTime");
      return this;
    }

    /**
     * Backoff between reconnections: from {@code min}, doubling up to {@code max}. Default 50 ms
     * to 2 s.
     *
     * @param min first wait, 1 ms to 365 days
     * @param max longest wait, min to 365 days
     * @return this builder
     */
    public Builder reconnectBackoff(Duration min, Duration max) {
      IngestServer.Builder.positive(min, "reconnectBackoff min");
      IngestServer.Builder.positive(max, "reconnectBackoff max");
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("reconnectBackoff max " + max + " is below min " + min);
      }
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Builds the client; it connects on the first send.
     *
     * @return a client
     */
    public IngestClient build() {
      return new IngestClient(this);
    }
  }
}
