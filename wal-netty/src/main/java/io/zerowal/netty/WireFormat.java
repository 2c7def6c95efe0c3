/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bytes on the wire; docs/PROTOCOL.md is the authority and this is the only code that knows
 * the layout. Every frame, both ways, big-endian (network order):
 *
 * <pre>
 * frame  := length:u32 | type:u8 | body            length counts type and body
 * HELLO     (client, first frame) 0x01: magic "ZWIN" | version:u8 | producerId:u64
 *                                       | tokenLength:u16 | token[tokenLength] (UTF-8)
 * WELCOME   (server)              0x02: version:u8 | maxInFlight:u16 | maxFrameBytes:u32
 *                                       | highestSequence:u64 (of this producer, 0 if none)
 * BATCH     (client)              0x03: producerId:u64 | sequence:u64 | count:u32
 *                                       | count x (recordLength:u32 | record[recordLength])
 * ACK       (server)              0x04: producerId:u64 | sequence:u64 | status:u8 (0 stored,
 *                                       1 duplicate: stored before, not stored again)
 * ERROR     (server)              0x05: code:u16 | sequence:u64 (0: not about a batch)
 *                                       | messageLength:u16 | message[messageLength] (UTF-8)
 * </pre>
 *
 * Decoders check every length against what is left of the frame: a malformed frame is a
 * {@link MalformedFrameException}, never an allocation or a read past the frame.
 */
final class WireFormat {
  static final int MAGIC = 0x5A57494E; // "ZWIN"
  static final byte VERSION = 1;
  static final int LENGTH_FIELD = 4;

  static final byte HELLO = 0x01;
  static final byte WELCOME = 0x02;
  static final byte BATCH = 0x03;
  static final byte ACK = 0x04;
  static final byte ERROR = 0x05;

  static final byte STORED = 0;
  static final byte DUPLICATE = 1;

  /** Bytes of a BATCH frame before its records: length, type, producer, sequence, count. */
  static final int BATCH_HEADER = LENGTH_FIELD + 1 + 8 + 8 + 4;
  /** Bytes a record adds to a BATCH frame besides its own. */
  static final int RECORD_OVERHEAD = 4;
  static final int MAX_TOKEN_BYTES = 1024;
  private static final int MAX_MESSAGE_BYTES = 1024;

  private WireFormat() {}

  /** A frame that breaks docs/PROTOCOL.md; the connection that sent it is closed. */
  static final class MalformedFrameException extends RuntimeException {
    MalformedFrameException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- HELLO

  static ByteBuf hello(ByteBufAllocator alloc, long producerId, byte[] token) {
    ByteBuf b = alloc.buffer(LENGTH_FIELD + 1 + 4 + 1 + 8 + 2 + token.length);
    b.writeInt(1 + 4 + 1 + 8 + 2 + token.length).writeByte(HELLO).writeInt(MAGIC)
        .writeByte(VERSION).writeLong(producerId).writeShort(token.length).writeBytes(token);
    return b;
  }

  /** A decoded HELLO: the client's protocol version, producer and token. */
  record Hello(int version, long producerId, byte[] token) {}

  /** Decodes a HELLO body (after the type byte). */
  static Hello readHello(ByteBuf body) {
    need(body, 4 + 1, "HELLO");
    int magic = body.readInt();
    if (magic != MAGIC) {
      throw new MalformedFrameException(String.format("HELLO magic is 0x%08x, not 0x%08x (ZWIN):"
          + " the peer does not speak the ZeroWAL ingest protocol", magic, MAGIC));
    }
    int version = body.readUnsignedByte();
    need(body, 8 + 2, "HELLO");
    long producerId = body.readLong();
    int tokenLength = body.readUnsignedShort();
    if (tokenLength > MAX_TOKEN_BYTES) {
      throw new MalformedFrameException("HELLO token of " + tokenLength + " bytes, over "
          + MAX_TOKEN_BYTES);
    }
    need(body, tokenLength, "HELLO token");
    byte[] token = new byte[tokenLength];
    body.readBytes(token);
    end(body, "HELLO");
    return new Hello(version, producerId, token);
  }

  // ---------------------------------------------------------------- WELCOME

  static ByteBuf welcome(ByteBufAllocator alloc, int maxInFlight, int maxFrameBytes,
      long highestSequence) {
    ByteBuf b = alloc.buffer(LENGTH_FIELD + 1 + 1 + 2 + 4 + 8);
    b.writeInt(1 + 1 + 2 + 4 + 8).writeByte(WELCOME).writeByte(VERSION).writeShort(maxInFlight)
        .writeInt(maxFrameBytes).writeLong(highestSequence);
    return b;
  }

  /** A decoded WELCOME. */
  record Welcome(int version, int maxInFlight, int maxFrameBytes, long highestSequence) {}

