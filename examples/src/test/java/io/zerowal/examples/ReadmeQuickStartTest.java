/*
 * Copyright 2026 The ZeroWAL Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.zerowal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's quick starts are the compiled {@link QuickStart}, {@link ReceiverQuickStart} and
 * {@link HdfsQuickStart}, character for character.
 */
class ReadmeQuickStartTest {

  @ParameterizedTest
  @ValueSource(strings = {"QuickStart.java", "ReceiverQuickStart.java", "HdfsQuickStart.java"})
  void readmeQuickStartIsTheCompiledExample(String file) throws Exception {
    String source = Files.readString(Path.of("src/main/java/io/zerowal/examples/" + file));
    String readme = Files.readString(Path.of("../README.md"));

    String tagged = between(source, "// tag::quickstart[]\n", "// end::quickstart[]\n");
    String snippet = between(readme, "<!-- quickstart: examples/src/main/java/io/zerowal/examples/"
        + file + " -->\n```java\n", "```\n");

    assertThat(snippet).isEqualTo(tagged);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("marker %s", start.strip()).isNotNegative();
    from += start.length();
    int to = text.indexOf(end, from);
    assertThat(to).as("marker %s", end.strip()).isNotNegative();
    return text.substring(from, to);
  }
}
