package io.github.pipeline.io;

import static io.github.pipeline.io.Files2.concat;
import static io.github.pipeline.io.Files2.cut;
import static io.github.pipeline.io.Files2.gzip;
import static io.github.pipeline.io.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input, under each policy: fail fast names the file, line and record; skip and
 * dead-letter keep the run going and count the record under {@code <source>}, and the run balances.
 */
class MalformedInputTest {

    @TempDir
    Path dir;

    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    private <T> RunResult<List<T>> run(FileSource<T> source) {
        return Pipeline.named("bad-input").from(source)
                .map("same", x -> x, StageOptions.parallel(2).withOrdered(true))
                .to(Sink.<T>toList()).run(ReactorEngine.create()).verifyBalanced();
    }

    private <T> MalformedRecordException failure(FileSource<T> source) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> run(source));
        assertThat(thrown).isInstanceOf(StageFailedException.class);
        StageFailedException failed = (StageFailedException) thrown;
        assertThat(failed.stage()).isEqualTo("<source>");
        assertThat(failed.getCause()).isInstanceOf(MalformedRecordException.class);
        assertThat(failed.getMessage()).contains(((MalformedRecordException) failed.getCause()).getMessage());
        return (MalformedRecordException) failed.getCause();
    }

    private ErrorPolicy deadLetter() {
        return ErrorPolicy.deadLetter(Sink.forEach(deadLetters::add));
    }

    /**
     * Runs the source under fail, skip and dead-letter: checks what fail-fast reports, what skip keeps
     * and counts, and what dead-letter keeps, counts and sends.
     */
    private <T> void underEveryPolicy(FileSource<T> source, long badLine, String reason, String record,
                                      List<?> kept, int bad) {
        MalformedRecordException error = failure(source);
        assertThat(error.source()).isEqualTo(source.path().toString());
        assertThat(error.line()).isEqualTo(badLine);
        assertThat(error.reason()).contains(reason);
        assertThat(error.record()).startsWith(record);
        assertThat(error.getMessage()).startsWith(source.path() + " line " + badLine + ": ");

        RunResult<List<T>> skipped = run(source.withErrorPolicy(ErrorPolicy.skip()));
        assertThat(skipped.value()).map(Object::toString).containsExactlyElementsOf(kept.stream().map(Object::toString).toList());
        StageStats accounting = skipped.stage("<source>");
        assertThat(accounting.skipped()).isEqualTo(bad);
        assertThat(accounting.received()).isEqualTo(kept.size() + bad);
        assertThat(skipped.sourceItems()).isEqualTo(kept.size() + bad);

        deadLetters.clear();
        RunResult<List<T>> lettered = run(source.withErrorPolicy(deadLetter()));
        assertThat(lettered.value()).hasSameSizeAs(kept);
        assertThat(lettered.stage("<source>").deadLettered()).isEqualTo(bad);
        assertThat(deadLetters).hasSize(bad);
        DeadLetter first = deadLetters.get(0);
        assertThat(first.stage()).isEqualTo("<source>");
        assertThat(first.pipeline()).isEqualTo("bad-input");
        assertThat(first.attempts()).isEqualTo(1);
        assertThat((String) first.item()).startsWith(record);
        assertThat(first.error()).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("line " + badLine);
    }

    @Test
    void aCsvRowWithTheWrongNumberOfColumns() {
        Path file = write(dir.resolve("t.csv"), "id,name\n1,a\n2\n3,c,extra\n4,d\n");

        underEveryPolicy(FileSource.csv(file), 3, "the row has 1 column where the header has 2", "2",
                List.of("{id=1, name=a}", "{id=4, name=d}"), 2);
    }

    @Test
    void aCsvRowWithCharactersAfterAClosingQuote() {
        Path file = write(dir.resolve("t.csv"), "id,name\n1,a\n2,\"b\"x\n3,c\n");

        underEveryPolicy(FileSource.csv(file), 3, "malformed CSV", "2,\"b\"x",
                List.of("{id=1, name=a}", "{id=3, name=c}"), 1);
    }

    @Test
    void aCsvQuoteLeftOpenAtTheEndOfTheFile() {
        Path file = write(dir.resolve("t.csv"), "id,name\n1,a\n2,\"never closed\n3,c\n");

        underEveryPolicy(FileSource.csv(file), 3, "a quoted field is not closed at the end of the file",
                "2,\"never closed\n3,c", List.of("{id=1, name=a}"), 1);
    }

    @Test
    void aCsvQuoteLeftOpenIsCutAtTheMaximumRecordLengthAndReadingResumesAtTheNextLine() {
        StringBuilder text = new StringBuilder("id,name\n1,a\n2,\"open\n");
        IntStream.range(0, 50).forEach(i -> text.append("filler line ").append(i).append('\n'));
        text.append("3,c\n");
        Path file = write(dir.resolve("t.csv"), text.toString());
        FileSource<CsvRow> source = FileSource.csv(file).withMaxRecordLength(200);

        MalformedRecordException error = failure(source);
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.reason()).isEqualTo("the record is longer than the maximum of 200 bytes (is a quote left open?)");

        // where the open quote was meant to close is unknown: the filler lines after the cut are rows of
        // one column, malformed each, and the last row is read again
        RunResult<List<CsvRow>> skipped = run(source.withErrorPolicy(ErrorPolicy.skip()));
        assertThat(skipped.value()).map(Object::toString).containsExactly("{id=1, name=a}", "{id=3, name=c}");
        assertThat(skipped.stage("<source>").skipped()).isGreaterThan(1);
    }

    @Test
    void aCarriageReturnOutsideQuotesInCsv() {
        Path file = write(dir.resolve("t.csv"), "id,name\n1,a\r2,b\n3,\"c\rd\"\n");

        underEveryPolicy(FileSource.csv(file), 2, "a carriage return outside quotes", "1,a",
                List.of("{id=3, name=c\rd}"), 1);
    }

    @Test
    void aBadCsvHeaderFailsTheRunWhateverThePolicy() {
        Path file = write(dir.resolve("t.csv"), "id,name,id\n1,a,2\n");

        for (ErrorPolicy policy : List.of(ErrorPolicy.failFast(), ErrorPolicy.skip())) {
            assertThatThrownBy(() -> run(FileSource.csv(file).withErrorPolicy(policy)))
                    .isInstanceOf(StageFailedException.class)
                    .hasMessageContaining(file + " line 1: the header names column 'id' twice");
        }
    }

    @Test
    void invalidJson() {
        Path file = write(dir.resolve("t.jsonl"), "{\"a\":1}\n{\"a\":\n{\"a\":3}\n");

        underEveryPolicy(FileSource.jsonLines(file), 2, "invalid JSON for JsonNode", "{\"a\":",
                List.of("{\"a\":1}", "{\"a\":3}"), 1);
    }

    @Test
    void twoJsonValuesOnOneLine() {
        Path file = write(dir.resolve("t.jsonl"), "{\"a\":1} {\"a\":2}\n{\"a\":3}\n");

        underEveryPolicy(FileSource.jsonLines(file), 1, "Trailing token", "{\"a\":1} {\"a\":2}",
                List.of("{\"a\":3}"), 1);
    }

    @Test
    void theJsonValueNullIsATreeButNotAnObjectOfAClass() {
        Path file = write(dir.resolve("t.jsonl"), "null\n{\"id\":3,\"name\":\"c\"}\n");

        assertThat(run(FileSource.jsonLines(file)).value()).map(Object::toString).containsExactly("null",
                "{\"id\":3,\"name\":\"c\"}");
        underEveryPolicy(FileSource.jsonLines(file, Row.class), 1, "the JSON value is null", "null",
                List.of(new Row(3, "c")), 1);
    }

    @Test
    void invalidUtf8FailsTheRecordUnlessReplaced() {
        byte[] bad = concat("ok\n".getBytes(StandardCharsets.UTF_8), new byte[] {'b', 'a', (byte) 0xff, 'd', '\n'},
                "fine\n".getBytes(StandardCharsets.UTF_8));
        Path file = write(dir.resolve("t.txt"), bad);

        underEveryPolicy(FileSource.lines(file), 2, "bytes that are not valid UTF-8 at byte 2 of the record (ff)",
                "ba\uFFFDd", List.of("ok", "fine"), 1);
        assertThat(run(FileSource.lines(file).withMalformedInput(MalformedInput.REPLACE)).value())
                .containsExactly("ok", "ba\uFFFDd", "fine");
    }

    @Test
    void aLiteralReplacementCharacterIsValidUtf8() {
        Path file = write(dir.resolve("t.txt"), "a\uFFFDb\n");

        assertThat(run(FileSource.lines(file)).value()).containsExactly("a\uFFFDb");
    }

    @Test
    void aLineOverTheMaximumLengthIsSkippedNotHeld() {
        String longLine = "x".repeat(100_000);
        Path file = write(dir.resolve("t.txt"), "short\n" + longLine + "\nafter\n" + longLine);

        underEveryPolicy(FileSource.lines(file).withMaxRecordLength(1000), 2,
                "the line is 100000 bytes long, more than the maximum of 1000", "x".repeat(200),
                List.of("short", "after"), 2);
        assertThat(deadLetters.get(0).item()).asString().hasSize(RecordFramer.EXCERPT_BYTES);
    }

    @Test
    void aLineOfExactlyTheMaximumLengthIsFineWithEitherLineEnd() {
        Path file = write(dir.resolve("t.txt"), "12345\r\n123456\n12345");

        RunResult<List<String>> result = run(FileSource.lines(file).withMaxRecordLength(5)
                .withErrorPolicy(ErrorPolicy.skip()));

        assertThat(result.value()).containsExactly("12345", "12345");
        assertThat(result.stage("<source>").skipped()).isOne();
    }

    @Test
    void aGzipFileCutInItsTrailerIsAnErrorNotASilentEnd() {
        byte[] gz = gzip("a\nb\nc\n");
        Path file = write(dir.resolve("t.txt.gz"), cut(gz, 4));

        underEveryPolicy(FileSource.lines(file), 4, "the gzip file is truncated", "", List.of("a", "b", "c"), 1);
    }

    @Test
    void aGzipFileCutInItsDataLosesTheRestAndSaysSo() {
        StringBuilder text = new StringBuilder();
        IntStream.range(0, 200_000).forEach(i -> text.append("line ").append(i).append('\n'));
        byte[] gz = gzip(text.toString());
        Path file = write(dir.resolve("t.txt.gz"), cut(gz, gz.length / 2));

        MalformedRecordException error = failure(FileSource.lines(file));
        assertThat(error.reason()).contains("truncated");

        RunResult<List<String>> skipped = run(FileSource.lines(file).withErrorPolicy(ErrorPolicy.skip()));
        List<String> lines = skipped.value();
        assertThat(lines).isNotEmpty().hasSizeLessThan(200_000);
        assertThat(lines).isEqualTo(IntStream.range(0, lines.size()).mapToObj(i -> "line " + i).toList());
        assertThat(skipped.stage("<source>").skipped()).isOne();
    }

    @Test
    void bytesAfterTheGzipDataAreAnErrorNotDroppedSilently() {
        for (String trailing : List.of("x\n", "more text that is not gzip at all\n".repeat(1000))) {
            Path file = write(dir.resolve("t.txt.gz"), concat(gzip("a\nb\n"), trailing.getBytes(StandardCharsets.UTF_8)));

            MalformedRecordException error = failure(FileSource.lines(file));

            assertThat(error.reason()).isEqualTo("the gzip data is corrupt (bytes that are not gzip follow the end of "
                    + "the gzip data), so the records from here on are lost");
            assertThat(error.line()).isEqualTo(3);
        }
    }

    @Test
    void gzipMembersOneAfterAnotherAreReadAsOneFile() {
        Path file = write(dir.resolve("t.txt.gz"), concat(gzip("a\nb\n"), gzip("c\n"), gzip("d\n".repeat(100_000))));

        assertThat(run(FileSource.lines(file)).value()).hasSize(100_003).startsWith("a", "b", "c", "d");
    }

    @Test
    void aGzipFileCutInItsHeader() {
        Path file = write(dir.resolve("t.txt.gz"), cut(gzip("a\n"), 15));

        assertThat(failure(FileSource.lines(file)).reason()).contains("truncated");
    }

    @Test
    void corruptGzipData() {
        byte[] gz = gzip("a\nb\nc\n".repeat(1000));
        for (int i = 20; i < 40; i++) {
            gz[i] ^= (byte) 0x5a;
        }
        Path file = write(dir.resolve("t.txt.gz"), gz);

        assertThat(failure(FileSource.lines(file)).reason()).containsAnyOf("corrupt", "truncated");
    }

    @Test
    void afterAFileIsCutShortTheNextFileIsRead() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        write(data.resolve("1.txt.gz"), cut(gzip("a\nb\n"), 4));
        write(data.resolve("2.txt"), "c\n");

        RunResult<List<String>> result = run(FileSource.lines(data).withErrorPolicy(ErrorPolicy.skip()));

        assertThat(result.value()).containsExactly("a", "b", "c");
        assertThat(result.stage("<source>").skipped()).isOne();
    }

    @Test
    void aCsvRowThatDoesNotMapToTheClassIsMalformed() {
        Path file = write(dir.resolve("t.csv"), "id,name\n1,a\nx,b\n3,c\n");

        underEveryPolicy(FileSource.csv(file, Row.class), 3, "the row cannot be made rows as Row", "x,b",
                List.of(new Row(1, "a"), new Row(3, "c")), 1);
    }

    /** A row type for mapping. */
    record Row(long id, String name) {
    }

    @Test
    void aFailingDeadLetterSinkFailsTheRun() {
        Path file = write(dir.resolve("t.csv"), "id\n1\n2,3\n");
        FileSource<CsvRow> source = FileSource.csv(file).withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(letter -> {
            throw new IllegalStateException("dead-letter store down");
        })));

        assertThatThrownBy(() -> run(source)).isInstanceOf(StageFailedException.class)
                .hasMessageContaining("<source>")
                .hasMessageContaining("dead-letter sink");
    }

    @Test
    void malformedRecordsOnlyCountUnderTheSourceNotInTheStages() {
        Path file = write(dir.resolve("t.csv"), "id\n1\n2,3\n4\n");
        UnaryOperator<CsvRow> same = row -> row;

        RunResult<Long> result = Pipeline.named("counts")
                .from(FileSource.csv(file).withErrorPolicy(ErrorPolicy.skip()))
                .map("same", same)
                .to(Sink.count()).run(ReactorEngine.create()).verifyBalanced();

        assertThat(result.stage("<source>")).isEqualTo(new StageStats("<source>", "source", 3, 2, 2, 0, 1, 0, 0));
        assertThat(result.stage("same").received()).isEqualTo(2);
        assertThat(result.summary()).contains("'<source>'", "skipped=1");
    }
}
