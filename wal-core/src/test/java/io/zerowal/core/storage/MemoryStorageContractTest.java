package io.zerowal.core.storage;

/** Runs the storage contract on {@link MemoryStorage}. */
class MemoryStorageContractTest extends StorageContractTest {

  @Override
  protected Storage newStorage() {
    return new MemoryStorage();
  }

  @Override
  protected Storage sameLocation(Storage first) {
    return first;
  }
}
