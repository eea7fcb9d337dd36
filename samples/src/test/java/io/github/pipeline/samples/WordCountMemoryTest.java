package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wordcount} over far more distinct words than its aggregate holds in a 64 MB heap, so the counts
 * spill to disk and are merged: runs in the memory-test execution, under {@code -Xmx64m}.
 */
class WordCountMemoryTest {

    private static final int DISTINCT = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void twoMillionDistinctWordsCountInASmallHeap() throws IOException {
        assertThat(Runtime.getRuntime().maxMemory()).as("run by the memory-test execution, -Xmx64m")
                .isLessThanOrEqualTo(64L << 20);
        Path text = dir.resolve("distinct.txt");
        try (BufferedWriter out = Files.newBufferedWriter(text)) {
            for (int i = 0; i < DISTINCT; i++) {
                out.write("W" + i + " the" + (i % 3 == 0 ? " Three" : "") + "\n");
            }
        }

        Cli cli = Cli.run("wordcount", "--input", text.toString(), "--top", "5", "--quiet");

        assertThat(cli.status()).as(cli.err()).isZero();
        // every w<i> once; ties in alphabetical order: w0, w1, w10
        assertThat(cli.outLines()).containsExactly(
                "the\t" + DISTINCT, "three\t" + (DISTINCT + 2) / 3, "w0\t1", "w1\t1", "w10\t1");
        assertThat(cli.err()).contains("aggregate 'count'", "out=" + (DISTINCT + 2));
    }
}
