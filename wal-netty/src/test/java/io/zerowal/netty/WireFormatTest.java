/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes of docs/PROTOCOL.md, pinned. */
class WireFormatTest {
  private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  /** The frame's body after its length and type, checking both. */
  private static ByteBuf body(ByteBuf frame, byte type) {
    assertThat(frame.readInt()).isEqualTo(frame.readableBytes());
    assertThat(frame.readByte()).isEqualTo(type);
    return frame;
  }

  @Test
  void helloBytesArePinned() {
    ByteBuf b = WireFormat.hello(ALLOC, 0x0102030405060708L, "tk".getBytes(StandardCharsets.UTF_8));
    try {
      assertThat(ByteBufUtil.hexDump(b)).isEqualTo(
          "00000012" + "01" + "5a57494e" + "01" + "0102030405060708" + "0002" + "746b");
      WireFormat.Hello h = WireFormat.readHello(body(b, WireFormat.HELLO));
      assertThat(h.version()).isEqualTo(1);
      assertThat(h.producerId()).isEqualTo(0x0102030405060708L);
      assertThat(new String(h.token(), StandardCharsets.UTF_8)).isEqualTo("tk");
    } finally {
      b.release();
    }
  }

  @Test
  void batchBytesArePinnedAndRecordsReadAsViews() {
    List<ByteBuffer> records = List.of(ByteBuffer.wrap(new byte[] {7}),
        ByteBuffer.wrap(new byte[] {8, 9}));
    byte[] frame = WireFormat.batch(5, 6, records, (int) WireFormat.batchFrameBytes(records));
    assertThat(ByteBufUtil.hexDump(frame)).isEqualTo("00000020" + "03" + "0000000000000005"
        + "0000000000000006" + "00000002" + "00000001" + "07" + "00000002" + "0809");
    ByteBuf b = Unpooled.wrappedBuffer(frame);
    try {
      List<ByteBuffer> read = new ArrayList<>();
      long[] header = WireFormat.readBatchHeader(body(b, WireFormat.BATCH), read);
      assertThat(header).containsExactly(5, 6);
      assertThat(read).containsExactlyElementsOf(records);
    } finally {
      b.release();
    }
  }

  @Test
  void ackWelcomeAndErrorRoundTrip() {
    ByteBuf ack = WireFormat.ack(ALLOC, 3, 4, WireFormat.DUPLICATE);
    ByteBuf welcome = WireFormat.welcome(ALLOC, 64, 1 << 20, 99);
    ByteBuf error = WireFormat.error(ALLOC, IngestError.BUSY, 12, "slow down");
    try {
      assertThat(ByteBufUtil.hexDump(ack)).isEqualTo("00000012" + "04" + "0000000000000003"
          + "0000000000000004" + "01");
      assertThat(WireFormat.readAck(body(ack, WireFormat.ACK)))
          .isEqualTo(new WireFormat.Ack(3, 4, true));
      assertThat(WireFormat.readWelcome(body(welcome, WireFormat.WELCOME)))
          .isEqualTo(new WireFormat.Welcome(1, 64, 1 << 20, 99));
      assertThat(WireFormat.readError(body(error, WireFormat.ERROR)))
          .isEqualTo(new WireFormat.ErrorFrame(IngestError.BUSY, 12, "slow down"));
    } finally {
      ack.release();
      welcome.release();
      error.release();
    }
  }

  @Test
  void malformedBatchesAreRefusedWithoutAllocating() {
    ByteBuf countLies = Unpooled.buffer().writeLong(1).writeLong(1).writeInt(Integer.MAX_VALUE);
    ByteBuf trailing = Unpooled.buffer().writeLong(1).writeLong(1).writeInt(0).writeByte(0);
    ByteBuf shortHeader = Unpooled.buffer().writeLong(1);
    try {
      assertThatThrownBy(() -> WireFormat.readBatchHeader(countLies, new ArrayList<>()))
          .isInstanceOf(WireFormat.MalformedFrameException.class)
          .hasMessageContaining("announces 2147483647 records but only 0 bytes follow");
      assertThatThrownBy(() -> WireFormat.readBatchHeader(trailing, new ArrayList<>()))
          .hasMessageContaining("1 bytes after its last field");
      assertThatThrownBy(() -> WireFormat.readBatchHeader(shortHeader, new ArrayList<>()))
          .hasMessageContaining("BATCH is truncated");
    } finally {
      countLies.release();
      trailing.release();
      shortHeader.release();
    }
  }

  @Test
  void helloWithAnotherMagicIsNotOurProtocol() {
    ByteBuf b = Unpooled.buffer().writeInt(0x47455420).writeByte(1); // "GET "
    try {
      assertThatThrownBy(() -> WireFormat.readHello(b))
          .hasMessageContaining("does not speak the ZeroWAL ingest protocol");
    } finally {
      b.release();
    }
  }

  @Test
  void producerTableSnapshotRoundTripsAndRefusesForeignMetadata() {
    ProducerTable t = new ProducerTable();
    t.set(1, 10);
    t.set(-5, 3);
    ProducerTable back = ProducerTable.fromSnapshot(t.snapshot());
    assertThat(back.highest(1)).isEqualTo(10);
    assertThat(back.highest(-5)).isEqualTo(3);
    assertThat(back.highest(2)).isZero();
    assertThat(back.size()).isEqualTo(2);
    assertThat(ProducerTable.fromSnapshot(null).size()).isZero();
    assertThatThrownBy(() -> ProducerTable.fromSnapshot(ByteBuffer.wrap(new byte[] {7, 0})))
        .hasMessageContaining("not a producer table");
    assertThatThrownBy(() -> ProducerTable.fromSnapshot(
        ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 2, 0})))
        .hasMessageContaining("announces 2 entries in 1 bytes");
  }
}
