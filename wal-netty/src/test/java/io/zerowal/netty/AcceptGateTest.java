/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The gate on the listening channel: near the file limit it marks the connection just accepted
 * for refusal and stops accepting until a later check finds room. (HostileServerIT floods a real
 * server under {@code ulimit -n 256}; without the gate its engine failed with "Too many open
 * files" in its sink.)
 */
class AcceptGateTest {

  @Test
  void withRoomConnectionsPassUnmarkedAndAcceptingGoesOn() {
    AtomicBoolean near = new AtomicBoolean(false);
    EmbeddedChannel listening = new EmbeddedChannel(new AcceptGate(near::get));
    EmbeddedChannel child = new EmbeddedChannel();

    listening.writeInbound(child);

    assertThat((Channel) listening.readInbound()).isSameAs(child);
    assertThat(child.attr(AcceptGate.REFUSED).get()).isNull();
    assertThat(listening.config().isAutoRead()).isTrue();
  }

  @Test
  void nearTheLimitTheConnectionIsMarkedAndAcceptingStopsUntilThereIsRoom() {
    AtomicBoolean near = new AtomicBoolean(true);
    EmbeddedChannel listening = new EmbeddedChannel(new AcceptGate(near::get));
    listening.freezeTime();
    EmbeddedChannel child = new EmbeddedChannel();

    listening.writeInbound(child);

    assertThat((Channel) listening.readInbound()).as("passed on, to be answered and closed")
        .isSameAs(child);
    assertThat(child.attr(AcceptGate.REFUSED).get()).isTrue();
    assertThat(listening.config().isAutoRead()).as("accepting stopped").isFalse();

    listening.advanceTimeBy(AcceptGate.RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    listening.runScheduledPendingTasks();
    assertThat(listening.config().isAutoRead()).as("still near the limit").isFalse();

    near.set(false);
    listening.advanceTimeBy(AcceptGate.RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    listening.runScheduledPendingTasks();
    assertThat(listening.config().isAutoRead()).as("room again: accepting resumes").isTrue();

    EmbeddedChannel next = new EmbeddedChannel();
    listening.writeInbound(next);
    assertThat(next.attr(AcceptGate.REFUSED).get()).isNull();
  }

  @Test
  void aClosedListeningChannelIsNotRecheckedForever() {
    AtomicBoolean near = new AtomicBoolean(true);
    EmbeddedChannel listening = new EmbeddedChannel(new AcceptGate(near::get));
    listening.freezeTime();
    listening.writeInbound(new EmbeddedChannel());
    listening.close();

    listening.advanceTimeBy(AcceptGate.RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    listening.runScheduledPendingTasks();
    listening.advanceTimeBy(AcceptGate.RECHECK_MILLIS, TimeUnit.MILLISECONDS);

    assertThat(listening.runScheduledPendingTasks()).as("no check left scheduled").isEqualTo(-1);
  }

  @Test
  void theProcessProbeAnswersWithoutThrowing() {
    // This JVM (the test's) is far from its limit: the real probe must say so.
    assertThat(AcceptGate.nearFileLimit()).isFalse();
  }
}
