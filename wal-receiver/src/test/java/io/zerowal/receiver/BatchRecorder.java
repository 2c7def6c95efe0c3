/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.receiver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A processor that remembers every batch it ran, with its records as strings. */
final class BatchRecorder implements BatchProcessor {
  record Run(long batchTime, boolean recovered, List<String> records) {}

  final List<Run> runs = new CopyOnWriteArrayList<>();
  volatile Predicate<Batch> failWhen = b -> false;

  @Override
  public void process(Batch batch) {
    List<String> records = batch.records().map(ManualReceiver::text).collect(Collectors.toList());
    if (failWhen.test(batch)) {
      throw new IllegalStateException("sink down for batch " + batch.batchTime());
    }
    runs.add(new Run(batch.batchTime(), batch.isRecovered(), records));
  }

  List<String> allRecords() {
    return runs.stream().flatMap(r -> r.records().stream()).collect(Collectors.toList());
  }

  List<Run> nonEmpty() {
    return runs.stream().filter(r -> !r.records().isEmpty()).collect(Collectors.toList());
  }
}
