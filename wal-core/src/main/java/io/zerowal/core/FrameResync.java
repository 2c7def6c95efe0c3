package io.zerowal.core;

import io.zerowal.core.storage.SegmentInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Finds the next valid frame after a damaged one, byte by byte. It decides whether damage in the
 * last segment is a torn tail (nothing valid after it: the crash interrupted the last group) or
 * mid-log corruption (valid frames follow: acknowledged data may be damaged), and lets SKIP_CORRUPT
 * recovery resume after a damaged frame. Only runs on the error path.
 */
final class FrameResync {
  private FrameResync() {}

  /**
   * The offset of the first valid record frame at or after {@code from} and before {@code end} whose
   * sequence is at least {@code minSequence}, or -1 if there is none.
   */
  static long findNextValidFrame(SegmentInput input, long from, long end, long minSequence,
      int maxRecordSize) throws IOException {
    if (from >= end) {
      return -1;
    }
    long span = end - from;
    if (span > Integer.MAX_VALUE - 64) {
      throw new WalException("segment region of " + span + " bytes is too large to search for"
          + " valid frames after damage");
    }
    ByteBuffer b = ByteBuffer.allocate((int) span).order(ByteOrder.LITTLE_ENDIAN);
    input.readFully(b, from);
    byte[] bytes = b.array();
    int n = bytes.length;
    CRC32C crc = new CRC32C();
    for (int p = 0; p + RecordFrame.HEADER_SIZE <= n; p++) {
      int len = b.getInt(p);
      if (len < 0 || len > maxRecordSize || p + RecordFrame.HEADER_SIZE + (long) len > n) {
        continue;
      }
      byte type = bytes[p + 8];
      if (type != RecordFrame.TYPE_RECORD) {
        continue;
      }
      long seq = b.getLong(p + 9);
      if (seq < minSequence) {
        continue;
      }
      if (RecordFrame.crcOf(crc, bytes, p + 8, len) == b.getInt(p + 4)) {
        return from + p;
      }
    }
    return -1;
  }
}
