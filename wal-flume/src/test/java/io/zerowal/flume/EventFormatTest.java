/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flume.Event;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.Test;

class EventFormatTest {

  @Test
  void anEventRoundTripsWithHeadersInOrderAndItsBody() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("timestamp", "1764619200000");
    headers.put("host", "héte-1");
    headers.put("empty", "");
    Event e = EventBuilder.withBody("a body\nwith a newline".getBytes(StandardCharsets.UTF_8),
        headers);

    ByteBuffer encoded = EventFormat.encode(e);
    assertThat((long) encoded.remaining()).isEqualTo(EventFormat.encodedSize(e));
    Event back = EventFormat.decode(encoded);

    assertThat(back.getHeaders()).isEqualTo(headers); // Flume keeps headers in a HashMap
    assertThat(back.getBody()).isEqualTo(e.getBody());
    assertThat(encoded.position()).isZero(); // decode reads without moving
  }

  @Test
  void anEmptyEventIsSevenBytes() {
    ByteBuffer b = EventFormat.encode(EventBuilder.withBody(new byte[0]));
    assertThat(b.remaining()).isEqualTo(7);
    assertThat(b.get(0)).isEqualTo(EventFormat.VERSION);
    assertThat(EventFormat.decode(b).getBody()).isEmpty();
  }

  @Test
  void anotherVersionIsRefused() {
    ByteBuffer b = EventFormat.encode(EventBuilder.withBody(new byte[] {1, 2}));
    b.put(0, (byte) 9);
    assertThatThrownBy(() -> EventFormat.decode(b)).isInstanceOf(CorruptEventException.class)
        .hasMessageContaining("version 9, not 1");
  }

  @Test
  void aTruncatedRecordIsRefusedNeverMisread() {
    ByteBuffer full = EventFormat.encode(EventBuilder.withBody(
        "body".getBytes(StandardCharsets.UTF_8), Map.of("k", "v")));
    for (int cut = 0; cut < full.remaining(); cut++) {
      ByteBuffer b = full.duplicate().limit(cut);
      assertThatThrownBy(() -> EventFormat.decode(b)).as("cut at %d", cut)
          .isInstanceOf(CorruptEventException.class);
    }
  }

  @Test
  void trailingBytesAreRefused() {
    ByteBuffer full = EventFormat.encode(EventBuilder.withBody(new byte[] {7}));
    ByteBuffer longer = ByteBuffer.allocate(full.remaining() + 1).put(full).put((byte) 0).flip();
    assertThatThrownBy(() -> EventFormat.decode(longer)).isInstanceOf(CorruptEventException.class)
        .hasMessageContaining("1 bytes follow the body");
  }

  @Test
  void randomBytesAreRefusedOrDecodedButNeverThrowAnythingElse() {
    long seed = System.nanoTime();
    System.out.println("EventFormatTest seed " + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = new byte[random.nextInt(40)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = EventFormat.VERSION;
      }
      try {
        EventFormat.decode(ByteBuffer.wrap(bytes));
      } catch (CorruptEventException expected) {
        // the only failure allowed
      }
    }
  }
}
