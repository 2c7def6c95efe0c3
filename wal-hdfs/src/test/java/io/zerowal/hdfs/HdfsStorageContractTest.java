package io.zerowal.hdfs;

import io.zerowal.core.storage.Storage;
import io.zerowal.core.storage.StorageContractTest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract, unchanged, on {@link HdfsStorage} in a MiniDFSCluster. */
class HdfsStorageContractTest extends StorageContractTest {
  private static final AtomicInteger DIRS = new AtomicInteger();
  private static MiniHdfs hdfs;

  @BeforeAll
  static void startCluster() throws IOException {
    hdfs = MiniHdfs.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Override
  protected Storage newStorage() throws IOException {
    return new HdfsStorage(hdfs.fs(), new Path("/contract/" + DIRS.incrementAndGet()));
  }

  @Override
  protected Storage sameLocation(Storage first) throws IOException {
    return new HdfsStorage(hdfs.fs(), new Path(first.describe()));
  }

  /** HDFS drops a deleted file's blocks soon after the delete, open readers or not. */
  @Override
  protected boolean readersSurviveDelete() {
    return false;
  }
}
