/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.slf4j;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * Tests only: slf4j-simple's MDC keeps nothing (a NOP adapter), so tests of what the engine puts
 * in the MDC install SLF4J's own {@link BasicMDCAdapter} for their duration, through the
 * package-private {@code MDC.setMDCAdapter}.
 */
public final class TestMdc implements AutoCloseable {
  private final MDCAdapter previous;

  private TestMdc() {
    previous = MDC.getMDCAdapter();
    MDC.setMDCAdapter(new BasicMDCAdapter());
  }

  /** Installs a working MDC adapter until {@link #close()}. */
  public static TestMdc install() {
    return new TestMdc();
  }

  @Override
  public void close() {
    MDC.setMDCAdapter(previous);
  }
}
