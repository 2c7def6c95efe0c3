/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.it;

import io.zerowal.core.storage.LocalStorage;
import io.zerowal.core.storage.SegmentInput;
import io.zerowal.core.storage.SegmentOutput;
import io.zerowal.core.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A {@link LocalStorage} that can lose power: it keeps the model of what the disk holds that the
 * {@link Storage} contract promises, and on {@link #powerCut} rewrites the directory to what a power
 * loss could leave. Everything the log asked to be durable must survive; nothing else need.
 *
 * <h2>What is modelled</h2>
 * <ul>
 *   <li>Per file (inode, so it follows renames): its durable image, which is its content at the last
 *       {@code SegmentOutput.sync()}, {@code Storage.truncate} (durable at once), or preallocating
 *       {@code create} (forced by LocalStorage), and the lowest offset written or cut since.</li>
 *   <li>On a cut each file becomes its durable image with part of what was written since (from
 *       that lowest offset) laid over it: nothing, everything, or a prefix cut at a random byte,
 *       possibly mid-frame; or, in a fifth of the cuts, the {@value #PAGE}-byte pages of that range
 *       each kept or lost on its own, so that a later page may survive an earlier one (disks and
 *       kernels write back an unsynced range in any order). Bytes a {@code truncateToPosition} cut
 *       but no sync confirmed come back.</li>
 *   <li>The namespace is the one of the last {@code syncDirectory()}: a file whose create was not
 *       dir-synced vanishes (even if its data was synced), a rename not dir-synced is undone, and a
 *       delete not dir-synced is undone (the file comes back with the durable image it had when it was
 *       deleted; a copy is kept at delete time).</li>
 *   <li>Not modelled: file-system metadata journaling modes (the length of a file whose later page
 *       survives follows that page); a real kernel may keep more, never less.</li>
 * </ul>
 * Every call after the cut, on this instance or an output or input it handed out, throws
 * {@link IOException}. Thread-safe: all operations and the cut hold this instance's monitor.
 */
final class PowerCutLocalStorage implements Storage {
  /** The unit in which a cut may write back an unsynced range out of order. */
  static final int PAGE = 4096;

  private final Path dir;
  private final LocalStorage local;
  private final Map<String, Node> current = new HashMap<>();
  private Map<String, Node> durable = new HashMap<>();
  private final List<AutoCloseableIo> open = new ArrayList<>();
  private boolean dead;
  private long tripAt;
  private long operations;
  private long tripSeed;
  private PowerCutLocalStorage survivor;
  private String trippedAt;

  /** One file across renames. */
  private static final class Node {
    String name;
    /** Content as of the last durable point; null while the file is clean (current == durable). */
    byte[] durableImage;
    long dirtyFrom = Long.MAX_VALUE;
    /** Durable image when it was deleted, for an undone delete. */
    byte[] deletedImage;
  }

  private interface AutoCloseableIo {
    void forceClose();
  }

  /** Wraps a directory whose current content is entirely durable (a fresh or just-rebooted directory). */
  PowerCutLocalStorage(Path dir) throws IOException {
    this.dir = dir;
    this.local = new LocalStorage(dir);
    for (String name : local.list()) {
      Node n = new Node();
      n.name = name;
      current.put(name, n);
    }
    durable = new HashMap<>(current);
  }

  /** Loses power at the {@code op}-th mutating operation (0 disarms), with the cut seeded by {@code seed}. */
  synchronized PowerCutLocalStorage tripAt(long op, long seed) {
    this.tripAt = op;
    this.tripSeed = seed;
    return this;
  }

  synchronized PowerCutLocalStorage survivor() {
    return survivor;
  }

  synchronized String trippedAt() {
    return trippedAt;
  }

  /** Cuts the power now (unless the tripwire already did) and returns the directory as it reboots. */
  synchronized PowerCutLocalStorage powerCut(long seed) throws IOException {
    if (survivor == null) {
      trippedAt = trippedAt == null ? "external" : trippedAt;
      survivor = cut(new Random(seed));
    }
    return survivor;
  }

  private PowerCutLocalStorage cut(Random random) throws IOException {
    dead = true;
    for (AutoCloseableIo io : new ArrayList<>(open)) {
      io.forceClose();
    }
    Map<Node, byte[]> finalBytes = new IdentityHashMap<>();
    for (String name : new TreeMap<>(durable).keySet()) {
      Node n = durable.get(name);
      if (finalBytes.containsKey(n)) {
        continue;
      }
      boolean live = current.get(n.name) == n;
      if (!live) {
        finalBytes.put(n, n.deletedImage);
        continue;
      }
      byte[] now = Files.readAllBytes(dir.resolve(n.name));
      if (n.durableImage == null) {
        finalBytes.put(n, now);
        continue;
      }
      byte[] image = n.durableImage;
      long from = Math.min(n.dirtyFrom, now.length);
      long span = now.length - from;
      int choice = random.nextInt(5);
      if (choice == 4) {
        finalBytes.put(n, pagesOutOfOrder(image, now, (int) from, random));
        continue;
      }
      long kept = switch (choice) {
        case 0 -> 0;
        case 1 -> span;
        default -> span <= 0 ? 0 : (long) (random.nextDouble() * (span + 1));
      };
      int end = (int) Math.max(image.length, from + kept);
      byte[] after = Arrays.copyOf(image, end);
      System.arraycopy(now, (int) from, after, (int) from, (int) kept);
      finalBytes.put(n, after);
    }
    try {
      local.close();
    } catch (IOException e) {
      // the lock dies with the "machine" anyway
    }
    for (String name : local.list()) {
      Files.delete(dir.resolve(name));
    }
    for (Map.Entry<String, Node> e : durable.entrySet()) {
      Files.write(dir.resolve(e.getKey()), finalBytes.get(e.getValue()));
    }
    return new PowerCutLocalStorage(dir);
  }

  /** The durable image with each page of {@code now[from..]} kept or lost on its own. */
  private static byte[] pagesOutOfOrder(byte[] image, byte[] now, int from, Random random) {
    byte[] after = Arrays.copyOf(image, Math.max(image.length, now.length));
    int end = image.length;
    for (int page = from - from % PAGE; page < now.length; page += PAGE) {
      if (random.nextBoolean()) {
        int lo = Math.max(page, from);
        int hi = Math.min(page + PAGE, now.length);
        System.arraycopy(now, lo, after, lo, hi - lo);
        end = Math.max(end, hi);
      }
    }
    return Arrays.copyOf(after, end);
  }

  private void before(String op) throws IOException {
    check();
    operations++;
    if (operations == tripAt && survivor == null) {
      trippedAt = op;
      survivor = cut(new Random(tripSeed));
      check();
    }
  }

  private void check() throws IOException {
    if (dead) {
      throw new IOException("power lost (simulated): this storage is dead");
    }
  }

  /** Before the first change since the last durable point, remembers the durable content. */
  private void dirty(Node n, long from) throws IOException {
    if (n.durableImage == null) {
      n.durableImage = Files.readAllBytes(dir.resolve(n.name));
    }
    n.dirtyFrom = Math.min(n.dirtyFrom, from);
  }

  private static void clean(Node n) {
    n.durableImage = null;
    n.dirtyFrom = Long.MAX_VALUE;
  }

  private Node node(String name) throws IOException {
    Node n = current.get(name);
    if (n == null) {
      throw new java.nio.file.NoSuchFileException(name);
    }
    return n;
  }

  @Override
  public String describe() {
    return "power-cut(" + local.describe() + ")";
  }

  @Override
  public synchronized void lockForWriting() throws IOException {
    check();
    local.lockForWriting();
  }

  @Override
  public synchronized List<String> list() throws IOException {
    check();
    return local.list();
  }

  @Override
  public synchronized boolean exists(String name) throws IOException {
    check();
    return local.exists(name);
  }

  @Override
  public synchronized long size(String name) throws IOException {
    check();
    return local.size(name);
  }

  @Override
  public synchronized SegmentOutput create(String name, long preallocateBytes) throws IOException {
    before("create " + name);
    SegmentOutput out = local.create(name, preallocateBytes);
    Node n = new Node();
    n.name = name;
    if (preallocateBytes == 0) {
      n.durableImage = new byte[0]; // the data of a new file is durable only after a sync
      n.dirtyFrom = 0;
    } // preallocated zeros are forced by LocalStorage: the file starts clean
    current.put(name, n);
    return new Output(out, n);
  }

  @Override
  public synchronized SegmentOutput openForWrite(String name, long position) throws IOException {
    before("openForWrite " + name);
    return new Output(local.openForWrite(name, position), node(name));
  }

  @Override
  public synchronized SegmentInput openForRead(String name) throws IOException {
    check();
    return new Input(local.openForRead(name));
  }

  @Override
  public synchronized void truncate(String name, long size) throws IOException {
    before("truncate " + name);
    Node n = node(name);
    local.truncate(name, size);
    clean(n); // LocalStorage.truncate forces data and metadata
  }

  @Override
  public synchronized void rename(String from, String to) throws IOException {
    before("rename " + from);
    Node n = node(from);
    local.rename(from, to);
    current.remove(from);
    n.name = to;
    current.put(to, n);
  }

  @Override
  public synchronized void delete(String name) throws IOException {
    before("delete " + name);
    Node n = node(name);
    n.deletedImage = n.durableImage != null ? n.durableImage : Files.readAllBytes(dir.resolve(name));
    local.delete(name);
    current.remove(name);
  }

  @Override
  public synchronized void syncDirectory() throws IOException {
    before("syncDirectory");
    local.syncDirectory();
    durable = new HashMap<>(current);
  }

  @Override
  public synchronized void close() throws IOException {
    check();
    local.close();
  }

  private final class Output implements SegmentOutput, AutoCloseableIo {
    private final SegmentOutput out;
    private final Node node;

    Output(SegmentOutput out, Node node) {
      this.out = out;
      this.node = node;
      open.add(this);
    }

    @Override
    public long position() {
      return out.position();
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        before("write " + node.name);
        dirty(node, out.position());
        out.write(srcs, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        before("flush " + node.name);
        out.flush();
      }
    }

    @Override
    public void sync() throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        before("sync " + node.name);
        out.sync();
        clean(node);
      }
    }

    @Override
    public void truncateToPosition() throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        before("truncateToPosition " + node.name);
        dirty(node, out.position());
        out.truncateToPosition();
      }
    }

    @Override
    public void close() throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        check();
        open.remove(this);
        out.close();
      }
    }

    @Override
    public void forceClose() {
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        // dying anyway
      }
    }
  }

  private final class Input implements SegmentInput, AutoCloseableIo {
    private final SegmentInput in;

    Input(SegmentInput in) {
      this.in = in;
      open.add(this);
    }

    @Override
    public long size() throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        check();
        return in.size();
      }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        check();
        return in.read(dst, position);
      }
    }

    @Override
    public void close() throws IOException {
      synchronized (PowerCutLocalStorage.this) {
        open.remove(this);
        in.close();
      }
    }

    @Override
    public void forceClose() {
      try {
        in.close();
      } catch (IOException | RuntimeException e) {
        // dying anyway
      }
    }
  }
}
