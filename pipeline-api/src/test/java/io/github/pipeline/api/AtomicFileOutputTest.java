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

    @Test
    void aCheckpointMakesTheOutputDurableAndAResumeCutsOffWhatCameAfterIt() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old");
        AtomicFileOutput output = AtomicFileOutput.open(target);
        output.writer(StandardCharsets.UTF_8).write("one\ntwo\n");
        long length = output.checkpoint();
        output.writer(StandardCharsets.UTF_8).write("lost after the checkpoint\n");
        output.writer(StandardCharsets.UTF_8).flush();
        output.suspend();

        assertThat(length).isEqualTo(8);
        assertThat(target).hasContent("old");
        assertThat(output.partial()).exists();

        AtomicFileOutput resumed = AtomicFileOutput.resume(target, output.partial(), length, false);
        resumed.writer(StandardCharsets.UTF_8).write("three\n");
        resumed.commit();

        assertThat(target).hasContent("one\ntwo\nthree");
        assertThat(filesIn(dir)).isOne();
    }

    @Test
    void aGzipOutputResumesWithANewMemberAndReadsAsOneStream() throws IOException {
        Path target = dir.resolve("out.txt.gz");
        AtomicFileOutput output = AtomicFileOutput.open(target, true);
        output.writer(StandardCharsets.UTF_8).write("a\n");
        long first = output.checkpoint();
        output.writer(StandardCharsets.UTF_8).write("b\n");
        long second = output.checkpoint();
        output.writer(StandardCharsets.UTF_8).write("c: lost\n");
        output.suspend();

        AtomicFileOutput resumed = AtomicFileOutput.resume(target, output.partial(), second, true);
        resumed.writer(StandardCharsets.UTF_8).write("d\n");
        resumed.commit();

        assertThat(second).isGreaterThan(first);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(target))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a\nb\nd\n");
        }
    }

    @Test
    void aResumeFailsClearlyWhenThePartialFileIsGoneOrShort() throws IOException {
        Path target = dir.resolve("out.txt");
        AtomicFileOutput output = AtomicFileOutput.open(target);
        output.stream().write(new byte[10]);
        long length = output.checkpoint();
        output.suspend();
        Files.write(output.partial(), new byte[4]);

        assertThatThrownBy(() -> AtomicFileOutput.resume(target, output.partial(), length, false))
                .isInstanceOf(IOException.class).hasMessageContaining("has 4 bytes, fewer than the 10");
        Files.delete(output.partial());
        Files.writeString(target, "done");
        assertThatThrownBy(() -> AtomicFileOutput.resume(target, output.partial(), length, false))
                .isInstanceOf(IOException.class).hasMessageContaining("is gone").hasMessageContaining("did the run finish");
    }

    @Test
    void aSinkOfLinesResumesFromItsCheckpoint() throws Exception {
        Path target = dir.resolve("lines.txt");
        ResumableSink<String, Long> sink = Sink.lines(target);
        CheckpointableWriter<String, Long> writer = sink.open();
        writer.accept("a");
        java.util.Map<String, String> state = writer.checkpoint();
        writer.accept("b (after the checkpoint)");
        writer.suspend(new RuntimeException("killed"));

        CheckpointableWriter<String, Long> resumed = sink.resume(state);
        resumed.accept("c");

        assertThat(resumed.complete()).isEqualTo(2);
        assertThat(target).hasContent("a\nc");
        assertThat(FileCheckpoint.of(state).records()).isOne();
    }
}
