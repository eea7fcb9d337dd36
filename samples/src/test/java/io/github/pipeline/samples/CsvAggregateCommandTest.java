package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.github.pipeline.io.DatasetGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvAggregateCommandTest {

    @TempDir
    Path dir;

    /** One group's numbers, added up row by row: the test's own, single-threaded computation. */
    private static final class Expected {
        long count;
        final Map<String, BigDecimal> sum = new TreeMap<>();
        final Map<String, BigDecimal> min = new TreeMap<>();
        final Map<String, BigDecimal> max = new TreeMap<>();

        void add(String column, BigDecimal value) {
            sum.merge(column, value, BigDecimal::add);
            min.merge(column, value, BigDecimal::min);
            max.merge(column, value, BigDecimal::max);
        }
    }

    /**
     * Groups the file's records with FastCSV's own streaming reader, as a plain loop: {@code --group-by
     * city --sum amount --sum quantity --avg amount --min quantity --max amount}.
     */
    private static List<String> expectedOutput(Path file) throws IOException {
        Map<String, Expected> groups = new TreeMap<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
            List<String> header = null;
            for (CsvRecord record : reader) {
                if (header == null) {
                    header = record.getFields();
                    continue;
                }
                BigDecimal amount = new BigDecimal(record.getField(header.indexOf("amount")));
                BigDecimal quantity = new BigDecimal(record.getField(header.indexOf("quantity")));
                Expected group = groups.computeIfAbsent(record.getField(header.indexOf("city")), c -> new Expected());
                group.count++;
                group.add("amount", amount);
                group.add("quantity", quantity);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("city,count,sum_amount,sum_quantity,avg_amount,min_quantity,max_amount");
        groups.forEach((city, g) -> lines.add(String.join(",",
                city.contains(",") ? "\"" + city + "\"" : city,
                Long.toString(g.count),
                g.sum.get("amount").toPlainString(),
                g.sum.get("quantity").toPlainString(),
                g.sum.get("amount").divide(BigDecimal.valueOf(g.count), MathContext.DECIMAL64)
                        .stripTrailingZeros().toPlainString(),
                g.min.get("quantity").stripTrailingZeros().toPlainString(),
                g.max.get("amount").stripTrailingZeros().toPlainString())));
        return lines;
    }

    private static final String[] AGGREGATES = {
        "--group-by", "city", "--sum", "amount", "--sum", "quantity", "--avg", "amount", "--min", "quantity",
        "--max", "amount"};

    private static String[] args(Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("csv-aggregate", "--input", input.toString()));
        args.addAll(List.of(AGGREGATES));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void groupsAGeneratedFileAsAPlainLoopDoes() throws IOException {
        Path csv = dir.resolve("sales.csv");
        DatasetGenerator.csv().withSeed(11).withRows(20_000).writeTo(csv);

        Cli cli = Cli.run(args(csv, "--parallelism", "2"));

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.outLines()).isEqualTo(expectedOutput(csv));
        assertThat(cli.err()).contains("pipeline 'csv-aggregate' finished").doesNotContain("skipped");
    }

    @Test
    void writesTheSameCsvToAFile() throws IOException {
        Path csv = dir.resolve("sales.csv.gz");
        DatasetGenerator.csv().withSeed(12).withRows(5_000).withGzip(true).writeTo(csv);
        Path plain = dir.resolve("plain.csv");
        DatasetGenerator.csv().withSeed(12).withRows(5_000).writeTo(plain);
        Path output = dir.resolve("by-city.csv");

        Cli cli = Cli.run(args(csv, "--output", output.toString()));

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.out()).isEmpty();
        assertThat(Files.readAllLines(output)).isEqualTo(expectedOutput(plain));
        assertThat(cli.err()).contains("wrote " + (expectedOutput(plain).size() - 1) + " groups to " + output);
    }

    @Test
    void skipsAndReportsMalformedRowsAndValuesThatAreNotNumbers() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), """
                city,amount,quantity
                Oslo,1.50,2
                "Paris, TX",2.25,3
                Oslo,abc,4
                Oslo,"x"y,5
                Oslo,10,1,extra
                "Paris, TX",-1.75,9
                Lima,,1
                Oslo,3.00,2
                """);

        Cli cli = Cli.run(args(csv));

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.outLines()).containsExactly(
                "city,count,sum_amount,sum_quantity,avg_amount,min_quantity,max_amount",
                "Oslo,2,4.50,4,2.25,2,3",
                "\"Paris, TX\",2,0.50,12,0.25,3,2.25");
        assertThat(cli.err())
                .contains("csv-aggregate: skipped line 4: column 'amount' has 'abc', which is not a number")
                .contains("csv-aggregate: skipped line 8: column 'amount' has '', which is not a number")
                .contains("bad.csv line 5: malformed CSV")
                .contains("bad.csv line 6: the row has 4 columns where the header has 3")
                .contains("csv-aggregate: skipped 4 rows: 2 malformed, 2 with a value that is not a number");
    }

    @Test
    void aFileWithOnlyAHeaderPrintsOnlyTheHeader() throws IOException {
        Path csv = Files.writeString(dir.resolve("empty.csv"), "city,amount,quantity\n");

        Cli cli = Cli.run(args(csv));

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.outLines()).containsExactly("city,count,sum_amount,sum_quantity,avg_amount,min_quantity,max_amount");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--group-by town                    | unknown column 'town': the columns of in.csv are city, amount, quantity",
        "--group-by city --sum price        | unknown column 'price'",
        "--group-by city --avg amount --avg amount | --avg amount is given twice",
        "--sum amount                       | Missing required option: '--group-by=COL'"})
    void usageErrorsExitWithTwoAndOneLine(String options, String message) throws IOException {
        Path csv = Files.writeString(dir.resolve("in.csv"), "city,amount,quantity\nOslo,1,2\n");
        List<String> args = new ArrayList<>(List.of("csv-aggregate", "--input", csv.toString()));
        args.addAll(List.of(options.split(" +")));

        Cli cli = Cli.run(args.toArray(String[]::new));

        assertThat(cli.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(cli.errLines()).singleElement().asString()
                .startsWith("pipeline-samples csv-aggregate: ").contains(message);
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void aMissingOrEmptyInputIsAUsageError() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");

        Cli missing = Cli.run("csv-aggregate", "--input", dir.resolve("nope.csv").toString(), "--group-by", "city");
        Cli nothing = Cli.run("csv-aggregate", "--input", empty.toString(), "--group-by", "city");
        Cli directory = Cli.run("csv-aggregate", "--input", dir.toString(), "--group-by", "city");

        assertThat(missing.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(missing.errLines()).singleElement().asString().contains("nope.csv does not exist");
        assertThat(nothing.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(nothing.errLines()).singleElement().asString().contains("has no header line");
        assertThat(directory.status()).isEqualTo(SamplesCommand.USAGE_ERROR);
        assertThat(directory.errLines()).singleElement().asString().contains("is not a file");
    }

    @Test
    void aHeaderThatNamesAColumnTwiceFailsThePipelineWithStatusOne() throws IOException {
        Path csv = Files.writeString(dir.resolve("twice.csv"), "city,amount,city\nOslo,1,Oslo\n");

        Cli cli = Cli.run("csv-aggregate", "--input", csv.toString(), "--group-by", "city");

        assertThat(cli.status()).as(cli.err()).isEqualTo(SamplesCommand.PIPELINE_FAILED);
        assertThat(cli.errLines()).last().asString()
                .startsWith("pipeline-samples csv-aggregate: pipeline failed: ").contains("twice.csv");
    }

    @Test
    void aTruncatedGzipFileIsReportedAndWhatWasReadIsAggregated() throws IOException {
        Path whole = dir.resolve("whole.csv.gz");
        DatasetGenerator.csv().withSeed(3).withRows(50_000).withGzip(true).writeTo(whole);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Cli cli = Cli.run("csv-aggregate", "--input", cut.toString(), "--group-by", "city");

        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.err()).contains("cut.csv.gz line ", "the gzip file is truncated", "1 malformed");
        long rows = cli.outLines().stream().skip(1)
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(',') + 1))).sum();
        assertThat(rows).isBetween(1L, 49_999L);
    }

    @Test
    void csvLinesQuoteWhatNeedsIt() {
        assertThat(CsvAggregateCommand.csvLine(List.of("a", "b,c", "say \"hi\"", "x\ny", ""))).isEqualTo(
                "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",");
    }
}
