/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A receiver the test drives by hand through its context. */
class ManualReceiver implements Receiver {
  volatile ReceiverContext context;
  volatile boolean stopped;

  @Override
  public void onStart(ReceiverContext context) {
    this.context = context;
  }

  @Override
  public void onStop() {
    stopped = true;
  }

  CompletableFuture<BlockInfo> storeBlock(String... records) {
    List<ByteBuffer> list = new ArrayList<>();
    for (String r : records) {
      list.add(ByteBuffer.wrap(r.getBytes(StandardCharsets.UTF_8)));
    }
    return context.store(list);
  }

  static String text(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
  }
}
