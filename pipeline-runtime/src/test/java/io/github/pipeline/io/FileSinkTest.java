package io.github.pipeline.io;

import static io.github.pipeline.io.Files2.gunzip;
import static io.github.pipeline.io.Files2.names;
import static io.github.pipeline.io.Files2.read;
import static io.github.pipeline.io.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * File sinks write lines, CSV and JSON lines, gzipped if asked, and only ever show a complete file:
 * a failed or cancelled run leaves an existing file untouched and no partial file.
 */
class FileSinkTest {

    @TempDir
    Path dir;

    /** An item to write. */
    record Trade(long id, String name, BigDecimal amount) {
    }

    private static final List<Trade> TRADES = List.of(new Trade(1, "Ada", new BigDecimal("1.50")),
            new Trade(2, "Smith, \"Jr.\"", new BigDecimal("20")));

    private static <R> RunResult<R> runInto(Source<Trade> source, Sink<Trade, R> sink) {
        return Pipeline.named("write").from(source).to(sink).run(ReactorEngine.create()).verifyBalanced();
    }

    @Test
    void linesAreEachItemsTextAndTheValueIsTheirCount() {
        Path out = dir.resolve("out.txt");

        RunResult<Long> result = runInto(Source.fromIterable(TRADES), FileSink.lines(out));

        assertThat(result.value()).isEqualTo(2);
        assertThat(read(out)).isEqualTo(TRADES.get(0) + "\n" + TRADES.get(1) + "\n");
        assertThat(names(dir)).containsExactly("out.txt");
    }

    @Test
    void csvHasAHeaderAndQuotesWhatNeedsIt() {
        Path out = dir.resolve("out.csv");

        runInto(Source.fromIterable(TRADES), FileSink.csv(out, List.of("id", "name", "amount"),
                t -> List.of(t.id(), t.name(), t.amount())));

        assertThat(read(out)).isEqualTo("id,name,amount\n1,Ada,1.50\n2,\"Smith, \"\"Jr.\"\"\",20\n");
        assertThat(Pipeline.named("back").from(FileSource.csv(out, Trade.class)).to(Sink.<Trade>toList())
                .run(ReactorEngine.create()).value()).isEqualTo(TRADES);
    }

    @Test
    void csvRowsAreWrittenBackAsTheyWereRead() {
        Path in = write(dir.resolve("in.csv"), "id,note\n1,\"two\nlines\"\n2,plain\n");
        Path out = dir.resolve("out.csv");

        Pipeline.named("copy").from(FileSource.csv(in)).to(FileSink.csvRows(out)).run(ReactorEngine.create());

        assertThat(read(out)).isEqualTo(read(in));
    }

