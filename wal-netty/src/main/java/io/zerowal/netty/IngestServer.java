/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.zerowal.core.BackPressureException;
import io.zerowal.receiver.BlockInfo;
import io.zerowal.receiver.Receiver;
import io.zerowal.receiver.ReceiverContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Receiver} that accepts batches of records over TCP (docs/PROTOCOL.md) and acknowledges
 * each batch only once it is durable in the receiver's log: register it with a
 * {@link io.zerowal.receiver.MicroBatchEngine} like any receiver, and {@link IngestClient}s send to
 * it.
 *
 * <pre>{@code
 * IngestServer server = IngestServer.builder().port(7400).build();
 * MicroBatchEngine engine = MicroBatchEngine.builder()
 *     .dataStorage(id -> new LocalStorage(dir.resolve(id))).metadataStorage(...)
 *     .receiver("ingest", server).processor(batch -> ...).build();
 * engine.start();                       // binds 127.0.0.1:7400
 * }</pre>
 *
 * <h2>Durability and exactly once</h2>
 * Each batch is stored as one block ({@link ReceiverContext#store(List, ByteBuffer)}) and its ACK
 * is written when the store's future completes, so an acknowledged batch survives what the
 * engine's durability survives. Batches carry a producer id and a per-producer sequence
 * 1, 2, 3...; the server stores sequence {@code n + 1} after {@code n} only, answers a batch it
 * already stored (or is storing) with a DUPLICATE ack and does not store it again, and refuses a
 * gap or a sequence older than its duplicate window ({@code maxInFlight}) with an ERROR frame. The
 * table of the highest sequence per producer is stored with every block as its metadata and
 * rebuilt from the last durable block on start, so a retry after a crash is recognised too.
 *
 * <h2>Protection</h2>
 * Loopback only by default; another address needs TLS ({@link Builder#tls}) or a token
 * ({@link Builder#token}), or {@link Builder#allowUnprotectedNonLoopback} said out loud. Frames
 * over {@code maxFrameBytes} close the connection before they are read; a malformed frame closes
 * its connection with a logged reason and nothing stored; connections beyond
 * {@code maxConnections} are refused, and so are connections that would take the process's last
 * eighth of open files ({@code ulimit -n}), kept for the logs and the processor (the server
 * then stops accepting, leaving new connections in the kernel's backlog, until files are closed
 * again: a flood of connections cannot fail the engine with "Too many open files"); a connection
 * silent for {@code idleTimeout}, or that takes longer than {@code frameTimeout} to send its
 * handshake or any one frame (slowloris), is closed.
 * While more than {@code maxPendingBytes} of batches are being stored, the server stops reading
 * from the connections that sent them (auto-read off) until the stores drain to half of it.
 *
 * <p>Thread-safe. Batches are stored from Netty's event loop threads; if the engine's
 * back-pressure blocks a store ({@code maxUnprocessedBytes}, {@code maxLogDiskBytes}), that
 * event loop waits, which slows its connections too (their ACKs included). What follows a
 * store's completion runs on a thread of the server's own, never on the log's.
 */
public final class IngestServer implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(IngestServer.class);

  private final InetSocketAddress bindAddress;
  private final int maxFrameBytes;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final Duration frameTimeout;
  private final long maxPendingBytes;
  private final int maxInFlight;
  private final int maxProducers;
  private final SslContext sslContext;
  private final byte[] token;
  private final int ioThreads;
  private final Duration stopTimeout;

  // The producer table and the submission of each block happen under this lock: snapshot order
  // is append order (see ProducerTable).
  private final Object lock = new Object();
  private ProducerTable table; // guarded by lock
  private final Map<Long, Map<Long, CompletableFuture<BlockInfo>>> storing = new HashMap<>();
  private int producerLimit; // guarded by lock
  private volatile boolean accepting;
  private final AtomicBoolean started = new AtomicBoolean(); // between onStart and onStop

  private final AtomicLong pendingBytes = new AtomicLong();
  private final Set<Channel> paused = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong batchesStored = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong rejectedConnections = new AtomicLong();

  private volatile ReceiverContext context;
  // Runs what follows a store's completion (it takes the lock) off the log's own thread: an event
  // loop may hold the lock in a store that back-pressure blocks until earlier blocks are processed,
  // and the log's thread must stay free to report them durable (or that store waits forever).
  private volatile ExecutorService completions;
  private volatile EventLoopGroup group;
  private volatile ChannelGroup channels;
  private volatile Channel serverChannel;
  private volatile InetSocketAddress boundAddress;

  private IngestServer(Builder b) {
    this.bindAddress = b.address;
    this.maxFrameBytes = b.maxFrameBytes;
    this.maxConnections = b.maxConnections;
    this.idleTimeout = b.idleTimeout;
    this.frameTimeout = b.frameTimeout;
    this.maxPendingBytes = b.maxPendingBytes;
    this.maxInFlight = b.maxInFlight;
    this.maxProducers = b.maxProducers;
    this.sslContext = b.sslContext;
    this.token = b.token;
    this.ioThreads = b.ioThreads;
    this.stopTimeout = b.stopTimeout;
  }

  /**
   * Options of a server, checked as they are set.
   *
   * @return a builder with the defaults: 127.0.0.1, an ephemeral port, no TLS, no token
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- Receiver

  /**
   * Rebuilds the producer table from the receiver's last durable block and binds the address.
   *
   * @param context the receiver's context
   * @throws IllegalStateException if the address cannot be bound (in use, not local), the last
   *     block's metadata is not an IngestServer's producer table, or the server is started
   *     already (registered with another running engine, or twice)
   */
  @Override
  public void onStart(ReceiverContext context) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("IngestServer for receiver " + context.receiverId()
          + " is already started, listening on " + boundAddress + ", for another receiver or"
          + " engine: build one IngestServer per engine and receiver");
    }
    try {
      start(context);
    } catch (RuntimeException | Error e) {
      started.set(false);
      throw e;
    }
  }

  private void start(ReceiverContext context) {
    ProducerTable recovered = ProducerTable.fromSnapshot(context.lastMetadata().orElse(null));
    int limit = Math.min(maxProducers,
        (context.maxMetadataBytes() - ProducerTable.HEADER_BYTES) / ProducerTable.ENTRY_BYTES);
    synchronized (lock) {
      this.table = recovered;
      this.producerLimit = limit;
      this.storing.clear();
    }
    this.context = context;
    this.completions = Executors.newSingleThreadExecutor(
        new DefaultThreadFactory("zerowal-ingest-" + context.receiverId() + "-acks", true));
    EventLoopGroup g = new MultiThreadIoEventLoopGroup(ioThreads,
        new DefaultThreadFactory("zerowal-ingest-" + context.receiverId(), true),
        NioIoHandler.newFactory());
    ChannelGroup all = new DefaultChannelGroup("ingest", GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap = new ServerBootstrap().group(g)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.SO_BACKLOG, 1024)
        // One connection per read, so that AcceptGate sees each before the next is accepted.
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1))
        .handler(AcceptGate.forThisProcess())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            admit(ch, all);
          }
        });
    try {
      Channel bound = bootstrap.bind(bindAddress).syncUninterruptibly().channel();
      this.group = g;
      this.channels = all;
      this.serverChannel = bound;
      this.boundAddress = (InetSocketAddress) bound.localAddress();
    } catch (RuntimeException e) {
      g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      completions.shutdown();
      throw new IllegalStateException("IngestServer " + context.receiverId() + " cannot bind "
          + bindAddress + ": " + e + "; free the port or choose another", e);
    }
    accepting = true;
    log.info("IngestServer {} listening on {} ({}{}), {} producers recovered",
        context.receiverId(), boundAddress, sslContext != null ? "TLS" : "plain TCP",
        token.length > 0 ? ", token" : "", recovered.size());
  }

  /**
   * Closes the listening socket and every connection, waits (at most {@code stopTimeout}) for the
   * batches being stored, so that the producer table a restart rebuilds names them, and stops
   * the event loops. Batches whose ACK was not written are retried by their clients.
   */
  @Override
  public void onStop() {
    accepting = false;
    Channel s = serverChannel;
    if (s != null) {
      s.close().syncUninterruptibly();
    }
    ChannelGroup all = channels;
    if (all != null) {
      all.close().awaitUninterruptibly(stopTimeout.toMillis());
    }
    List<CompletableFuture<BlockInfo>> inFlight = new ArrayList<>();
    synchronized (lock) {
      storing.values().forEach(m -> inFlight.addAll(m.values()));
    }
    try {
      CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0]))
          .get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("IngestServer stopped with {} batches still being stored after {}", inFlight.size(),
          stopTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("a batch being stored failed while stopping: {}", e.toString());
    }
    ExecutorService c = completions;
    if (c != null) {
      c.shutdown(); // what is queued still runs; a store completing later runs its own
    }
    EventLoopGroup g = group;
    if (g != null) {
      g.shutdownGracefully(0, stopTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(stopTimeout.toMillis());
    }
    log.info("IngestServer stopped: {} batches stored, {} duplicates answered", batchesStored.get(),
        duplicates.get());
    started.set(false);
  }

  // ---------------------------------------------------------------- observations

  /**
   * The address the server listens on, with the port chosen when the builder's port was 0.
   *
   * @return the bound address
   * @throws IllegalStateException before the engine started the receiver
   */
  public InetSocketAddress localAddress() {
    InetSocketAddress a = boundAddress;
    if (a == null) {
      throw new IllegalStateException("IngestServer is not listening yet: start the engine it is"
          + " registered with first");
    }
    return a;
  }

  /**
   * Batches stored since start (not counting duplicates).
   *
   * @return the count of STORED acks written or due
   */
  public long batchesStored() {
    return batchesStored.get();
  }

  /**
   * Retried batches answered with a DUPLICATE ack and not stored again, since start.
   *
   * @return the count
   */
  public long duplicatesAnswered() {
    return duplicates.get();
  }

  /**
   * Open connections.
   *
   * @return the count now
   */
  public int connections() {
    return connections.get();
  }

  /**
   * Connections refused because {@code maxConnections} were open.
   *
   * @return the count since construction
   */
  public long rejectedConnections() {
    return rejectedConnections.get();
  }

  /**
   * Payload bytes of batches being stored (submitted, not yet durable): what back-pressure bounds.
   *
   * @return bytes now
   */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  // ---------------------------------------------------------------- connections

  private void admit(SocketChannel ch, ChannelGroup all) {
    if (accepting && ch.attr(AcceptGate.REFUSED).get() != null) {
      long refused = rejectedConnections.incrementAndGet();
      if (Long.bitCount(refused) == 1) { // the 1st, 2nd, 4th, 8th...: a flood floods no log
        log.warn("refused connection from {}: the process is near its limit of open files"
            + " (ulimit -n), kept for the logs; raise the limit or lower maxConnections ({}"
            + " connections refused so far)", ch.remoteAddress(), refused);
      }
      ch.writeAndFlush(WireFormat.error(ch.alloc(), IngestError.TOO_MANY_CONNECTIONS, 0,
          "the server is near its limit of open files")).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (connections.incrementAndGet() > maxConnections || !accepting) {
      connections.decrementAndGet();
      rejectedConnections.incrementAndGet();
      log.debug("refused connection from {}: {} connections open (maxConnections {})",
          ch.remoteAddress(), maxConnections, maxConnections);
      ch.writeAndFlush(WireFormat.error(ch.alloc(), IngestError.TOO_MANY_CONNECTIONS, 0,
          "the server already has " + maxConnections + " connections (maxConnections)"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ch.closeFuture().addListener(f -> {
      connections.decrementAndGet();
      if (paused.remove(ch)) {
        resumeIfDrained();
      }
    });
    all.add(ch);
    if (sslContext != null) {
      ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc()));
    }
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("frames", new FrameDecoder(maxFrameBytes, frameTimeout.toNanos()))
        .addLast("ingest", new ServerConnection(this));
  }

  Duration frameTimeout() {
    return frameTimeout;
  }

  int maxFrameBytes() {
    return maxFrameBytes;
  }

  int maxInFlight() {
    return maxInFlight;
  }

  /** Checks a HELLO's token in constant time; true if the server has none. */
  boolean tokenMatches(byte[] offered) {
    return token.length == 0 || MessageDigest.isEqual(token, offered);
  }

  /** The highest sequence of {@code producerId} submitted so far, for the WELCOME. */
  long highest(long producerId) {
    synchronized (lock) {
      return table.highest(producerId);
    }
  }

  /**
   * Stores one batch, or answers it as a duplicate, or refuses it. Called on the connection's
   * event loop with the records as views into the frame, which is released after the return:
   * {@code ReceiverContext.store} copies them first.
   */
  void onBatch(ServerConnection conn, Channel ch, long producerId, long sequence,
      List<ByteBuffer> records) {
    long payload = 0;
    for (ByteBuffer r : records) {
      payload += r.remaining();
    }
    CompletableFuture<BlockInfo> stored;
    CompletableFuture<BlockInfo> duplicateOf = null;
    synchronized (lock) {
      if (!accepting) {
        conn.refuse(ch, IngestError.UNAVAILABLE, sequence, "the receiver is stopping");
        return;
      }
      long highest = table.highest(producerId);
      if (sequence <= highest) {
        if (sequence <= highest - maxInFlight) {
          conn.reply(ch, IngestError.OLD_SEQUENCE, sequence, "batch " + sequence + " of producer "
              + Long.toHexString(producerId) + " is older than the duplicate window: the server"
              + " stored up to " + highest + " and remembers the last " + maxInFlight
              + "; do two producers share this id?");
          return;
        }
        duplicates.incrementAndGet();
        Map<Long, CompletableFuture<BlockInfo>> mine = storing.get(producerId);
        duplicateOf = mine == null ? null : mine.get(sequence);
        if (duplicateOf == null) {
          conn.ack(ch, producerId, sequence, WireFormat.DUPLICATE);
          return;
        }
        stored = null;
      } else if (sequence != highest + 1) {
        conn.refuse(ch, IngestError.SEQUENCE_GAP, sequence, "batch " + sequence + " of producer "
            + Long.toHexString(producerId) + " comes after " + highest + ": batches "
            + (highest + 1) + " to " + (sequence - 1) + " were not stored; send them first");
        return;
      } else if (!table.contains(producerId) && table.size() >= producerLimit) {
        conn.refuse(ch, IngestError.TOO_MANY_PRODUCERS, sequence, "the server remembers "
            + table.size() + " producers, its limit (maxProducers, and the receiver's"
            + " maxMetadataBytes / 16): reuse producer ids");
        return;
      } else {
        boolean known = table.contains(producerId);
        table.set(producerId, sequence);
        try {
          stored = context.store(records, table.snapshot());
        } catch (BackPressureException e) {
          undo(producerId, sequence, highest, known);
          conn.refuse(ch, IngestError.BUSY, sequence, e.getMessage());
          return;
        } catch (IllegalArgumentException e) {
          undo(producerId, sequence, highest, known);
          conn.refuse(ch, IngestError.FRAME_TOO_LARGE, sequence, e.getMessage());
          return;
        } catch (RuntimeException e) {
          undo(producerId, sequence, highest, known);
          conn.refuse(ch, IngestError.UNAVAILABLE, sequence, "storing failed: " + e);
          return;
        }
        if (stored.isCompletedExceptionally()) {
          // Refused at once (the append threw): later blocks may still be stored, so no later
          // snapshot may name this batch. A failure reported later is the log's, and fails every
          // block after this one too.
          undo(producerId, sequence, highest, known);
          conn.refuse(ch, IngestError.UNAVAILABLE, sequence, "storing failed: " + causeOf(stored));
          return;
        }
        storing.computeIfAbsent(producerId, p -> new HashMap<>()).put(sequence, stored);
      }
    }
    if (duplicateOf != null) {
      duplicateOf.whenComplete((info, error) -> {
        if (error == null) {
          conn.ack(ch, producerId, sequence, WireFormat.DUPLICATE);
        } else {
          conn.refuse(ch, IngestError.UNAVAILABLE, sequence, "storing failed: " + error);
        }
      });
      return;
    }
    long bytes = payload;
    if (pendingBytes.addAndGet(bytes) > maxPendingBytes) {
      // On the event loop, which alone turns auto-read off and on: off first, then listed, then
      // checked again, so that a drain racing with this pause cannot leave the channel unread.
      ch.config().setAutoRead(false);
      if (paused.add(ch)) {
        log.debug("paused reading from {}: {} bytes being stored (maxPendingBytes {})",
            ch.remoteAddress(), pendingBytes.get(), maxPendingBytes);
      }
      resumeIfDrained();
    }
    stored.whenCompleteAsync((info, error) -> {
      synchronized (lock) {
        Map<Long, CompletableFuture<BlockInfo>> mine = storing.get(producerId);
        if (mine != null) {
          mine.remove(sequence);
          if (mine.isEmpty()) {
            storing.remove(producerId);
          }
        }
        if (error != null && table.highest(producerId) >= sequence) {
          // Every later block fails too (the log fails or stops in order): nothing after this
          // batch is durable, so a retry must be stored again.
          table.set(producerId, sequence - 1);
        }
      }
      pendingBytes.addAndGet(-bytes);
      if (error == null) {
        batchesStored.incrementAndGet();
        conn.ack(ch, producerId, sequence, WireFormat.STORED);
      } else {
        log.warn("batch {} of producer {} was not stored: {}", sequence,
            Long.toHexString(producerId), error.toString());
        conn.refuse(ch, IngestError.UNAVAILABLE, sequence, "storing failed: " + error);
      }
      resumeIfDrained();
    }, completionExecutor());
  }

  /** {@link #completions}, or the calling thread once it is shut down (after a stop). */
  private Executor completionExecutor() {
    ExecutorService c = completions;
    return task -> {
      try {
        c.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
  }

  private static String causeOf(CompletableFuture<BlockInfo> failed) {
    try {
      failed.getNow(null);
      return "unknown";
    } catch (CompletionException | CancellationException e) {
      return String.valueOf(e.getCause() != null ? e.getCause() : e);
    }
  }

  private void undo(long producerId, long sequence, long highest, boolean known) {
    if (known) {
      table.set(producerId, highest);
    } else {
      table.remove(producerId);
    }
  }

  /** Asks each paused channel's event loop to read again if the stores drained to half. */
  private void resumeIfDrained() {
    if (paused.isEmpty() || pendingBytes.get() > maxPendingBytes / 2) {
      return;
    }
    for (Channel c : paused) {
      c.eventLoop().execute(() -> {
        if (pendingBytes.get() <= maxPendingBytes / 2 && paused.remove(c)) {
          c.config().setAutoRead(true);
        }
      });
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Options of an {@link IngestServer}. Setters check their argument and throw
   * {@link IllegalArgumentException} naming the option, the value and the accepted range. Not
   * thread-safe.
   */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private int maxFrameBytes = 1 << 20;
    private int maxConnections = 1024;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration frameTimeout = Duration.ofSeconds(10);
    private long maxPendingBytes = 32L << 20;
    private int maxInFlight = 64;
    private int maxProducers = 4096;
    private SslContext sslContext;
    private byte[] token = new byte[0];
    private boolean allowUnprotected;
    private int ioThreads = 2;
    private Duration stopTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * The address to listen on; default the loopback address. Any other address needs TLS or a
     * token, or {@link #allowUnprotectedNonLoopback}.
     *
     * @param address an address and port (port 0: any free port, see
     *     {@link IngestServer#localAddress()})
     * @return this builder
     */
    public Builder bind(InetSocketAddress address) {
      Objects.requireNonNull(address, "bind address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("bind address " + address + " is unresolved: give an"
            + " IP address or a resolvable host name");
      }
      this.address = address;
      return this;
    }

    /**
     * The port to listen on, on the address set so far (loopback by default).
     *
     * @param port 0 (any free port) to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
      }
      this.address = new InetSocketAddress(address.getAddress(), port);
      return this;
    }

    /**
     * Largest frame accepted, length field included; a larger one closes its connection before
     * it is read. Default 1 MiB. Keep it below the engine's {@code maxBlockBytes}.
     *
     * @param bytes 64 to 128 MiB
     * @return this builder
     */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = (int) inRange(bytes, 64, 128 << 20, "maxFrameBytes");
      return this;
    }

    /**
     * Most connections open at once; later ones get a TOO_MANY_CONNECTIONS error and are closed.
     * Default 1024.
     *
     * @param connections 1 to 1,000,000
     * @return this builder
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = (int) inRange(connections, 1, 1_000_000, "maxConnections");
      return this;
    }

    /**
     * A connection that sends nothing for this long is closed. Default 60 s.
     *
     * @param timeout 1 ms to 365 days
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /**
     * Longest a client may take to send its handshake, or any one frame once its first byte
     * arrived (a frame trickled byte by byte, slowloris); then it is closed. Default 10 s.
     *
     * @param timeout 1 ms to 365 days
     * @return this builder
     */
    public Builder frameTimeout(Duration timeout) {
      this.frameTimeout = positive(timeout, "frameTimeout");
      return this;
    }

    /**
     * Payload bytes of batches being stored beyond which the server stops reading from the
     * connections that send more (auto-read off), until they drain to half. Default 32 MiB; keep
     * it at most the receiver's {@code maxBufferedBytes}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxPendingBytes(long bytes) {
      this.maxPendingBytes = inRange(bytes, 1, Long.MAX_VALUE, "maxPendingBytes");
      return this;
    }

    /**
     * Most batches a producer may have unacknowledged, told to clients in the handshake, and the
     * window within which a retried batch is answered as a duplicate. Default 64.
     *
     * @param batches 1 to 65535
     * @return this builder
     */
    public Builder maxInFlight(int batches) {
      this.maxInFlight = (int) inRange(batches, 1, 65535, "maxInFlight");
      return this;
    }

    /**
     * Most producers remembered (each costs 16 bytes in every block's metadata); also bounded by
     * the receiver's {@code maxMetadataBytes} / 16. A new producer past it is refused. Default
     * 4096.
     *
     * @param producers at least 1
     * @return this builder
     */
    public Builder maxProducers(int producers) {
      this.maxProducers = (int) inRange(producers, 1, Integer.MAX_VALUE, "maxProducers");
      return this;
    }

    /**
     * Serves TLS with {@code context} (a server context, for example
     * {@code SslContextBuilder.forServer(certificate, key).build()}).
     *
     * @param context a server-side SslContext
     * @return this builder
     */
    public Builder tls(SslContext context) {
      Objects.requireNonNull(context, "tls context");
      if (context.isClient()) {
        throw new IllegalArgumentException("tls context is a client context: build it with"
            + " SslContextBuilder.forServer");
      }
      this.sslContext = context;
      return this;
    }

    /**
     * A shared secret every client must present in its handshake; compared in constant time.
     *
     * @param secret 1 to 1024 UTF-8 bytes
     * @return this builder
     */
    public Builder token(String secret) {
      Objects.requireNonNull(secret, "token");
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      inRange(bytes.length, 1, WireFormat.MAX_TOKEN_BYTES, "token length in UTF-8 bytes");
      this.token = bytes;
      return this;
    }

    /**
     * Allows binding a non-loopback address with neither TLS nor a token: anyone who reaches the
     * port can then write to the log. Default false.
     *
     * @param allow true to allow it
     * @return this builder
     */
    public Builder allowUnprotectedNonLoopback(boolean allow) {
      this.allowUnprotected = allow;
      return this;
    }

    /**
     * Netty event loop threads for the connections. Default 2.
     *
     * @param threads 1 to 256
     * @return this builder
     */
    public Builder ioThreads(int threads) {
      this.ioThreads = (int) inRange(threads, 1, 256, "ioThreads");
      return this;
    }

    /**
     * How long {@code onStop} waits for connections to close and batches being stored. Default
     * 30 s.
     *
     * @param timeout 1 ms to 365 days
     * @return this builder
     */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = positive(timeout, "stopTimeout");
      return this;
    }

    /**
     * Checks the options together and builds the server.
     *
     * @return a server, to register with an engine as a receiver (once: it is one receiver)
     * @throws IllegalArgumentException if a non-loopback address is neither protected nor
     *     explicitly allowed
     */
    public IngestServer build() {
      InetAddress a = address.getAddress();
      if (!a.isLoopbackAddress() && sslContext == null && token.length == 0 && !allowUnprotected) {
        throw new IllegalArgumentException("bind address " + address + " is not loopback and the"
            + " server has neither TLS nor a token: anyone reaching it could write to the log;"
            + " set tls(...) or token(...), or allowUnprotectedNonLoopback(true) on a trusted"
            + " network");
      }
      return new IngestServer(this);
    }

    static long inRange(long value, long min, long max, String option) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(option + " must be " + min + " to " + max + ", got "
            + value);
      }
      return value;
    }

    /** Longest duration an option takes: beyond it, nanosecond arithmetic would overflow. */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    static Duration positive(Duration d, String option) {
      Objects.requireNonNull(d, option);
      if (d.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException(option + " must be at most " + MAX_DURATION.toDays()
            + " days, got " + d + ": give a finite timeout of at most a year");
      }
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException(option + " must be at least 1 ms, got " + d);
      }
      return d;
    }
  }
}
