/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.kafka;

import io.zerowal.receiver.BlockInfo;
import io.zerowal.receiver.ReceiverContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polling thread of a {@link KafkaReceiver}: the only thread that touches the consumer.
 *
 * <p>Each stored block is a {@link Pending} entry queued under every partition it holds records
 * of, in store order. A store's completion (on a log's thread) only puts the entry on
 * {@link #completions}; this thread marks it and commits, per partition, the offset after the
 * longest prefix of durable entries. An entry that failed is never passed: nothing after it is
 * committed, and the receiver restarts from what is durable.
 */
final class WalPoller implements Runnable, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(WalPoller.class);
  private static final int BLOCK_HEADER = 5; // BlockFormat: version:u8 | count:u32
  private static final int RECORD_OVERHEAD = 4; // BlockFormat: length:u32

  /** One stored block (or a skipped record): the position after it, per partition. */
  private static final class Pending {
    final Map<TopicPartition, Long> next;
    volatile Throwable error;
    boolean done; // polling thread only

    Pending(Map<TopicPartition, Long> next) {
      this.next = next;
    }
  }

  private final ReceiverContext context;
  private final KafkaReceiver.Settings settings;
  private final LinkedBlockingQueue<Pending> completions = new LinkedBlockingQueue<>();
  private final Map<TopicPartition, ArrayDeque<Pending>> inFlight = new HashMap<>();
  private final Map<TopicPartition, Long> durable = new HashMap<>(); // not yet committed
  // Assigned partitions: the position after what this receiver stored of each, or, until it
  // stores a record of it, the position it resumed at. Every assigned partition is in it from its
  // assignment on, so every block's metadata holds the position of each: a partition assigned
  // but not read before a crash must not fall out of the journal (the next start would resume
  // it at an older committed offset and store again what the log holds).
  private final Map<TopicPartition, Long> stored = new HashMap<>();
  // Positions of partitions this receiver stored before and does not hold now: recovered from
  // the log at the first assignment (after a crash the group may hand some partitions back only
  // once the dead member's session expires), or kept from partitions revoked (their commit may
  // have failed, or not covered stores still in flight) or lost without revocation. Every
  // block's metadata carries them on, so that when such a partition comes back it resumes after
  // what the log holds, not at an older committed offset. A position older than the group's
  // commit is harmless: a partition resumes at the later of the two.
  private final Map<TopicPartition, Long> carried = new HashMap<>();
  private boolean recoveredPositionsLoaded;
  // The last store flushed, of any partition (lost ones too): blocks become durable in order, so
  // once it is done every earlier one is.
  private Pending lastFlushed;
  private final Backoff backoff;
  private volatile boolean stopping;
  private boolean closing; // polling thread only: the last commit is done, the consumer closes
  private volatile Consumer<byte[], byte[]> consumer;
  private Throwable storeFailure;
  private long lastCommitNanos = System.nanoTime();

  // The block being gathered: records and the positions after them.
  private final List<ByteBuffer> block = new ArrayList<>();
  private final Map<TopicPartition, Long> blockNext = new HashMap<>();
  private int blockBytes = BLOCK_HEADER;
  /** The receiver's maxBlockBytes, within the engine's: a larger block would be refused. */
  private final int maxBlockBytes;

  WalPoller(ReceiverContext context, KafkaReceiver.Settings settings) {
    this.context = context;
    this.settings = settings;
    this.backoff = new Backoff(settings.initialBackoff, settings.maxBackoff);
    this.maxBlockBytes = Math.min(settings.maxBlockBytes, context.maxBlockBytes());
  }

  private boolean stopped() {
    return stopping || context.isStopped();
  }

  /** Ends the loop: a poll in progress returns at once. Any thread. */
  void stop() {
    stopping = true;
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  @Override
  public void run() {
    Consumer<byte[], byte[]> c = connect();
    if (c == null) {
      return;
    }
    try {
      c.subscribe(settings.topics, this);
      while (!stopped()) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = c.poll(settings.pollTimeout);
        } catch (WakeupException e) {
          break;
        } catch (RecordDeserializationException e) {
          poison(e);
          continue;
        }
        for (TopicPartition tp : records.partitions()) {
          for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
            add(r);
          }
        }
        flush();
        settle();
        if (storeFailure != null) {
          if (stopped()) {
            break;
          }
          throw new KafkaException("a store of receiver " + context.receiverId() + " failed ("
              + storeFailure + "); restarting from what is durable", storeFailure);
        }
        if (System.nanoTime() - lastCommitNanos >= settings.commitInterval.toNanos()) {
          commit(false);
        }
      }
    } finally {
      shutdown(c);
    }
  }

  /** Creates the consumer, retrying with backoff; null if stopped first. */
  private Consumer<byte[], byte[]> connect() {
    Consumer<byte[], byte[]> c = backoff.retry(
        () -> settings.consumerFactory.apply(settings.consumerConfig), this::stopped, log,
        "receiver " + context.receiverId() + ": creating the Kafka consumer");
    consumer = c;
    if (c != null && stopping) {
      c.wakeup(); // stop() ran before the consumer was set
    }
    return c;
  }

  // ------------------------------------------------------------------ storing

  private void add(ConsumerRecord<byte[], byte[]> r) {
    if (stopping) {
      return; // stopped for a bad record: nothing after it is stored or committed
    }
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    int size = StoredRecordFormat.encodedSize(r);
    if ((long) BLOCK_HEADER + RECORD_OVERHEAD + size > maxBlockBytes) {
      oversized(r, tp, size);
      return;
    }
    if (blockBytes + RECORD_OVERHEAD + size > maxBlockBytes) {
      flush();
    }
    block.add(StoredRecordFormat.encode(r));
    blockBytes += RECORD_OVERHEAD + size;
    blockNext.put(tp, r.offset() + 1);
  }

  /** Stores the block gathered so far with the positions after it as metadata. */
  private void flush() {
    if (blockNext.isEmpty()) {
      return;
    }
    Pending p = new Pending(Map.copyOf(blockNext));
    stored.putAll(blockNext);
    Map<TopicPartition, Long> positions = stored;
    if (!carried.isEmpty()) {
      positions = new HashMap<>(carried);
      positions.putAll(stored);
    }
    ByteBuffer metadata = Positions.encode(positions);
    if (metadata.remaining() > context.maxMetadataBytes()) {
      throw new IllegalStateException("receiver " + context.receiverId() + " holds positions of "
          + positions.size() + " partitions (" + metadata.remaining() + " bytes), over the "
          + context.maxMetadataBytes() + " bytes of metadata a block may carry: raise the"
          + " engine's metadataSegmentSize or split the topics across receivers");
    }
    List<ByteBuffer> records = List.copyOf(block);
    block.clear();
    blockNext.clear();
    blockBytes = BLOCK_HEADER;
    CompletableFuture<BlockInfo> f;
    try {
      f = records.isEmpty() ? CompletableFuture.completedFuture(null)
          : context.store(records, metadata);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("receiver " + context.receiverId() + ": " + e.getMessage()
          + " (KafkaReceiver.Builder.maxBlockBytes " + settings.maxBlockBytes + ", engine's "
          + context.maxBlockBytes() + ")", e);
    }
    // In flight only once the store took the block: a store that threw has no future, and an
    // entry waiting for one would hold the stop's awaitInFlight for revokeTimeout.
    for (TopicPartition tp : p.next.keySet()) {
      inFlight.computeIfAbsent(tp, k -> new ArrayDeque<>()).add(p);
    }
    lastFlushed = p;
    f.whenComplete((b, error) -> {
      p.error = error;
      completions.add(p);
    });
  }

  private void oversized(ConsumerRecord<byte[], byte[]> r, TopicPartition tp, int size) {
    String what = "record " + tp + "@" + r.offset() + " encodes to " + size + " bytes, more than"
        + " the receiver's maxBlockBytes " + maxBlockBytes;
    if (settings.oversizedRecords == BadRecordPolicy.SKIP) {
      context.reportError(what + "; skipped (oversizedRecords=SKIP), it will not be processed",
          null);
      skipTo(tp, r.offset() + 1);
      return;
    }
    flush();
    stopForGood(what + ": raise maxBlockBytes of the KafkaReceiver and of the engine, or choose"
        + " oversizedRecords(SKIP); what was stored before it is committed");
  }

  private void poison(RecordDeserializationException e) {
    TopicPartition tp = e.topicPartition();
    String what = "record " + tp + "@" + e.offset() + " cannot be read by the consumer ("
        + e.getMessage() + ")";
    if (settings.poisonRecords == BadRecordPolicy.SKIP) {
      context.reportError(what + "; skipped (poisonRecords=SKIP), it will not be processed", e);
      flush();
      skipTo(tp, e.offset() + 1);
      consumer.seek(tp, e.offset() + 1);
      return;
    }
    flush();
    stopForGood(what + ": choose poisonRecords(SKIP) to go past it; what was stored before it is"
        + " committed");
  }

  /** A skipped record counts as done once everything before it is: queued already settled. */
  private void skipTo(TopicPartition tp, long next) {
    flush();
    Pending p = new Pending(Map.of(tp, next));
    stored.put(tp, next);
    inFlight.computeIfAbsent(tp, k -> new ArrayDeque<>()).add(p);
    completions.add(p);
  }

  private void stopForGood(String message) {
    stopping = true;
    context.reportError(message, null);
    // Not on this thread: an engine stop that began meanwhile (say, from the failure listener
    // that just heard the report) calls onStop under the supervisor's lock and waits there for
    // this thread to end, while context.stop() waits for that lock: each would wait for the
    // other until onStop gave up. From another thread, this one ends and both stops complete.
    Thread t = new Thread(() -> context.stop(message),
        Thread.currentThread().getName() + "-stop");
    t.setDaemon(true);
    t.start();
  }

  // ------------------------------------------------------------------ committing

  /** Marks what completed and moves each partition's durable position over its settled prefix. */
  private void settle() {
    for (Pending p; (p = completions.poll()) != null; ) {
      mark(p);
    }
    for (Map.Entry<TopicPartition, ArrayDeque<Pending>> e : inFlight.entrySet()) {
      ArrayDeque<Pending> q = e.getValue();
      while (!q.isEmpty() && q.peek().done && q.peek().error == null) {
        durable.put(e.getKey(), q.poll().next.get(e.getKey()));
      }
    }
  }

  private void mark(Pending p) {
    p.done = true;
    if (p.error != null && storeFailure == null) {
      storeFailure = p.error;
    }
  }

  /** Waits until no store of {@code partitions} is in flight, or the revoke timeout passed. */
  private void awaitInFlight(Collection<TopicPartition> partitions) {
    awaitInFlight(partitions, false);
  }

  /**
   * Waits until no store of {@code partitions} is in flight, nor, if {@code all}, any store at
   * all (those of partitions lost meanwhile too), or the revoke timeout passed.
   */
  private void awaitInFlight(Collection<TopicPartition> partitions, boolean all) {
    long deadline = System.nanoTime() + settings.revokeTimeout.toNanos();
    while (true) {
      settle();
      if (storeFailure != null) {
        // The log failed: no later store can commit anything (a failed entry is never passed),
        // and stores queued behind the failure may complete only once the engine's stop, which
        // waits for this thread, has gone on. Commit what is durable now.
        return;
      }
      boolean waiting = false;
      for (TopicPartition tp : partitions) {
        ArrayDeque<Pending> q = inFlight.get(tp);
        waiting |= q != null && !q.isEmpty() && q.peek().error == null;
      }
      waiting |= all && lastFlushed != null && !lastFlushed.done;
      long left = deadline - System.nanoTime();
      if (!waiting) {
        return;
      }
      if (left <= 0) {
        log.warn("receiver {}: stores of {} still in flight after {}; committing what is"
            + " durable, the rest is read again", context.receiverId(), partitions,
            settings.revokeTimeout);
        return;
      }
      try {
        Pending p = completions.poll(left, TimeUnit.NANOSECONDS);
        if (p != null) {
          completions.add(p); // settle() marks it with the others
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Commits the durable positions not yet committed: asynchronously, or synchronously. */
  private void commit(boolean sync) {
    lastCommitNanos = System.nanoTime();
    if (durable.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    durable.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
    durable.clear();
    if (sync) {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException e) {
        consumer.commitSync(offsets); // the stop's wakeup, meant for a poll: it fires only once
      }
      log.debug("receiver {}: committed {}", context.receiverId(), offsets);
    } else {
      consumer.commitAsync(offsets, (done, error) -> {
        if (error != null) {
          // The next commit carries later positions; a restart resumes from the durable ones.
          log.warn("receiver {}: commit of {} failed: {}", context.receiverId(), done, error);
        }
      });
    }
  }

  private void shutdown(Consumer<byte[], byte[]> c) {
    try {
      // All stores, those of partitions lost meanwhile too: a restarted receiver resumes at the
      // positions of the last durable block, which must not miss stores still in flight.
      awaitInFlight(new ArrayList<>(inFlight.keySet()), true);
      commit(true);
    } catch (RuntimeException e) {
      log.warn("receiver {}: last commit failed ({}); the next start resumes from the durable"
          + " positions", context.receiverId(), e.toString());
    } finally {
      // Closing leaves the group, which revokes the assignment: that revocation must not wait
      // for the stores in flight a second time (a dead log's never complete) nor commit again.
      closing = true;
      try {
        c.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("receiver {}: closing the consumer: {}", context.receiverId(), e.toString());
      }
      consumer = null;
    }
  }

  // ------------------------------------------------------------------ rebalances

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty() || closing) {
      return;
    }
    flush();
    awaitInFlight(partitions);
    Map<TopicPartition, Long> keep = new HashMap<>(durable);
    durable.keySet().retainAll(partitions);
    try {
      commit(true);
    } catch (RuntimeException e) {
      log.warn("receiver {}: commit on revocation of {} failed ({}); the new owner reads their"
          + " uncommitted records again", context.receiverId(), partitions, e.toString());
    }
    keep.keySet().removeAll(partitions);
    durable.putAll(keep);
    carry(partitions);
    log.info("receiver {}: revoked {}", context.receiverId(), partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    log.warn("receiver {}: lost {} without revocation (expelled from the group): their durable"
        + " offsets are not committed, the new owner reads them again", context.receiverId(),
        partitions);
    flush();
    // Not committed: if a partition comes back, what this log holds of it is not read again.
    carry(partitions);
  }

  /**
   * No longer held: their positions go on in every block's metadata. Revoked partitions too,
   * although their durable positions were just committed: that commit may have failed (as an
   * asynchronous one before it may have, with nothing left to commit now), or not covered stores
   * still in flight after revokeTimeout, which become durable all the same.
   */
  private void carry(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      Long position = stored.get(tp);
      if (position != null) {
        carried.merge(tp, position, Math::max);
      }
    }
    forgetAssigned(partitions);
  }

  private void forgetAssigned(Collection<TopicPartition> partitions) {
    Set<TopicPartition> gone = new HashSet<>(partitions);
    durable.keySet().removeAll(gone);
    stored.keySet().removeAll(gone);
    for (Iterator<TopicPartition> it = inFlight.keySet().iterator(); it.hasNext(); ) {
      if (gone.contains(it.next())) {
        it.remove();
      }
    }
  }

  private static Long max(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> recovered = context.lastMetadata().map(Positions::decode)
        .orElse(Map.of());
    if (!recoveredPositionsLoaded) {
      recoveredPositionsLoaded = true;
      recovered.forEach((tp, position) -> carried.merge(tp, position, Math::max));
    }
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
    for (TopicPartition tp : partitions) {
      // What this log holds of it: journaled in the last durable block, or kept since this
      // receiver last held it (lost with stores in flight, the last block may not show them yet).
      Long known = max(recovered.get(tp), carried.remove(tp));
      OffsetAndMetadata c = committed.get(tp);
      // Stored but not committed when the last owner here died: go on after it, not before.
      if (known != null && (c == null || known > c.offset())) {
        consumer.seek(tp, known);
        log.info("receiver {}: {} resumes at durable position {} (committed {})",
            context.receiverId(), tp, known, c == null ? "none" : c.offset());
      }
      // Journaled from here on, even if nothing of it is read before the next crash.
      Long resumeAt = max(known, c == null ? null : c.offset());
      if (resumeAt != null) {
        stored.merge(tp, resumeAt, Math::max);
      }
    }
    log.info("receiver {}: assigned {}", context.receiverId(), partitions);
  }
}
