/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.receiver.MemoryStorages;
import io.zerowal.receiver.MicroBatchEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Careless arguments at the entry points: refused at once, naming the option and the fix. */
class HostileArgumentsTest {
  @Test
  void clientOfNoAddressOrPortZeroIsRefusedAtTheBuilder() {
    assertThatThrownBy(() -> IngestClient.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("server address").hasMessageContaining("localAddress()");
    assertThatThrownBy(() -> IngestClient.builder(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 0").hasMessageContaining("localAddress()");
  }

  @Test
  void oneServerRegisteredWithTwoRunningEnginesIsRefusedByTheSecond() throws Exception {
    IngestServer server = IngestServer.builder().build();
    MicroBatchEngine first = new MemoryStorages().configure(MicroBatchEngine.builder())
        .batchInterval(Duration.ofMillis(50)).receiver("ingest", server).processor(b -> { })
        .build();
    first.start();
    try {
      InetSocketAddress bound = server.localAddress();
      MicroBatchEngine second = new MemoryStorages().configure(MicroBatchEngine.builder())
          .batchInterval(Duration.ofMillis(50)).receiver("ingest", server).processor(b -> { })
          .build();
      assertThatThrownBy(second::start).hasStackTraceContaining("already started")
          .hasStackTraceContaining("one IngestServer per engine and receiver");
      assertThat(server.localAddress()).as("the first engine's server still serves")
          .isEqualTo(bound);
      second.stopNow();
      try (IngestClient client = IngestClient.builder(bound).build()) {
        assertThat(client.send(IngestFixture.records("still-served", 1)).get(10,
            java.util.concurrent.TimeUnit.SECONDS).sequence()).isEqualTo(1);
      }
    } finally {
      first.stop();
    }
  }
}
