/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if Netty's leak detector reported a buffer that was never released. Loaded
 * by JUnit's extension auto-detection before any test class (so before Netty's buffers are), it
 * installs a leak detector factory whose detectors record every report; surefire runs the module
 * at {@code PARANOID}, so every buffer is tracked. After each class it collects garbage and
 * allocates until the detector has polled what was collected, then fails on any report.
 */
public final class LeakWatch implements AfterAllCallback {
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource,
          int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval) {
          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
            super.reportTracedLeak(resourceType, records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (untraced)");
            super.reportUntracedLeak(resourceType);
          }
        };
      }
    });
  }

  /**
   * Collects garbage and lets the detector poll it: it reports leaks of collected buffers when
   * the next buffer is tracked. Bounded: a few rounds.
   */
  static void collect() {
    for (int i = 0; i < 5; i++) {
      System.gc();
      for (int j = 0; j < 100; j++) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
        b.release();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    collect();
    if (!LEAKS.isEmpty()) {
      List<String> found = List.copyOf(LEAKS);
      LEAKS.clear();
      throw new AssertionError(found.size() + " Netty buffer leak(s) reported during "
          + context.getDisplayName() + ":\n" + String.join("\n", found));
    }
  }
}
