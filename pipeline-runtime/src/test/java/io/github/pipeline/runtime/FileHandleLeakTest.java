package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed runs over files leave no file open: the process's open descriptors are counted (Linux). */
class FileHandleLeakTest {

    private static final Path OPEN_FILES = Path.of("/proc/self/fd");

    @Test
    void failedRunsOverFilesCloseEveryFile(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isDirectory(OPEN_FILES), "needs /proc/self/fd to count open files");
        Path in = dir.resolve("in.txt");
        Files.write(in, IntStream.range(0, 5_000).mapToObj(i -> "line " + i).toList());
        failingRuns(in, dir); // warm-up: class loading opens jars once
        long before = openFiles();

        for (int round = 0; round < 20; round++) {
            failingRuns(in, dir);
        }

        assertThat(openFiles()).isLessThanOrEqualTo(before);
    }

    private static void failingRuns(Path in, Path dir) {
        // the function fails mid-file: source and sink file must both be closed
        assertThatThrownBy(() -> Pipeline.named("fails-in-stage").from(Source.lines(in))
                .map("fail-late", line -> {
                    if (line.equals("line 4000")) {
                        throw new IllegalStateException("late");
                    }
                    return line;
                }, StageOptions.parallel(2))
                .to(Sink.lines(dir.resolve("out.txt"))).run(ReactorEngine.create()))
                .isInstanceOf(StageFailedException.class);
        // the sink fails: the source file must be closed
        assertThatThrownBy(() -> Pipeline.named("fails-in-sink").from(Source.lines(in))
                .to(Sink.forEach(line -> {
                    throw new IllegalStateException("sink");
                })).run(ReactorEngine.create()))
                .isInstanceOf(StageFailedException.class);
        // the source fails to open: the sink file must be closed and removed
        assertThatThrownBy(() -> Pipeline.named("fails-to-open").from(Source.lines(dir.resolve("missing.txt")))
                .to(Sink.lines(dir.resolve("never.txt"))).run(ReactorEngine.create()))
                .isInstanceOf(StageFailedException.class);
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(OPEN_FILES)) {
            return fds.count() - 1; // minus the descriptor of this listing
        }
    }
}
