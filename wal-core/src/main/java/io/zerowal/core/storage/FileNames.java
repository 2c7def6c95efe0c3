/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.core.storage;

/** Checks file names given to a {@link Storage}: one flat namespace, no paths. */
final class FileNames {
  private FileNames() {}

  /**
   * Returns {@code name} if it names a file directly inside the storage.
   *
   * @throws IllegalArgumentException if it is null, empty, {@code .} or {@code ..}, or contains a
   *     path separator or NUL, any of which could escape the log's directory
   */
  static String check(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
        || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid file name '" + name
          + "': a storage file name must be non-empty, not '.' or '..', and contain no '/', '\\' or NUL");
    }
    return name;
  }
}