  static Welcome readWelcome(ByteBuf body) {
    need(body, 1 + 2 + 4 + 8, "WELCOME");
    Welcome w = new Welcome(body.readUnsignedByte(), body.readUnsignedShort(), body.readInt(),
        body.readLong());
    end(body, "WELCOME");
    return w;
  }

  // ---------------------------------------------------------------- BATCH

  /** Bytes of the BATCH frame holding {@code records}, length field included. */
  static long batchFrameBytes(List<ByteBuffer> records) {
    long size = BATCH_HEADER;
    for (ByteBuffer r : records) {
      size += RECORD_OVERHEAD + r.remaining();
    }
    return size;
  }

  /** Encodes a BATCH frame on the heap: the client keeps it until acknowledged, for retries. */
  static byte[] batch(long producerId, long sequence, List<ByteBuffer> records, int frameBytes) {
    ByteBuffer b = ByteBuffer.allocate(frameBytes);
    b.putInt(frameBytes - LENGTH_FIELD).put(BATCH).putLong(producerId).putLong(sequence)
        .putInt(records.size());
    for (ByteBuffer r : records) {
      b.putInt(r.remaining()).put(r.duplicate());
    }
    return b.array();
  }

  /**
   * Reads a BATCH body (after the type byte) up to its records: the producer, the sequence and
   * the records as views into {@code body}, valid until it is released.
   */
  static long[] readBatchHeader(ByteBuf body, List<ByteBuffer> records) {
    need(body, 8 + 8 + 4, "BATCH");
    long producerId = body.readLong();
    long sequence = body.readLong();
    long count = body.readUnsignedInt();
    // Each record takes at least its length field: a count beyond that is a lie, not a loop.
    if (count * RECORD_OVERHEAD > body.readableBytes()) {
      throw new MalformedFrameException("BATCH " + sequence + " announces " + count
          + " records but only " + body.readableBytes() + " bytes follow");
    }
    for (long i = 0; i < count; i++) {
      need(body, 4, "BATCH record length");
      long length = body.readUnsignedInt();
      if (length > body.readableBytes()) {
        throw new MalformedFrameException("BATCH " + sequence + " record " + i + " announces "
            + length + " bytes but only " + body.readableBytes() + " are left in the frame");
      }
      records.add(body.nioBuffer(body.readerIndex(), (int) length));
      body.skipBytes((int) length);
    }
    end(body, "BATCH");
    return new long[] {producerId, sequence};
  }

  // ---------------------------------------------------------------- ACK

  static ByteBuf ack(ByteBufAllocator alloc, long producerId, long sequence, byte status) {
    ByteBuf b = alloc.buffer(LENGTH_FIELD + 1 + 8 + 8 + 1);
    b.writeInt(1 + 8 + 8 + 1).writeByte(ACK).writeLong(producerId).writeLong(sequence)
        .writeByte(status);
    return b;
  }

  /** A decoded ACK. */
  record Ack(long producerId, long sequence, boolean duplicate) {}

  static Ack readAck(ByteBuf body) {
    need(body, 8 + 8 + 1, "ACK");
    Ack a = new Ack(body.readLong(), body.readLong(), body.readByte() == DUPLICATE);
    end(body, "ACK");
    return a;
  }

  // ---------------------------------------------------------------- ERROR

  static ByteBuf error(ByteBufAllocator alloc, IngestError code, long sequence, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(text.length, MAX_MESSAGE_BYTES);
    ByteBuf b = alloc.buffer(LENGTH_FIELD + 1 + 2 + 8 + 2 + length);
    b.writeInt(1 + 2 + 8 + 2 + length).writeByte(ERROR).writeShort(code.code())
        .writeLong(sequence).writeShort(length).writeBytes(text, 0, length);
    return b;
  }

  /** A decoded ERROR. */
  record ErrorFrame(IngestError code, long sequence, String message) {}

  static ErrorFrame readError(ByteBuf body) {
    need(body, 2 + 8 + 2, "ERROR");
    IngestError code = IngestError.of(body.readUnsignedShort());
    long sequence = body.readLong();
    int length = body.readUnsignedShort();
    need(body, length, "ERROR message");
    String message = body.readCharSequence(length, StandardCharsets.UTF_8).toString();
    end(body, "ERROR");
    return new ErrorFrame(code, sequence, message);
  }

  // ---------------------------------------------------------------- checks

  private static void need(ByteBuf body, long bytes, String what) {
    if (body.readableBytes() < bytes) {
      throw new MalformedFrameException(what + " is truncated: " + bytes + " more bytes needed, "
          + body.readableBytes() + " left in the frame");
    }
  }

  private static void end(ByteBuf body, String what) {
    if (body.isReadable()) {
      throw new MalformedFrameException(what + " has " + body.readableBytes()
          + " bytes after its last field");
    }
  }
}
