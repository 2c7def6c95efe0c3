package io.zerowal.core;

import static io.zerowal.core.TestLogs.await;
import static io.zerowal.core.TestLogs.payload;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerowal.core.storage.MemoryStorage;
import org.junit.jupiter.api.Test;

/** {@link WriteAheadLog#read} returns only records this log wrote, at the handles it gave out. */
class HandleBindingTest {
  private final MemoryStorage memory = new MemoryStorage();

  @Test
  void aHandleOffsetNearLongMaxIsNotInThisLogRatherThanAnIoFailure() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.builder(memory).open()) {
      RecordHandle h = await(log.append(payload(1, 5)));
      RecordHandle far = new RecordHandle(h.segment(), Long.MAX_VALUE - 3, 5, h.sequence());

      assertThatThrownBy(() -> log.read(far)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("another log");
    }
  }
}
