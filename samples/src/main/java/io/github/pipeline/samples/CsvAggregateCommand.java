package io.github.pipeline.samples;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.github.pipeline.api.AggregateOptions;
import io.github.pipeline.api.Aggregator;
import io.github.pipeline.api.Aggregators;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Items;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.SourceReader;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.io.CsvRow;
import io.github.pipeline.io.FileSink;
import io.github.pipeline.io.FileSource;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code csv-aggregate} sample: a SQL-like {@code GROUP BY} over a CSV file of any size.
 *
 * <pre>
 * source     {@link FileSource#csv}    rows after the header (gzip too); a malformed row is skipped and reported
 * map        'parse'  parallel         the group and the aggregated columns as numbers; a row with a value
 *                                      that is not a number is skipped and reported
 * aggregate  'group'  its own thread   count, exact sums, minima and maxima per group, spilled to disk
 *                                      past its memory bound, emitted sorted by group
 * sink       stdout or {@link FileSink#csv}  a header, then one row per group
 * </pre>
 *
 * <p>The output's columns are the group column, {@code count}, then {@code sum_<col>} for each
 * {@code --sum}, then {@code avg_}, {@code min_} and {@code max_} likewise, each in the order given.
 * Numbers are exact decimals: sums keep the scale of their inputs, minima and maxima drop trailing
 * zeros, averages have 16 significant digits.
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar csv-aggregate --input sales.csv --group-by city \
 *     --sum amount --avg amount --max quantity
 * }</pre>
 */
@Command(name = "csv-aggregate", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = {"Groups the rows of a CSV file (with a header; gzip too) by a column and prints, per "
                + "group sorted by its value, the count and the sums, averages, minima and maxima asked for, "
                + "as CSV: the group column, count, then sum_<col>, avg_<col>, min_<col>, max_<col>.",
            "Malformed rows and rows with a value that is not a number in an aggregated column are "
                    + "skipped, counted and reported on stderr."})
public final class CsvAggregateCommand implements Callable<Integer> {

    /** The statistics a column can be aggregated into, in the order of the output's columns. */
    public enum Statistic {
        /** The exact sum. */
        SUM,
        /** The mean: the exact sum divided by the count, to 16 significant digits. */
        AVG,
        /** The smallest value. */
        MIN,
        /** The largest value. */
        MAX;

        /**
         * Returns the output column of this statistic of a column, such as {@code sum_amount}.
         *
         * @param column the aggregated column
         * @return the output column's name
         */
        public String columnName(String column) {
            return name().toLowerCase(Locale.ROOT) + "_" + column;
        }
    }

    /**
     * One statistic of one column: a column of the output.
     *
     * @param statistic what is computed
     * @param column    of which input column
     */
    public record Aggregate(Statistic statistic, String column) {
    }

    @Option(names = "--input", paramLabel = "FILE", required = true,
            description = "The CSV file, with a header line (gzip is recognised).")
    private Path input;

    @Option(names = "--group-by", paramLabel = "COL", required = true, description = "The column to group by.")
    private String groupBy;

    @Option(names = "--sum", paramLabel = "COL", description = "Sum this column (repeatable).")
    private List<String> sums = new ArrayList<>();

    @Option(names = "--avg", paramLabel = "COL", description = "Average this column (repeatable).")
    private List<String> avgs = new ArrayList<>();

    @Option(names = "--min", paramLabel = "COL", description = "The minimum of this column (repeatable).")
    private List<String> mins = new ArrayList<>();

    @Option(names = "--max", paramLabel = "COL", description = "The maximum of this column (repeatable).")
    private List<String> maxs = new ArrayList<>();

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the CSV to FILE (gzip if it ends with .gz; moved into place when complete) "
                    + "instead of stdout.")
    private Path output;

    @Mixin
    private ParallelismOption parallelism;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ObservabilityOptions observability;

    @Spec
    private CommandSpec spec;

    /**
     * A row reduced to what the aggregate needs: its group and the aggregated columns' values.
     *
     * @param group  the value of the group column
     * @param values the values of the aggregated columns, in the order of {@link #columns}
     */
    record GroupedValues(String group, BigDecimal[] values) {
    }

    /**
     * Reads the group and the aggregated columns of a row.
     *
     * @throws IllegalArgumentException if a value is not a number, naming the column and the value
     */
    static GroupedValues parse(CsvRow row, String groupBy, List<String> columns) {
        BigDecimal[] values = new BigDecimal[columns.size()];
        for (int i = 0; i < values.length; i++) {
            String text = row.get(columns.get(i));
            try {
                values[i] = new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("column '" + columns.get(i) + "' has "
                        + Items.abbreviate("'" + text + "'") + ", which is not a number");
            }
        }
        return new GroupedValues(row.get(groupBy), values);
    }

    /** The distinct columns the aggregates read, in the order they first appear. */
    static List<String> columns(List<Aggregate> aggregates) {
        Set<String> columns = new LinkedHashSet<>();
        aggregates.forEach(aggregate -> columns.add(aggregate.column()));
        return List.copyOf(columns);
    }

    /**
     * Returns the output's header: the group column, {@code count}, then one column per aggregate.
     *
     * @param groupBy    the group column
     * @param aggregates the aggregates, in output order
     * @return the header
     */
    public static List<String> header(String groupBy, List<Aggregate> aggregates) {
        List<String> header = new ArrayList<>();
        header.add(groupBy);
        header.add("count");
        aggregates.forEach(aggregate -> header.add(aggregate.statistic().columnName(aggregate.column())));
        return header;
    }

    /**
     * Builds the pipeline. Malformed rows go to {@code malformed}, rows with a value that is not a
     * number to {@code notANumber}; both are counted as dead-lettered by the stage that dropped them.
     *
     * @param input       the CSV file
     * @param groupBy     the column to group by
     * @param aggregates  the aggregates, in output order
     * @param parallelism the rails of the parse stage
     * @param malformed   takes the rows the source cannot read, from a thread of its own
     * @param notANumber  takes the rows with a value that is not a number, from a thread of its own
     * @param sink        takes one output row (its fields, as in {@link #header}) per group, in group order
     * @param <R>         the type of the sink's value
     * @return the pipeline
     */
    public static <R> Pipeline<R> groupBy(Path input, String groupBy, List<Aggregate> aggregates, int parallelism,
                                          Consumer<io.github.pipeline.api.DeadLetter> malformed,
                                          Consumer<io.github.pipeline.api.DeadLetter> notANumber,
                                          Sink<List<String>, R> sink) {
        List<String> columns = columns(aggregates);
        Aggregator<GroupedValues, GroupTotals, List<String>> totals = Aggregators.of(
                () -> new GroupTotals(columns.size()),
                (group, row) -> group.add(row.values()),
                GroupTotals::merge,
                group -> fields(group, columns, aggregates),
                GroupTotals.codec(columns.size()));
        // An accumulator holds three decimals per column, more than the 128 bytes a key the default
        // bound assumes: hold fewer keys, so that memory stays within the same share of the heap.
        int maxKeys = Math.max(1_000, (int) ((long) AggregateOptions.defaults().maxKeysInMemory()
                * AggregateOptions.ESTIMATED_BYTES_PER_KEY / (AggregateOptions.ESTIMATED_BYTES_PER_KEY
                + 160L * columns.size())));
        return Pipeline.named("csv-aggregate")
                .from(FileSource.csv(input).withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(malformed))))
                .map("parse", row -> parse(row, groupBy, columns), StageOptions.parallel(parallelism)
                        .withErrorPolicy(ErrorPolicy.deadLetter(Sink.forEach(notANumber))))
                .aggregate("group", GroupedValues::group, totals,
                        AggregateOptions.defaults().withMaxKeysInMemory(maxKeys))
                .map("format", (KeyedResult<String, List<String>> group) -> withGroup(group))
                .to(sink);
    }

    private static List<String> withGroup(KeyedResult<String, List<String>> group) {
        List<String> fields = new ArrayList<>(group.value().size() + 1);
        fields.add(group.key());
        fields.addAll(group.value());
        return fields;
    }

    /** A group's output fields after the group column: the count, then one per aggregate. */
    private static List<String> fields(GroupTotals totals, List<String> columns, List<Aggregate> aggregates) {
        List<String> fields = new ArrayList<>(aggregates.size() + 1);
        fields.add(Long.toString(totals.count()));
        for (Aggregate aggregate : aggregates) {
            int column = columns.indexOf(aggregate.column());
            fields.add(switch (aggregate.statistic()) {
                case SUM -> totals.sum(column).toPlainString();
                case AVG -> totals.sum(column).divide(BigDecimal.valueOf(totals.count()), MathContext.DECIMAL64)
                        .stripTrailingZeros().toPlainString();
                case MIN -> totals.min(column).stripTrailingZeros().toPlainString();
                case MAX -> totals.max(column).stripTrailingZeros().toPlainString();
            });
        }
        return fields;
    }

    /**
     * Formats one CSV line as RFC 4180 does: a field with a separator, a quote or a line end is
     * quoted, its quotes doubled.
     *
     * @param fields the fields
     * @return the line, without its line end
     */
    public static String csvLine(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (String field : fields) {
            if (line.length() > 0) {
                line.append(',');
            }
            if (field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                    || field.indexOf('\r') >= 0) {
                line.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                line.append(field);
            }
        }
        return line.toString();
    }

    /**
     * Checks the options against the file's header, runs the pipeline and prints the groups.
     *
     * @return the exit status: 0, or 1 if the pipeline failed
     */
    @Override
    public Integer call() throws Exception {
        List<Aggregate> aggregates = aggregates();
        List<String> header = header(groupBy, aggregates);
        checkColumns(readHeader(), aggregates);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RejectedRows rejected = new RejectedRows(spec.qualifiedName(), err);
        try (ObservabilityOptions options = observability) {
            Sink<List<String>, Long> sink;
            if (output != null) {
                sink = FileSink.csv(output, header, fields -> fields);
            } else {
                out.print(csvLine(header) + "\n");
                sink = Sink.forEach(fields -> out.print(csvLine(fields) + "\n"));
            }
            Pipeline<Long> pipeline = progress.watch(groupBy(input, groupBy, aggregates, parallelism.parallelism(),
                    rejected::malformed, rejected::notANumber, sink));
            RunResult<Long> result = pipeline.run(options.engine());
            out.flush();
            err.print(result.summary());
            rejected.printSummary();
            if (output != null) {
                err.println("wrote " + result.value() + " groups to " + output);
            }
            options.report(result);
        }
        return 0;
    }

    private List<Aggregate> aggregates() {
        List<Aggregate> aggregates = new ArrayList<>();
        add(aggregates, Statistic.SUM, sums);
        add(aggregates, Statistic.AVG, avgs);
        add(aggregates, Statistic.MIN, mins);
        add(aggregates, Statistic.MAX, maxs);
        return aggregates;
    }

    private void add(List<Aggregate> aggregates, Statistic statistic, List<String> columns) {
        for (String column : columns) {
            Aggregate aggregate = new Aggregate(statistic, column);
            if (aggregates.contains(aggregate)) {
                throw new ParameterException(spec.commandLine(), "--" + statistic.name().toLowerCase(Locale.ROOT)
                        + " " + column + " is given twice");
            }
            aggregates.add(aggregate);
        }
    }

    /** Reads the header line of the input: a usage error if the file is missing, empty or unreadable. */
    @SuppressWarnings("try") // SourceReader.close() may throw any Exception
    private List<String> readHeader() throws Exception {
        if (!Files.exists(input)) {
            throw new ParameterException(spec.commandLine(), "--input: " + input + " does not exist");
        }
        if (!Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), "--input: " + input + " is not a file");
        }
        String line;
        try (SourceReader<String> lines = FileSource.lines(input).open()) {
            line = lines.next();
        } catch (java.io.IOException | io.github.pipeline.api.MalformedRecordException e) {
            throw new ParameterException(spec.commandLine(), "--input: cannot read the header of " + input + ": "
                    + e.getMessage());
        }
        if (line == null || line.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--input: " + input
                    + " has no header line (the first line is empty)");
        }
        try {
            CsvRecord record = CsvReader.builder().ofSingleCsvRecord(line);
            List<String> columns = new ArrayList<>(record.getFieldCount());
            for (int i = 0; i < record.getFieldCount(); i++) {
                columns.add(record.getField(i));
            }
            return columns;
        } catch (CsvParseException e) {
            throw new ParameterException(spec.commandLine(), "--input: the header of " + input
                    + " is not valid CSV: " + Items.abbreviate(line));
        }
    }

    private void checkColumns(List<String> header, List<Aggregate> aggregates) {
        List<String> asked = new ArrayList<>();
        asked.add(groupBy);
        aggregates.forEach(aggregate -> asked.add(aggregate.column()));
        for (String column : asked) {
            if (!header.contains(column)) {
                throw new ParameterException(spec.commandLine(), "unknown column '" + column + "': the columns of "
                        + input.getFileName() + " are " + String.join(", ", header));
            }
        }
    }
}
