package io.github.pipeline.io;

import static io.github.pipeline.io.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several files read at once: every record once, each file in order, failures reported, threads stopped. */
class ConcurrentFilesReaderTest {

    private static final int FILES = 6;
    private static final int LINES = 20_000;

    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        for (int f = 0; f < FILES; f++) {
            int file = f;
            write(dir.resolve("part-" + f + ".txt"), IntStream.range(0, LINES)
                    .mapToObj(i -> file + ":" + i + "\n").collect(Collectors.joining()));
        }
    }

    private static boolean noReaderThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("file-source-"));
    }

    @Test
    void everyRecordIsReadOnceAndEachFileInOrder() {
        RunResult<List<String>> result = Pipeline.named("concurrent")
                .from(FileSource.lines(dir).withConcurrentFiles(3))
                .map("same", line -> line, StageOptions.parallel(2).withOrdered(true))
                .to(Sink.<String>toList()).run(ReactorEngine.create()).verifyBalanced();

        Map<String, List<Integer>> byFile = result.value().stream().collect(Collectors.groupingBy(
                line -> line.substring(0, line.indexOf(':')),
                Collectors.mapping(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1)), Collectors.toList())));
        assertThat(byFile).hasSize(FILES);
        assertThat(byFile.values()).allSatisfy(lines ->
                assertThat(lines).isEqualTo(IntStream.range(0, LINES).boxed().toList()));
        assertThat(noReaderThreadAlive()).isTrue();
    }

    @Test
    @SuppressWarnings("try")
    void positionsAndBytesAddUpAcrossTheFiles() throws Exception {
        long total = 0;
        for (int f = 0; f < FILES; f++) {
            total += Files.size(dir.resolve("part-" + f + ".txt"));
        }
        List<String> seen = new ArrayList<>();
        try (PositionedReader<String> reader = FileSource.lines(dir).withConcurrentFiles(4).open()) {
            assertThat(reader).isInstanceOf(ConcurrentFilesReader.class);
            String line;
            while ((line = reader.next()) != null) {
                var at = reader.position();
                assertThat(at.source()).endsWith("part-" + line.substring(0, line.indexOf(':')) + ".txt");
                assertThat(at.line()).isEqualTo(Long.parseLong(line.substring(line.indexOf(':') + 1)) + 1);
                seen.add(line);
            }
            assertThat(reader.bytesRead()).isEqualTo(total);
            assertThat(reader.bytesTotal()).hasValue(total);
        }
        assertThat(seen).hasSize(FILES * LINES).doesNotHaveDuplicates();
    }

    @Test
    void aMalformedRecordInOneFileGoesToThePolicyAndTheOthersAreRead() throws IOException {
        Files.writeString(dir.resolve("part-3.txt"), "x".repeat(5000) + "\n", java.nio.file.StandardOpenOption.APPEND);

        RunResult<Long> result = Pipeline.named("concurrent-skip")
                .from(FileSource.lines(dir).withConcurrentFiles(3).withMaxRecordLength(100)
                        .withErrorPolicy(ErrorPolicy.skip()))
                .to(Sink.count()).run(ReactorEngine.create()).verifyBalanced();

        assertThat(result.value()).isEqualTo((long) FILES * LINES);
        assertThat(result.stage("<source>").skipped()).isOne();
    }

    @Test
    void aFileThatCannotBeReadFailsTheRunAndStopsTheThreads() {
        write(dir.resolve("part-9.csv"), "a,a\n1,2\n");
        FileSource<CsvRow> source = FileSource.csv(dir).withGlob("*").withConcurrentFiles(3);

        assertThatThrownBy(() -> Pipeline.named("concurrent-fails").from(source).to(Sink.count())
                .run(ReactorEngine.create()))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("<source>");
        assertThat(noReaderThreadAlive()).isTrue();
    }

    @Test
    @SuppressWarnings("try")
    void closingBeforeTheEndStopsTheThreads() throws Exception {
        ConcurrentFilesReader<String> reader = (ConcurrentFilesReader<String>) FileSource.lines(dir)
                .withConcurrentFiles(3).open();
        assertThat(reader.next()).isNotNull();

        reader.close();

        assertThat(reader.threads()).hasSize(3).noneMatch(Thread::isAlive);
    }

    @Test
    void theOptionIsChecked() {
        assertThatThrownBy(() -> FileSource.lines(dir).withConcurrentFiles(0)).hasMessageContaining("got 0");
        assertThat(FileSource.lines(dir).withConcurrentFiles(2).description()).contains("2 files at once");
    }

    @Test
    void aReaderThatCannotBeMadeFailsTheReadInsteadOfHangingIt() throws Exception {
        List<java.nio.file.Path> files = List.of(dir.resolve("part-0.txt"), dir.resolve("part-1.txt"));
        ConcurrentFilesReader<String> reader = new ConcurrentFilesReader<>(files, 0, 2, file -> {
            throw new IllegalArgumentException("no parser for " + file.getFileName());
        });
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(reader::next)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no parser for part-");
        } finally {
            reader.close();
        }
    }
}
