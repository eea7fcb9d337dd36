package io.github.pipeline.io;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The measurement that chose FastCSV over jackson-dataformat-csv (not a test: run it by hand, see
 * {@code docs/files.md}): speed, streaming a generated CSV file with each library's own reader, and
 * strictness, on the malformed rows a file source must report.
 *
 * <pre>{@code
 * java -cp <test class path> io.github.pipeline.io.CsvLibraryComparison /tmp/csv-compare 2000000 3
 * }</pre>
 */
public final class CsvLibraryComparison {

    private CsvLibraryComparison() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the directory, the rows (default 2,000,000), the rounds (default 3)
     * @throws Exception if the file cannot be made or read
     */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/csv-compare"));
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path file = dir.resolve("compare-" + rows + ".csv");
        if (!Files.exists(file)) {
            DatasetGenerator.csv().withRows(rows).writeTo(file);
        }
        double megabytes = Files.size(file) / 1e6;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            long n = 0;
            try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
                for (CsvRecord record : reader) {
                    n += record.getFieldCount() > 0 ? 1 : 0;
                }
            }
            report("FastCSV", n, megabytes, start);
            start = System.nanoTime();
            n = 0;
            CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
            try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(file.toFile())) {
                while (it.hasNext()) {
                    n += it.next().length > 0 ? 1 : 0;
                }
            }
            report("jackson-dataformat-csv", n, megabytes, start);
        }
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        CsvReader.CsvReaderBuilder fastCsv = CsvReader.builder().allowExtraCharsAfterClosingQuote(false)
                .allowUnclosedQuote(false);
        for (String bad : List.of("a,\"b\"c,d", "a,\"b,c", "a,b\"c,d")) {
            String fast;
            try {
                fast = fastCsv.ofSingleCsvRecord(bad).getFields().toString();
            } catch (RuntimeException e) {
                fast = "error: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            }
            String jackson;
            try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(bad)) {
                jackson = List.of(it.next()).toString();
            } catch (RuntimeException e) {
                jackson = "error: " + e.getMessage().lines().findFirst().orElse("");
            }
            System.out.printf("%-10s FastCSV: %s%n%-10s Jackson: %s%n", bad, fast, "", jackson);
        }
    }

    private static void report(String library, long rows, double megabytes, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-24s %9d rows %6.2f s %9.0f rows/s %7.1f MB/s%n", library, rows, seconds, rows / seconds,
                megabytes / seconds);
    }
}
