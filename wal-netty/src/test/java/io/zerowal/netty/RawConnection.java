/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

/** A blocking socket speaking (or breaking) the protocol byte by byte, for tests. */
final class RawConnection implements AutoCloseable {
  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawConnection(InetSocketAddress address) throws IOException {
    socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  static byte[] hello(long producerId, String token) {
    ByteBuf b = WireFormat.hello(UnpooledByteBufAllocator.DEFAULT, producerId,
        token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  static byte[] batch(long producerId, long sequence, List<ByteBuffer> records) {
    return WireFormat.batch(producerId, sequence, records,
        (int) WireFormat.batchFrameBytes(records));
  }

  /** Sends HELLO and reads the WELCOME. */
  WireFormat.Welcome handshake(long producerId, String token) throws IOException {
    write(hello(producerId, token));
    Object reply = read();
    if (!(reply instanceof WireFormat.Welcome w)) {
      throw new AssertionError("expected WELCOME, got " + reply);
    }
    return w;
  }

  /** The next frame decoded (Welcome, Ack or ErrorFrame), or "EOF" when the server closed. */
  Object read() throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException | SocketException e) {
      return "EOF";
    }
    byte[] body = new byte[length];
    in.readFully(body);
    ByteBuf b = Unpooled.wrappedBuffer(body);
    try {
      byte type = b.readByte();
      return switch (type) {
        case WireFormat.WELCOME -> WireFormat.readWelcome(b);
        case WireFormat.ACK -> WireFormat.readAck(b);
        case WireFormat.ERROR -> WireFormat.readError(b);
        default -> throw new AssertionError("unexpected frame type " + type);
      };
    } finally {
      b.release();
    }
  }

  /** True once the server closed the connection (reads EOF within the socket timeout). */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        Object frame = read();
        if ("EOF".equals(frame)) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
