/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * ZeroWAL as Spark Streaming's pluggable write-ahead log: {@link io.zerowal.spark.ZeroWalSparkLog}
 * (set it as {@code spark.streaming.receiver.writeAheadLog.class} and/or
 * {@code spark.streaming.driver.writeAheadLog.class}, with {@code spark.zerowal.dir}) and its
 * serializable {@link io.zerowal.spark.ZeroWalRecordHandle}.
 *
 * <p>Package-private: {@code SparkLogOptions} (the {@code spark.zerowal.*} keys),
 * {@code LogLocation} (directory URI to {@code LocalStorage} or {@code HdfsStorage}),
 * {@code SharedLog} (one open log per directory and JVM, shared by the receivers of an executor),
 * {@code TimedRecord} (the record payload: Spark's time, then Spark's bytes) and {@code TimeIndex}
 * (Spark's times to segments, rebuilt from the records on open, for {@code clean}).
 */
package io.zerowal.spark;
