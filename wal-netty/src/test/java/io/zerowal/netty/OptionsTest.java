/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options are checked where they are set, with messages naming the option and the fix. */
class OptionsTest {
  private static final InetSocketAddress ANY = new InetSocketAddress("0.0.0.0", 0);

  @Test
  void nonLoopbackBindWithoutTlsOrTokenIsRefused() {
    assertThatThrownBy(() -> IngestServer.builder().bind(ANY).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.0.0").hasMessageContaining("set tls(...) or token(...)");
  }

  @Test
  void nonLoopbackBindWithATokenOrExplicitConsentIsBuilt() {
    assertThat(IngestServer.builder().bind(ANY).token("t").build()).isNotNull();
    assertThat(IngestServer.builder().bind(ANY).allowUnprotectedNonLoopback(true).build())
        .isNotNull();
  }

  @Test
  void loopbackIsTheDefault() {
    IngestServer server = IngestServer.builder().build();
    assertThatThrownBy(server::localAddress).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start the engine");
    assertThat(InetAddress.getLoopbackAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void serverOptionsNameTheirRange() {
    assertThatThrownBy(() -> IngestServer.builder().port(70000))
        .hasMessage("port must be 0 to 65535, got 70000");
    assertThatThrownBy(() -> IngestServer.builder().maxFrameBytes(10))
        .hasMessageContaining("maxFrameBytes must be 64 to");
    assertThatThrownBy(() -> IngestServer.builder().maxConnections(0))
        .hasMessageContaining("maxConnections must be 1 to");
    assertThatThrownBy(() -> IngestServer.builder().idleTimeout(Duration.ZERO))
        .hasMessageContaining("idleTimeout must be at least 1 ms");
    assertThatThrownBy(() -> IngestServer.builder().token(""))
        .hasMessageContaining("token length in UTF-8 bytes must be 1 to 1024, got 0");
    assertThatThrownBy(() -> IngestServer.builder().bind(
        InetSocketAddress.createUnresolved("nowhere.invalid", 1)))
        .hasMessageContaining("unresolved");
  }

  @Test
  void clientOptionsAndSendArgumentsAreChecked() throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
    assertThatThrownBy(() -> IngestClient.builder(a).producerId(0))
        .hasMessage("producerId must not be 0");
    assertThatThrownBy(() -> IngestClient.builder(a).reconnectBackoff(Duration.ofSeconds(2),
        Duration.ofSeconds(1))).hasMessageContaining("is below min");
    try (IngestClient client = IngestClient.builder(a).maxBatchBytes(64).build()) {
      assertThatThrownBy(() -> client.send(List.of()))
          .hasMessageContaining("at least one record");
      assertThatThrownBy(() -> client.send(IngestFixture.records("too-large-for-64", 5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("over maxBatchBytes 64");
    }
  }
}