    @Test
    void aCsvItemWithTheWrongNumberOfValuesFailsTheRun() {
        Path out = dir.resolve("out.csv");

        assertThatThrownBy(() -> runInto(Source.fromIterable(TRADES), FileSink.csv(out, List.of("id"),
                t -> List.of(t.id(), t.name()))))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("<sink>")
                .hasMessageContaining("the item has 2 values for the 1 columns [id]");
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void jsonLinesAreOneValuePerLineAndReadBack() {
        Path out = dir.resolve("out.jsonl");

        runInto(Source.fromIterable(TRADES), FileSink.jsonLines(out));

        assertThat(read(out)).isEqualTo("{\"id\":1,\"name\":\"Ada\",\"amount\":1.50}\n"
                + "{\"id\":2,\"name\":\"Smith, \\\"Jr.\\\"\",\"amount\":20}\n");
        assertThat(Pipeline.named("back").from(FileSource.jsonLines(out, Trade.class)).to(Sink.<Trade>toList())
                .run(ReactorEngine.create()).value()).isEqualTo(TRADES);
    }


    @Test
    void aNameEndingInGzMeansGzipUnlessToldOtherwise() {
        Path gz = dir.resolve("out.jsonl.gz");
        Path notGz = dir.resolve("plain.txt.gz");
        Path forced = dir.resolve("forced.txt");

        runInto(Source.fromIterable(TRADES), FileSink.jsonLines(gz));
        runInto(Source.fromIterable(TRADES), FileSink.<Trade>lines(notGz).withGzip(false));
        runInto(Source.fromIterable(TRADES), FileSink.<Trade>lines(forced).withGzip(true));

        assertThat(gunzip(gz)).startsWith("{\"id\":1,");
        assertThat(read(notGz)).startsWith("Trade[id=1");
        assertThat(gunzip(forced)).startsWith("Trade[id=1");
        assertThat(Pipeline.named("back").from(FileSource.jsonLines(gz)).to(Sink.<JsonNode>count())
                .run(ReactorEngine.create()).value()).isEqualTo(2);
    }

    @Test
    void anotherCharset() throws java.io.IOException {
        Path out = dir.resolve("out.txt");

        Pipeline.named("latin").from(Source.of("café")).to(FileSink.<String>lines(out)
                .withCharset(StandardCharsets.ISO_8859_1)).run(ReactorEngine.create());

        assertThat(java.nio.file.Files.readAllBytes(out)).isEqualTo("café\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Pipeline.named("back").from(FileSource.lines(out).withCharset(StandardCharsets.ISO_8859_1))
                .to(Sink.<String>toList()).run(ReactorEngine.create()).value()).containsExactly("café");
    }

    static Stream<String> kinds() {
        return Stream.of("lines", "csv", "jsonl", "lines.gz");
    }

    private FileSink<Long> sink(String kind, Path file) {
        return switch (kind) {
            case "lines" -> FileSink.lines(file);
            case "csv" -> FileSink.csv(file, List.of("n"), n -> List.of(n));
            case "jsonl" -> FileSink.jsonLines(file);
            default -> FileSink.<Long>lines(file).withGzip(true);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aFailedRunLeavesTheExistingFileUntouchedAndNoPartialFile(String kind) {
        Path out = write(dir.resolve("out"), "previous content\n");

        assertThatThrownBy(() -> Pipeline.named("fails").from(Source.range(0, 100_000))
                .map("fail-late", n -> {
                    if (n == 90_000) {
                        throw new IllegalStateException("late failure");
                    }
                    return n;
                }, StageOptions.parallel(2))
                .to(sink(kind, out)).run(ReactorEngine.create()))
                .isInstanceOf(StageFailedException.class);

        assertThat(read(out)).isEqualTo("previous content\n");
        assertThat(names(dir)).containsExactly("out");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aCancelledRunLeavesTheExistingFileUntouchedAndNoPartialFile(String kind) throws InterruptedException {
        Path out = write(dir.resolve("out"), "previous content\n");
        CountDownLatch writing = new CountDownLatch(10_000);

        Execution<Long> execution = Pipeline.named("cancelled").from(Source.generate(() -> 7L))
                .peek("started", n -> writing.countDown())
                .to(sink(kind, out)).start(ReactorEngine.create());
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
        execution.cancel();

        assertThatThrownBy(execution::await).isInstanceOf(PipelineCancelledException.class);
        assertThat(read(out)).isEqualTo("previous content\n");
        assertThat(names(dir)).containsExactly("out");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aSuccessfulRunReplacesTheExistingFile(String kind) {
        Path out = write(dir.resolve("out"), "previous content\n");

        RunResult<Long> result = Pipeline.named("replaces").from(Source.range(0, 1000)).to(sink(kind, out))
                .withTimeout(Duration.ofMinutes(1)).run(ReactorEngine.create());

        assertThat(result.value()).isEqualTo(1000);
        String text = kind.endsWith(".gz") ? gunzip(out) : read(out);
        assertThat(text).doesNotContain("previous").contains("999");
        assertThat(names(dir)).containsExactly("out");
    }

    @Test
    void theDescriptionSaysWhereAndHow() {
        assertThat(FileSink.jsonLines(dir.resolve("x.jsonl.gz")).description())
                .isEqualTo("JSON lines to " + dir.resolve("x.jsonl.gz") + " (gzip), written aside and moved into place on success");
        assertThat(FileSink.csv(dir.resolve("x.csv"), List.of("a", "b"), (Map<String, String> m) -> List.of()).file())
                .isEqualTo(dir.resolve("x.csv"));
    }
}
