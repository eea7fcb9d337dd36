package io.github.pipeline.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator is deterministic, sized as asked, and its data reads back through the file sources. */
class DatasetGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void theSameSeedMakesTheSameBytesAndAnotherSeedOthers() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path c = dir.resolve("c.csv");
        DatasetGenerator.csv().withRows(1000).withSeed(5).writeTo(a);
        DatasetGenerator.csv().withRows(1000).withSeed(5).writeTo(b);
        DatasetGenerator.csv().withRows(1000).withSeed(6).writeTo(c);

        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
        assertThat(Files.mismatch(a, c)).isNotEqualTo(-1);
    }

    @Test
    void aSizeIsFilledWithWholeRecordsAndNeverExceeded() throws IOException {
        for (DatasetGenerator generator : List.of(DatasetGenerator.text(), DatasetGenerator.csv(),
                DatasetGenerator.jsonLines())) {
            Path file = dir.resolve(generator.format() + ".data");
            DatasetGenerator.Written written = generator.withSize(100_000).writeTo(file);

            assertThat(Files.size(file)).isEqualTo(written.bytes()).isLessThanOrEqualTo(100_000).isGreaterThan(99_000);
            assertThat(Files.readString(file)).endsWith("\n");
        }
    }

    @Test
    void csvRowsReadBackWithTheirTypes() throws IOException {
        Path file = dir.resolve("d.csv.gz");
        DatasetGenerator.Written written = DatasetGenerator.csv().withRows(5_000).withGzip(true).writeTo(file);

        List<CsvRow> rows = Pipeline.named("back").from(FileSource.csv(file)).to(Sink.<CsvRow>toList())
                .run(ReactorEngine.create()).verifyBalanced().value();

        assertThat(written.records()).isEqualTo(5_000);
        assertThat(rows).hasSize(5_000);
        assertThat(rows.get(0).columns()).isEqualTo(DatasetGenerator.CSV_COLUMNS);
        assertThat(rows).extracting(r -> r.getLong("id")).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 5_000).boxed().toList());
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.getDecimal("amount")).isPositive();
            assertThat(row.getInt("quantity")).isBetween(1, 500);
            row.getBoolean("active");
            java.time.Instant.parse(row.get("created"));
        });
        assertThat(rows).anyMatch(r -> r.get("name").contains(",")).anyMatch(r -> r.get("note").contains("\n"));
    }

    @Test
    void jsonLinesReadBackWithTheSameFields() throws IOException {
        Path file = dir.resolve("d.jsonl");
        DatasetGenerator.jsonLines().withRows(2_000).writeTo(file);

        List<JsonNode> nodes = Pipeline.named("back").from(FileSource.jsonLines(file)).to(Sink.<JsonNode>toList())
                .run(ReactorEngine.create()).value();

        assertThat(nodes).hasSize(2_000);
        assertThat(nodes.get(0).fieldNames()).toIterable().containsExactlyElementsOf(DatasetGenerator.CSV_COLUMNS);
        assertThat(nodes.get(0).get("amount").isNumber()).isTrue();
        assertThat(nodes.get(0).get("active").isBoolean()).isTrue();
    }

    @Test
    void recordsStreamsTheSameRecordsAsTheFile() throws IOException {
        DatasetGenerator text = DatasetGenerator.text().withRows(300).withSeed(3);
        Path file = dir.resolve("t.txt");
        text.writeTo(file);

        assertThat(Files.readAllLines(file)).isEqualTo(text.records().toList());
    }

    @Test
    void sizeOrRowsMustBeSetAndNotNegative() {
        assertThatThrownBy(() -> DatasetGenerator.text().records()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DatasetGenerator.text().withRows(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> DatasetGenerator.text().withSize(-1)).hasMessageContaining("-1");
        assertThat(DatasetGenerator.csv().withSize(10).records()).isEmpty(); // not even the header fits
    }
}
