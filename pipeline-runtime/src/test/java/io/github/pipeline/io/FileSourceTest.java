package io.github.pipeline.io;

import static io.github.pipeline.io.Files2.gzip;
import static io.github.pipeline.io.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.SourcePosition;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.StageStats;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each format read end to end through a pipeline, plain and gzipped, one file and a directory. */
class FileSourceTest {

    @TempDir
    Path dir;

    private static <T> List<T> readAll(io.github.pipeline.api.Source<T> source) {
        return Pipeline.named("read").from(source).to(Sink.<T>toList()).run(ReactorEngine.create())
                .verifyBalanced().value();
    }

    @Test
    void linesAreReadWithoutTheirLineEndsEmptyOnesIncluded() {
        Path file = write(dir.resolve("a.txt"), "one\r\ntwo\n\nfour\nlast without newline");

        assertThat(readAll(FileSource.lines(file))).containsExactly("one", "two", "", "four", "last without newline");
    }

    @Test
    void anEmptyFileHasNoLines() {
        assertThat(readAll(FileSource.lines(write(dir.resolve("empty.txt"), "")))).isEmpty();
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstLine() {
        Path file = write(dir.resolve("bom.csv"), "\uFEFFid,name\n1,Zoë\n");

        List<CsvRow> rows = readAll(FileSource.csv(file));

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.columns()).containsExactly("id", "name");
            assertThat(row.get("name")).isEqualTo("Zoë");
        });
    }

    @Test
    void otherAsciiCompatibleCharsetsAreDecoded() {
        Path file = write(dir.resolve("latin1.txt"), "café\nnaïve\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(readAll(FileSource.lines(file).withCharset(StandardCharsets.ISO_8859_1))).containsExactly("café", "naïve");
    }

    @Test
    void charsetsThatDoNotWriteLineEndsAsOneByteAreRefused() {
        assertThatThrownBy(() -> FileSource.lines(dir.resolve("x")).withCharset(StandardCharsets.UTF_16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UTF-16");
    }

    @Test
    void csvRowsAreReadByColumnNameWithTypedGetters() {
        Path file = write(dir.resolve("t.csv"), """
                id,name,amount,active,note
                1,"Smith, Jr.",12.50,true,"said ""hi""\"
                2,Ada,3,FALSE,"two
                lines"
                """);

        List<CsvRow> rows = readAll(FileSource.csv(file));

        assertThat(rows).hasSize(2);
        CsvRow first = rows.get(0);
        assertThat(first.getLong("id")).isEqualTo(1);
        assertThat(first.get("name")).isEqualTo("Smith, Jr.");
        assertThat(first.getDecimal("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat(first.getDouble("amount")).isEqualTo(12.5);
        assertThat(first.getBoolean("active")).isTrue();
        assertThat(first.get("note")).isEqualTo("said \"hi\"");
        assertThat(first.line()).isEqualTo(2);
        CsvRow second = rows.get(1);
        assertThat(second.getInt("id")).isEqualTo(2);
        assertThat(second.getBoolean("active")).isFalse();
        assertThat(second.get("note")).isEqualTo("two\nlines");
        assertThat(second.get(1)).isEqualTo("Ada");
        assertThat(second.toMap()).containsEntry("name", "Ada").hasSize(5);
        assertThat(second.has("note")).isTrue();
        assertThat(second.has("missing")).isFalse();
    }

    @Test
    void aTypedGetterThatCannotParseNamesTheColumnLineAndValue() {
        Path file = write(dir.resolve("t.csv"), "id,active\nx1,maybe\n");
        CsvRow row = readAll(FileSource.csv(file)).get(0);

        assertThatThrownBy(() -> row.getInt("id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'id' of the row at line 2 is not an int: 'x1'");
        assertThatThrownBy(() -> row.getBoolean("active")).hasMessageContaining("not a boolean (true or false): 'maybe'");
        assertThatThrownBy(() -> row.get("nope")).hasMessage("no column 'nope' in the header [id, active]");
    }

    @Test
    void csvWithAnotherSeparatorAndCrLfLineEnds() {
        Path file = write(dir.resolve("t.csv"), "a;b\r\n1;\"x;y\"\r\n\r\n2;z\r\n");

        List<CsvRow> rows = readAll(FileSource.csv(file, CsvFormat.standard().withSeparator(';')));

        assertThat(rows).extracting(r -> r.get("b")).containsExactly("x;y", "z");
    }

    /** A record to map CSV rows and JSON lines to. */
    record Trade(long id, String name, BigDecimal amount, boolean active) {
    }

    @Test
    void csvRowsMapToARecordByColumnName() {
        Path file = write(dir.resolve("t.csv"), "name,id,ignored,amount,active\nAda,7,x,1.25,true\n");

        assertThat(readAll(FileSource.csv(file, Trade.class)))
                .containsExactly(new Trade(7, "Ada", new BigDecimal("1.25"), true));
    }

    @Test
    void jsonLinesAreReadAsTreesOrIntoAClassBlankLinesPassedOver() {
        Path file = write(dir.resolve("t.jsonl"), """
                {"id": 7, "name": "Ada", "amount": 1.25, "active": true}

                {"id": 8, "name": "Grace", "amount": 2, "active": false, "extra": [1, 2]}
                """);

        List<JsonNode> trees = readAll(FileSource.jsonLines(file));
        assertThat(trees).extracting(n -> n.get("name").asText()).containsExactly("Ada", "Grace");

        assertThatThrownBy(() -> readAll(FileSource.jsonLines(file, Trade.class)))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("extra");
        Path known = write(dir.resolve("k.jsonl"), "{\"id\": 7, \"name\": \"Ada\", \"amount\": 1.25, \"active\": true}\n");
        assertThat(readAll(FileSource.jsonLines(known, Trade.class)))
                .containsExactly(new Trade(7, "Ada", new BigDecimal("1.25"), true));
    }

    @Test
    void gzipIsRecognisedByItsNameOrItsMagicBytes() {
        Path named = write(dir.resolve("a.txt.gz"), gzip("x\ny\n"));
        Path unnamed = write(dir.resolve("b.data"), gzip("x\ny\n"));
        Path plainNamedGz = write(dir.resolve("c.txt"), "x\ny\n");

        assertThat(readAll(FileSource.lines(named))).containsExactly("x", "y");
        assertThat(readAll(FileSource.lines(unnamed))).containsExactly("x", "y");
        assertThat(readAll(FileSource.lines(plainNamedGz).withCompression(Compression.NONE))).containsExactly("x", "y");
        assertThat(readAll(FileSource.lines(named).withCompression(Compression.GZIP))).containsExactly("x", "y");
    }

    @Test
    void aDirectoryIsReadFileAfterFileInPathOrderEachCsvWithItsHeader() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        write(data.resolve("2.csv.gz"), gzip("id,v\n3,c\n"));
        write(data.resolve("1.csv"), "id,v\n1,a\n2,b\n");
        write(data.resolve("notes.txt"), "not csv");
        write(data.resolve(".1.csv.1234.partial"), "id,v\n9,partial\n");

        List<CsvRow> rows = readAll(FileSource.csv(data).withGlob("*.csv*"));

        assertThat(rows).extracting(r -> r.get("v")).containsExactly("a", "b", "c");
    }

    @Test
    void aGlobWithSlashesLooksIntoSubdirectories() throws IOException {
        Files.createDirectories(dir.resolve("logs/2024"));
        Files.createDirectories(dir.resolve("logs/2025"));
        write(dir.resolve("logs/2024/a.log"), "a\n");
        write(dir.resolve("logs/2025/b.log"), "b\n");
        write(dir.resolve("logs/top.log"), "top\n");

        assertThat(readAll(FileSource.lines(dir.resolve("logs")).withGlob("*/*.log"))).containsExactly("a", "b");
        assertThat(readAll(FileSource.lines(dir.resolve("logs")).withGlob("*.log"))).containsExactly("top");
    }

    @Test
    void aMissingFileFailsTheRunNamingIt() {
        assertThatThrownBy(() -> readAll(FileSource.lines(dir.resolve("missing.txt"))))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("<source>")
                .hasMessageContaining("missing.txt")
                .hasCauseInstanceOf(NoSuchFileException.class);
    }

    @Test
    @SuppressWarnings("try") // a reader's close() may throw any Exception
    void theReaderKnowsEachItemsFileLineAndByteOffset() throws Exception {
        Path file = write(dir.resolve("t.csv"), "id,note\n1,\"a\nb\"\n\n2,é\n3,x\n");
        List<SourcePosition> positions = new ArrayList<>();
        try (PositionedReader<CsvRow> reader = FileSource.csv(file).open()) {
            assertThatThrownBy(reader::position).isInstanceOf(IllegalStateException.class);
            while (reader.next() != null) {
                positions.add(reader.position());
            }
        }

        assertThat(positions).containsExactly(
                new SourcePosition(file.toString(), 2, 8),
                new SourcePosition(file.toString(), 5, 17),
                new SourcePosition(file.toString(), 6, 22));
    }

    @Test
    @SuppressWarnings("try")
    void theReaderCountsBytesReadOfBytesInAllCompressedForGzip() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Path plain = write(dir.resolve("p.txt"), text.toString());
        Path gz = write(dir.resolve("p.txt.gz"), gzip(text.toString()));
        for (Path file : List.of(plain, gz)) {
            long size = Files.size(file);
            try (PositionedReader<String> reader = FileSource.lines(file).open()) {
                assertThat(reader.bytesTotal()).isEqualTo(OptionalLong.of(size));
                assertThat(reader.bytesRead()).isZero();
                reader.next();
                assertThat(reader.bytesRead()).isPositive().isLessThanOrEqualTo(size);
                while (reader.next() != null) {
                    assertThat(reader.bytesRead()).isLessThanOrEqualTo(size);
                }
                assertThat(reader.bytesRead()).isEqualTo(size);
            }
        }
    }

    @Test
    void progressShowsTheShareOfTheFileReadInBytes() throws IOException {
        Path file = dir.resolve("big.txt.gz");
        DatasetGenerator.text().withSize(4 << 20).withGzip(true).writeTo(file);
        List<io.github.pipeline.api.Progress> snapshots = new java.util.concurrent.CopyOnWriteArrayList<>();

        Pipeline.named("watched").from(FileSource.lines(file))
                .map("length", String::length, StageOptions.parallel(2))
                .to(Sink.count())
                .withProgressListener(java.time.Duration.ofMillis(1), snapshots::add)
                .run(ReactorEngine.create());

        io.github.pipeline.api.Progress last = snapshots.get(snapshots.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.sourceBytesTotal()).hasValue(Files.size(file));
        assertThat(last.sourceBytesRead()).isEqualTo(Files.size(file));
        assertThat(last.fractionRead()).hasValue(1.0);
        assertThat(snapshots).allSatisfy(p -> assertThat(p.sourceBytesRead()).isLessThanOrEqualTo(Files.size(file)));
        assertThat(snapshots).extracting(io.github.pipeline.api.Progress::sourceBytesRead).isSorted();
    }

    @Test
    void aRunWithAFileSourceHasASourceAccountingThatBalances() {
        Path file = write(dir.resolve("t.txt"), "a\nb\nc\n");

        RunResult<Long> result = Pipeline.named("accounted").from(FileSource.lines(file))
                .map("upper", String::toUpperCase, StageOptions.parallel(2))
                .to(Sink.count()).run(ReactorEngine.create()).verifyBalanced();

        assertThat(result.stages()).extracting(StageStats::name).containsExactly("<source>", "upper");
        assertThat(result.stage("<source>")).isEqualTo(new StageStats("<source>", "source", 3, 3, 3, 0, 0, 0, 0));
        assertThat(result.sourceItems()).isEqualTo(3);
    }

    @Test
    void theDescriptionSaysWhatIsReadAndHow() {
        FileSource<CsvRow> source = FileSource.csv(dir.resolve("t.csv"))
                .withMaxRecordLength(4096)
                .withMalformedInput(MalformedInput.REPLACE)
                .withErrorPolicy(io.github.pipeline.api.ErrorPolicy.skip());

        assertThat(source.description()).isEqualTo("CSV rows of " + dir.resolve("t.csv")
                + " (UTF-8, max record 4096 bytes, gzip auto, invalid bytes replaced, malformed records: skip)");
    }

    @Test
    void optionsAreCheckedWhenSet() {
        FileSource<String> source = FileSource.lines(dir.resolve("x"));

        assertThatThrownBy(() -> source.withMaxRecordLength(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> source.withErrorPolicy(io.github.pipeline.api.ErrorPolicy.retry(
                io.github.pipeline.api.RetryPolicy.maxAttempts(2)))).hasMessageContaining("cannot retry");
        assertThatThrownBy(() -> source.withGlob(" ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> CsvFormat.standard().withSeparator('"')).hasMessageContaining("differ");
        assertThatThrownBy(() -> CsvFormat.standard().withQuote('\n')).hasMessageContaining("\\n");
        assertThat(source.withMaxRecordLength(10)).isNotSameAs(source);
        assertThat(source.maxRecordLength()).isEqualTo(FileSource.DEFAULT_MAX_RECORD_LENGTH);
    }
}
