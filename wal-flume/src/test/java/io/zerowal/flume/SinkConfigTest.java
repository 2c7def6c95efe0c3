/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.flume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.Durability;
import java.util.HashMap;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.conf.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkConfigTest {
  @TempDir java.nio.file.Path dir;

  private ZeroWalSink configured(Map<String, String> keys) {
    ZeroWalSink sink = new ZeroWalSink();
    sink.setName("k1");
    sink.configure(new Context(keys));
    return sink;
  }

  private Map<String, String> valid() {
    Map<String, String> keys = new HashMap<>();
    keys.put("directory", dir.resolve("wal").toString());
    keys.put("processor", BatchFileWriter.class.getName());
    keys.put("processor.directory", dir.resolve("out").toString());
    return keys;
  }

  private Map<String, String> with(String key, String value) {
    Map<String, String> keys = valid();
    if (value == null) {
      keys.remove(key);
    } else {
      keys.put(key, value);
    }
    return keys;
  }

  @Test
  void defaults() {
    SinkConfig c = SinkConfig.parse("k1", new Context(valid()));
    assertThat(c.durability).isEqualTo(Durability.SYNC);
    assertThat(c.batchSize).isEqualTo(100);
    assertThat(c.maxBlockBytes).isEqualTo(4 << 20);
    assertThat(c.batchInterval.toMillis()).isEqualTo(1000);
    assertThat(c.oversize).isEqualTo(SinkConfig.Oversize.FAIL);
    assertThat(configured(valid()).getBatchSize()).isEqualTo(100);
  }

  @Test
  void keysAreReadCaseInsensitiveForEnums() {
    SinkConfig c = SinkConfig.parse("k1", new Context(with("durability", "flush")));
    assertThat(c.durability).isEqualTo(Durability.FLUSH);
  }

  @Test
  void aMissingDirectoryIsNamed() {
    assertThatThrownBy(() -> configured(with("directory", null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.directory is required");
  }

  @Test
  void aBatchSizeOutOfRangeIsNamedWithItsRange() {
    assertThatThrownBy(() -> configured(with("batchSize", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.batchSize = \"0\" is out of range: give one in [1, 1000000]");
  }

  @Test
  void aNumberThatIsNotANumberIsNamed() {
    assertThatThrownBy(() -> configured(with("maxBlockBytes", "4MB")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.maxBlockBytes = \"4MB\" is not a whole number");
  }

  @Test
  void anUnknownDurabilityListsTheChoices() {
    assertThatThrownBy(() -> configured(with("durability", "fsync")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.durability = \"fsync\" is not one of SYNC, FLUSH, NONE");
  }

  @Test
  void aMissingProcessorIsNamedWithAnExample() {
    assertThatThrownBy(() -> configured(with("processor", null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.processor is required")
        .hasMessageContaining(BatchFileWriter.class.getName());
  }

  @Test
  void anUnknownProcessorClassIsNamed() {
    assertThatThrownBy(() -> configured(with("processor", "com.example.Nope")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.processor = com.example.Nope: no such class");
  }

  @Test
  void aProcessorThatIsNotABatchProcessorIsNamed() {
    assertThatThrownBy(() -> configured(with("processor", "java.lang.Object")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("does not implement io.zerowal.receiver.BatchProcessor");
  }

  @Test
  void theProcessorGetsItsOwnKeys() {
    assertThatThrownBy(() -> configured(with("processor.directory", null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("processor.directory is required");
  }

  @Test
  void aProcessorKeyIsRefusedWhenTheSinkWasBuiltWithAProcessor() {
    ZeroWalSink sink = new ZeroWalSink(batch -> { });
    sink.setName("k1");
    assertThatThrownBy(() -> sink.configure(new Context(valid())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("k1.processor = " + BatchFileWriter.class.getName() + " is set");
  }

  @Test
  void startBeforeConfigureIsRefused() {
    ZeroWalSink sink = new ZeroWalSink();
    sink.setName("k1");
    assertThatThrownBy(sink::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("configure(context) before start()");
  }
}
