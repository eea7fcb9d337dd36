package io.github.pipeline.samples;

import io.github.pipeline.io.DatasetGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code generate} command: writes a large, deterministic dataset (text, CSV or JSON lines) to a
 * file, for trying pipelines on big inputs. The same seed makes the same bytes.
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar generate csv --rows 10000000 --output big.csv
 * java -jar samples/target/pipeline-samples.jar generate text --size 1G --output big.txt.gz
 * }</pre>
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = {"Writes a deterministic dataset: text lines, CSV with a header, or JSON lines.",
            "The file is written aside and moved into place when complete."})
public final class GenerateCommand implements Callable<Integer> {

    /** The kinds of data, as named on the command line. */
    enum Kind {
        text(DatasetGenerator.Format.TEXT),
        csv(DatasetGenerator.Format.CSV),
        jsonl(DatasetGenerator.Format.JSON_LINES);

        final DatasetGenerator.Format format;

        Kind(DatasetGenerator.Format format) {
            this.format = format;
        }
    }

    @Parameters(index = "0", paramLabel = "KIND", description = "What to make: ${COMPLETION-CANDIDATES}.")
    private Kind kind;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Amount amount;

    /** Either a size or a number of records. */
    static final class Amount {
        @Option(names = "--size", paramLabel = "SIZE", converter = SizeConverter.class,
                description = "As many whole records as fit in SIZE bytes (uncompressed): a number with an "
                        + "optional unit K, M or G (powers of 1024), for example 500M or 1G.")
        Long size;

        @Option(names = "--rows", paramLabel = "N",
                description = "Exactly N records (lines, CSV rows after the header, JSON lines).")
        Long rows;
    }

    @Option(names = "--output", paramLabel = "FILE", required = true, description = "The file to write.")
    private Path output;

    @Option(names = "--seed", paramLabel = "S", description = "The random seed (default: ${DEFAULT-VALUE}).")
    private long seed = 42;

    @Option(names = "--gzip", description = "Compress with gzip (also when FILE ends with .gz).")
    private boolean gzip;

    @Spec
    private CommandSpec spec;

    /**
     * Writes the dataset and prints what was written on stderr.
     *
     * @return the exit status: 0, or 1 if the file cannot be written
     */
    @Override
    public Integer call() {
        if (amount.rows != null && amount.rows < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--rows must not be negative, got " + amount.rows);
        }
        boolean compress = gzip || output.getFileName().toString().endsWith(".gz");
        DatasetGenerator generator = DatasetGenerator.of(kind.format).withSeed(seed).withGzip(compress);
        generator = amount.rows != null ? generator.withRows(amount.rows) : generator.withSize(amount.size);
        DatasetGenerator.Written written;
        try {
            written = generator.writeTo(output);
        } catch (IOException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot write " + output + ": " + e);
            return SamplesCommand.PIPELINE_FAILED;
        }
        spec.commandLine().getErr().printf("wrote %d %s records (%d bytes%s) to %s%n", written.records(), kind,
                written.bytes(), compress ? " before gzip" : "", output);
        return 0;
    }

    /** Reads sizes such as {@code 1000}, {@code 64K}, {@code 500M}, {@code 1G} or {@code 2GiB}. */
    static final class SizeConverter implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?)(?:I?B)?");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.strip().toUpperCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size: give a number with an optional unit "
                        + "K, M or G, for example 500M");
            }
            int shift = switch (m.group(2)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                default -> 0;
            };
            long number;
            try {
                number = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
            if (number > (Long.MAX_VALUE >> shift)) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
            return number << shift;
        }
    }
}
