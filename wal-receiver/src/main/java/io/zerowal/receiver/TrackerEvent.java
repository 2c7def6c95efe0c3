/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import io.zerowal.core.RecordHandle;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An event of the block tracker's metadata log; each is one log record (little-endian):
 * <pre>
 * event          = version:u8 (=1) | type:u8 | body
 * BlockAdded     (1) = block
 * BatchAllocated (2) = batchTime:i64 | blocks
 * BatchCompleted (3) = batchTime:i64
 * Snapshot       (4) = lastBatchTime:i64 | blocks (unallocated) | batches:u32 | (batchTime:i64 | blocks) * batches
 * BlockAdded     (5) = block | metadata            (a block stored with the receiver's metadata)
 * Snapshot       (6) = the body of (4) | receivers:u32 | (idLength:u16 | receiverId:utf8 | metadata) * receivers
 * blocks         = count:u32 | block * count
 * block          = idLength:u16 | receiverId:utf8[idLength] | records:u32 | bytes:i64 | handle:41 bytes (RecordHandle.toBytes)
 * metadata       = length:u32 | bytes[length]
 * </pre>
 * {@code handle} is {@link RecordHandle#toBytes()}. A Snapshot replaces all state before it, so the
 * log can be truncated before it; type 6 carries each receiver's latest metadata along. Types 5 and
 * 6 are written only when a receiver stores metadata, so logs of receivers that never do stay
 * readable by older versions. Decoding rejects anything else with a
 * {@link CorruptMetadataException}.
 */
sealed interface TrackerEvent {
  byte VERSION = 1;
  long NO_BATCH = Long.MIN_VALUE;

  /**
   * A block is durable in its data log and may be allocated; {@code metadata} (null for none) is
   * what its receiver stored with it, the receiver's latest from now on.
   */
  record BlockAdded(BlockInfo block, ByteBuffer metadata) implements TrackerEvent {
    public BlockAdded {
      Objects.requireNonNull(block, "block");
      metadata = metadata == null ? null : readOnlyCopy(metadata);
    }

    BlockAdded(BlockInfo block) {
      this(block, null);
    }
  }

  /** These blocks, in this order, form the batch of {@code batchTime}. */
  record BatchAllocated(long batchTime, List<BlockInfo> blocks) implements TrackerEvent {
    public BatchAllocated {
      blocks = List.copyOf(blocks);
    }
  }

  /** The batch of {@code batchTime} was processed; it never runs again. */
  record BatchCompleted(long batchTime) implements TrackerEvent {}

  /** The whole tracker state at this point of the log. */
  record Snapshot(long lastBatchTime, List<BlockInfo> unallocated,
      SortedMap<Long, List<BlockInfo>> uncompleted, Map<String, ByteBuffer> metadata)
      implements TrackerEvent {
    public Snapshot {
      unallocated = List.copyOf(unallocated);
      TreeMap<Long, List<BlockInfo>> copy = new TreeMap<>();
      uncompleted.forEach((t, b) -> copy.put(t, List.copyOf(b)));
      uncompleted = java.util.Collections.unmodifiableSortedMap(copy);
      TreeMap<String, ByteBuffer> meta = new TreeMap<>();
      metadata.forEach((id, m) -> meta.put(id, readOnlyCopy(m)));
      metadata = java.util.Collections.unmodifiableSortedMap(meta);
    }

    Snapshot(long lastBatchTime, List<BlockInfo> unallocated,
        SortedMap<Long, List<BlockInfo>> uncompleted) {
      this(lastBatchTime, unallocated, uncompleted, Map.of());
    }
  }

  private static ByteBuffer readOnlyCopy(ByteBuffer b) {
    ByteBuffer copy = ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
    return copy.asReadOnlyBuffer();
  }

  // ---------------------------------------------------------------- encoding

  /** Bytes one block takes in an event. */
  static int encodedSize(BlockInfo block) {
    return 2 + block.receiverId().getBytes(StandardCharsets.UTF_8).length + 4 + 8
        + RecordHandle.ENCODED_SIZE;
  }

  static ByteBuffer encode(TrackerEvent event) {
    Writer w = new Writer();
    w.b.put(VERSION);
    if (event instanceof BlockAdded e) {
      w.b.put((byte) (e.metadata() == null ? 1 : 5));
      w.block(e.block());
      if (e.metadata() != null) {
        w.bytes(e.metadata());
      }
    } else if (event instanceof BatchAllocated e) {
      w.b.put((byte) 2);
      w.putLong(e.batchTime());
      w.blocks(e.blocks());
    } else if (event instanceof BatchCompleted e) {
      w.b.put((byte) 3);
      w.putLong(e.batchTime());
    } else if (event instanceof Snapshot e) {
      w.b.put((byte) (e.metadata().isEmpty() ? 4 : 6));
      w.putLong(e.lastBatchTime());
      w.blocks(e.unallocated());
      w.ensure(4);
      w.b.putInt(e.uncompleted().size());
      for (Map.Entry<Long, List<BlockInfo>> batch : e.uncompleted().entrySet()) {
        w.putLong(batch.getKey());
        w.blocks(batch.getValue());
      }
      if (!e.metadata().isEmpty()) {
        w.ensure(4);
        w.b.putInt(e.metadata().size());
        for (Map.Entry<String, ByteBuffer> m : e.metadata().entrySet()) {
          w.id(m.getKey());
          w.bytes(m.getValue());
        }
      }
    }
    return w.b.flip();
  }

  /**
   * Decodes one event.
   *
   * @param where names the record for messages, such as {@code "metadata record 17"}
   * @throws CorruptMetadataException if the bytes are not exactly one event
   */
  static TrackerEvent decode(ByteBuffer bytes, String where) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (b.remaining() < 2) {
        throw corrupt(where, "is " + b.remaining() + " bytes, too short for an event");
      }
      byte version = b.get();
      if (version != VERSION) {
        throw corrupt(where, "has unknown event version " + version + " (this ZeroWAL reads "
            + VERSION + "): the log was written by a newer ZeroWAL or is not a metadata log");
      }
      byte type = b.get();
      TrackerEvent event;
      switch (type) {
        case 1 -> event = new BlockAdded(block(b, where));
        case 5 -> event = new BlockAdded(block(b, where), bytes(b, where));
        case 2 -> event = new BatchAllocated(b.getLong(), blocks(b, where));
        case 3 -> event = new BatchCompleted(b.getLong());
        case 4, 6 -> {
          long last = b.getLong();
          List<BlockInfo> unallocated = blocks(b, where);
          int batches = count(b, where, 8 + 4);
          TreeMap<Long, List<BlockInfo>> uncompleted = new TreeMap<>();
          for (int i = 0; i < batches; i++) {
            long time = b.getLong();
            if (uncompleted.put(time, blocks(b, where)) != null) {
              throw corrupt(where, "lists batch " + time + " twice");
            }
          }
          TreeMap<String, ByteBuffer> metadata = new TreeMap<>();
          if (type == 6) {
            int receivers = count(b, where, 2 + 1 + 4);
            for (int i = 0; i < receivers; i++) {
              String id = id(b, where);
              if (metadata.put(id, bytes(b, where)) != null) {
                throw corrupt(where, "lists the metadata of receiver " + id + " twice");
              }
            }
          }
          event = new Snapshot(last, unallocated, uncompleted, metadata);
        }
        default -> throw corrupt(where, "has unknown event type " + type);
      }
      if (b.hasRemaining()) {
        throw corrupt(where, "has " + b.remaining() + " bytes after its event");
      }
      return event;
    } catch (BufferUnderflowException e) {
      throw corrupt(where, "ends inside its event");
    }
  }

  private static int count(ByteBuffer b, String where, int minEntrySize) {
    int n = b.getInt();
    if (n < 0 || (long) n * minEntrySize > b.remaining()) {
      throw corrupt(where, "claims " + Integer.toUnsignedString(n) + " entries with only "
          + b.remaining() + " bytes left");
    }
    return n;
  }

  private static List<BlockInfo> blocks(ByteBuffer b, String where) {
    int n = count(b, where, 2 + 4 + 8 + RecordHandle.ENCODED_SIZE);
    List<BlockInfo> blocks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      blocks.add(block(b, where));
    }
    return blocks;
  }

  private static ByteBuffer bytes(ByteBuffer b, String where) {
    int length = b.getInt();
    if (length < 0 || length > b.remaining()) {
      throw corrupt(where, "has receiver metadata of length " + Integer.toUnsignedString(length)
          + " with " + b.remaining() + " bytes left");
    }
    ByteBuffer m = b.slice(b.position(), length);
    b.position(b.position() + length);
    return m;
  }

  private static String id(ByteBuffer b, String where) {
    int idLength = Short.toUnsignedInt(b.getShort());
    if (idLength == 0 || idLength > b.remaining()) {
      throw corrupt(where, "has a receiver id of length " + idLength + " with " + b.remaining()
          + " bytes left");
    }
    String id;
    try {
      id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(b.slice(b.position(), idLength)).toString();
    } catch (CharacterCodingException e) {
      throw corrupt(where, "has a receiver id that is not UTF-8");
    }
    b.position(b.position() + idLength);
    return id;
  }

  private static BlockInfo block(ByteBuffer b, String where) {
    String id = id(b, where);
    int records = b.getInt();
    long bytes = b.getLong();
    if (records < 0 || bytes < 0) {
      throw corrupt(where, "has a block of " + records + " records and " + bytes + " bytes");
    }
    byte[] handle = new byte[RecordHandle.ENCODED_SIZE];
    b.get(handle);
    try {
      return new BlockInfo(id, records, bytes, RecordHandle.fromBytes(handle));
    } catch (IllegalArgumentException e) {
      throw corrupt(where, "has a bad block handle: " + e.getMessage());
    }
  }

  private static CorruptMetadataException corrupt(String where, String problem) {
    return new CorruptMetadataException(where + " " + problem + "; keep the metadata log for"
        + " inspection");
  }

  /** A growable little-endian buffer; events are small, except snapshots of a large backlog. */
  final class Writer {
    ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);

    void ensure(int n) {
      if (b.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
            .order(ByteOrder.LITTLE_ENDIAN);
        b = bigger.put(b.flip());
      }
    }

    void putLong(long v) {
      ensure(8);
      b.putLong(v);
    }

    void blocks(List<BlockInfo> blocks) {
      ensure(4);
      b.putInt(blocks.size());
      for (BlockInfo block : blocks) {
        block(block);
      }
    }

    void id(String receiverId) {
      byte[] id = receiverId.getBytes(StandardCharsets.UTF_8);
      ensure(2 + id.length);
      b.putShort((short) id.length).put(id);
    }

    void bytes(ByteBuffer bytes) {
      ensure(4 + bytes.remaining());
      b.putInt(bytes.remaining()).put(bytes.duplicate());
    }

    void block(BlockInfo block) {
      byte[] id = block.receiverId().getBytes(StandardCharsets.UTF_8);
      ensure(2 + id.length + 4 + 8 + RecordHandle.ENCODED_SIZE);
      b.putShort((short) id.length).put(id).putInt(block.recordCount()).putLong(block.bytes())
          .put(block.handle().toBytes());
    }
  }
}
