/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input closes the connection that sent it with a clear reason, stores nothing, and leaves
 * the server serving everyone else; no buffer leaks (LeakWatch, PARANOID).
 */
class BadInputTest {
  private static final long PRODUCER = 77;
  private static IngestFixture fixture;

  @BeforeAll
  static void start() {
    fixture = IngestFixture.start(IngestServer.builder().maxFrameBytes(4096)
        .frameTimeout(Duration.ofMillis(500)));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** A well-behaved client still gets its batch stored. */
  private static void serverStillServes(String prefix) throws Exception {
    long before = fixture.server.batchesStored();
    try (IngestClient client = fixture.client().maxBatchBytes(4096).build()) {
      BatchAck ack = client.send(IngestFixture.records(prefix, 2)).get(10, TimeUnit.SECONDS);
      assertThat(ack.duplicate()).isFalse();
    }
    assertThat(fixture.server.batchesStored()).isEqualTo(before + 1);
  }

  @Test
  void garbageBytesCloseTheConnection() throws Exception {
    long seed = System.nanoTime();
    System.out.println("garbageBytesCloseTheConnection seed " + seed);
    byte[] garbage = new byte[64];
    new Random(seed).nextBytes(garbage);
    garbage[0] = 0; // a length the decoder accepts, so the bytes reach the HELLO check
    garbage[1] = 0;
    garbage[2] = 0;
    garbage[3] = 20;
    long stored = fixture.server.batchesStored();
    try (RawConnection c = new RawConnection(fixture.address())) {
      c.write(garbage);
      Object reply = c.read();
      assertThat(reply).isInstanceOf(WireFormat.ErrorFrame.class);
      assertThat(((WireFormat.ErrorFrame) reply).code()).isEqualTo(IngestError.MALFORMED_FRAME);
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(fixture.server.batchesStored()).isEqualTo(stored);
    serverStillServes("after-garbage");
  }

  @Test
  void oversizeLengthIsRefusedBeforeItIsRead() throws Exception {
    long stored = fixture.server.batchesStored();
    try (RawConnection c = new RawConnection(fixture.address())) {
      c.handshake(PRODUCER, "");
      // Announces 1 GiB; only the header is sent: the server must not wait for or buffer it.
      c.write(new byte[] {0x40, 0, 0, 0, WireFormat.BATCH, 0, 0, 0});
      WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) c.read();
      assertThat(e.code()).isEqualTo(IngestError.FRAME_TOO_LARGE);
      assertThat(e.message()).contains("maxFrameBytes 4096");
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(fixture.server.batchesStored()).isEqualTo(stored);
    serverStillServes("after-oversize");
  }

  @Test
  void recordLengthPastTheFrameIsMalformed() throws Exception {
    long stored = fixture.server.batchesStored();
    try (RawConnection c = new RawConnection(fixture.address())) {
      c.handshake(PRODUCER + 1, "");
      byte[] batch = RawConnection.batch(PRODUCER + 1, 1, IngestFixture.records("lie", 1));
      ByteBuffer.wrap(batch).putInt(WireFormat.BATCH_HEADER, 1000); // record length lies
      c.write(batch);
      WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) c.read();
      assertThat(e.code()).isEqualTo(IngestError.MALFORMED_FRAME);
      assertThat(e.message()).contains("announces 1000 bytes");
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(fixture.server.batchesStored()).isEqualTo(stored);
  }

  @Test
  void truncatedFrameThenCloseStoresNothing() throws Exception {
    long stored = fixture.server.batchesStored();
    try (RawConnection c = new RawConnection(fixture.address())) {
      c.handshake(PRODUCER + 2, "");
      byte[] batch = RawConnection.batch(PRODUCER + 2, 1, IngestFixture.records("cut", 3));
      c.write(Arrays.copyOf(batch, batch.length - 5));
    }
    serverStillServes("after-truncated");
    assertThat(fixture.server.batchesStored()).isEqualTo(stored + 1);
    try (RawConnection c = new RawConnection(fixture.address())) {
      assertThat(c.handshake(PRODUCER + 2, "").highestSequence()).isZero();
    }
  }

  @Test
  void frameTrickledByteByByteIsCutAtTheFrameTimeout() throws Exception {
    try (RawConnection c = new RawConnection(fixture.address())) {
      c.handshake(PRODUCER + 3, "");
      byte[] batch = RawConnection.batch(PRODUCER + 3, 1, IngestFixture.records("slow", 10));
      long start = System.nanoTime();
      IOException broken = null;
      // 100 ms a byte: the idle timeout (60 s) never fires, the 500 ms frame timeout must.
      for (int i = 0; i < batch.length && broken == null; i++) {
        try {
          c.write(new byte[] {batch[i]});
          Thread.sleep(100); // the trickle itself, not synchronisation
        } catch (IOException e) {
          broken = e;
        }
        if (System.nanoTime() - start > Duration.ofSeconds(5).toNanos()) {
          break;
        }
      }
      Object reply = c.read();
      assertThat(reply).isInstanceOf(WireFormat.ErrorFrame.class);
      WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) reply;
      assertThat(e.code()).isEqualTo(IngestError.MALFORMED_FRAME);
      assertThat(e.message()).contains("frameTimeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
    serverStillServes("after-slowloris");
  }

  @Test
  void silenceBeforeTheHandshakeIsCut() throws Exception {
    try (RawConnection c = new RawConnection(fixture.address())) {
      long start = System.nanoTime();
      assertThat(c.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void unsupportedVersionIsRefused() throws Exception {
    try (RawConnection c = new RawConnection(fixture.address())) {
      byte[] hello = RawConnection.hello(PRODUCER, "");
      hello[4 + 1 + 4] = 9; // the version byte
      c.write(hello);
      WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) c.read();
      assertThat(e.code()).isEqualTo(IngestError.UNSUPPORTED_VERSION);
      assertThat(e.message()).contains("version 9");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aThousandConnectionsOpenedAndDroppedLeaveTheServerServing() throws Exception {
    InetSocketAddress a = fixture.address();
    for (int i = 0; i < 1000; i++) {
      try (Socket s = new Socket(a.getAddress(), a.getPort())) {
        if (i % 3 == 0) {
          s.getOutputStream().write(RawConnection.hello(1000 + i, ""));
        } else if (i % 3 == 1) {
          s.getOutputStream().write(new byte[] {0, 0, 0});
        }
        s.setSoLinger(true, 0); // a reset, not a clean close, for some
      }
    }
    serverStillServes("after-1000");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (fixture.server.connections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the server notices the closes on its own threads
    }
    assertThat(fixture.server.connections()).isZero();
  }

  @Test
  void connectionsBeyondTheMaximumAreRefused() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder().maxConnections(2));
        RawConnection one = new RawConnection(f.address());
        RawConnection two = new RawConnection(f.address())) {
      one.handshake(1, "");
      two.handshake(2, "");
      try (RawConnection three = new RawConnection(f.address())) {
        WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) three.read();
        assertThat(e.code()).isEqualTo(IngestError.TOO_MANY_CONNECTIONS);
        assertThat(three.closedByServer()).isTrue();
      }
      assertThat(f.server.rejectedConnections()).isEqualTo(1);
      one.write(RawConnection.batch(1, 1, IngestFixture.records("max", 1)));
      assertThat(one.read()).isEqualTo(new WireFormat.Ack(1, 1, false));
    }
  }

  @Test
  void wrongTokenIsRefusedAndTheRightOneAccepted() throws Exception {
    try (IngestFixture f = IngestFixture.start(IngestServer.builder().token("s3cret"))) {
      try (RawConnection c = new RawConnection(f.address())) {
        c.write(RawConnection.hello(5, "guess"));
        WireFormat.ErrorFrame e = (WireFormat.ErrorFrame) c.read();
        assertThat(e.code()).isEqualTo(IngestError.UNAUTHORIZED);
        assertThat(c.closedByServer()).isTrue();
      }
      try (IngestClient wrong = f.client().token("guess").build()) {
        assertThat(wrong.send(IngestFixture.records("t", 1)))
            .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
            .withMessageContaining("UNAUTHORIZED");
      }
      try (IngestClient right = f.client().token("s3cret").build()) {
        assertThat(right.send(IngestFixture.records("t", 1)).get(10, TimeUnit.SECONDS)
            .sequence()).isEqualTo(1);
      }
    }
  }

  @Test
  void plainTcpToATlsPortIsClosedAndTlsClientsAreServed() throws Exception {
    X509Bundle ca = new CertificateBuilder().subject("CN=zerowal-test-ca").setIsCertificateAuthority(true)
        .buildSelfSigned();
    X509Bundle cert = new CertificateBuilder().subject("CN=localhost")
        .addSanDnsName("localhost").addSanIpAddress("127.0.0.1").buildIssuedBy(ca);
    SslContext serverTls = SslContextBuilder.forServer(cert.toKeyManagerFactory()).build();
    SslContext clientTls = SslContextBuilder.forClient().trustManager(ca.toTrustManagerFactory())
        .endpointIdentificationAlgorithm("HTTPS").build();
    try (IngestFixture f = IngestFixture.start(IngestServer.builder().tls(serverTls))) {
      try (RawConnection plain = new RawConnection(f.address())) {
        plain.write(RawConnection.hello(9, ""));
        assertThat(plain.closedByServer()).isTrue();
      }
      try (IngestClient client = f.client().tls(clientTls).build()) {
        List<BatchAck> acks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          acks.add(client.send(IngestFixture.records("tls" + i, 2)).get(10, TimeUnit.SECONDS));
        }
        assertThat(acks).extracting(BatchAck::sequence).containsExactly(1L, 2L, 3L);
      }
      f.engine.stop();
      assertThat(f.processedCounts()).hasSize(6).allSatisfy((k, v) -> assertThat(v).isOne());
    }
  }
}
