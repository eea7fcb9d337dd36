package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-aside-then-move of every file sink: a target is either untouched or complete. */
class AtomicFileOutputTest {

    @TempDir
    Path dir;

    private long filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    void nothingShowsUnderTheTargetNameUntilCommit() throws IOException {
        Path target = dir.resolve("sub/out.txt");
        AtomicFileOutput output = AtomicFileOutput.open(target);
        output.writer(StandardCharsets.UTF_8).write("hello\n");

        assertThat(target).doesNotExist();
        assertThat(output.partial()).exists().hasParent(target.getParent());
        assertThat(output.partial().getFileName().toString()).startsWith(".out.txt.").endsWith(".partial");

        output.commit();

        assertThat(target).hasContent("hello");
        assertThat(filesIn(target.getParent())).isOne();
    }

    @Test
    void abortLeavesAnExistingTargetUntouchedAndRemovesThePartialFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old");
        AtomicFileOutput output = AtomicFileOutput.open(target, true);
        output.stream().write(new byte[100_000]);

        output.abort();
        output.abort(); // again: nothing to do

        assertThat(target).hasContent("old");
        assertThat(filesIn(dir)).isOne();
        assertThatThrownBy(output::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWithoutCommitAborts() throws IOException {
        Path target = dir.resolve("out.txt");
        try (AtomicFileOutput output = AtomicFileOutput.open(target)) {
            output.stream().write(1);
        }

        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void gzipOutputIsFinishedOnCommit() throws IOException {
        Path target = dir.resolve("out.gz");
        AtomicFileOutput output = AtomicFileOutput.open(target, true);
        output.writer(StandardCharsets.UTF_8).write("compressed\n".repeat(1000));
        output.commit();

        try (InputStream in = new GZIPInputStream(Files.newInputStream(target))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("compressed\n".repeat(1000));
        }
    }

    @Test
    void aWriterInAnotherCharsetIsRefused() throws IOException {
        try (AtomicFileOutput output = AtomicFileOutput.open(dir.resolve("x"))) {
            output.writer(StandardCharsets.UTF_8);
            assertThat(output.writer(StandardCharsets.UTF_8)).isSameAs(output.writer(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> output.writer(StandardCharsets.ISO_8859_1)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aFailedMoveDeletesThePartialFileAndLeavesTheTargetAlone() throws IOException {
        Path target = Files.createDirectories(dir.resolve("a-directory"));
        Files.writeString(target.resolve("inside"), "x"); // a non-empty directory cannot be replaced
        AtomicFileOutput output = AtomicFileOutput.open(target);
        output.stream().write(1);

        assertThatThrownBy(output::commit).isInstanceOf(IOException.class);

        assertThat(target.resolve("inside")).hasContent("x");
        assertThat(filesIn(dir)).isOne();
    }
}
