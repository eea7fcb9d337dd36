package io.github.pipeline.samples;

import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.io.CsvRow;
import io.github.pipeline.io.FileSink;
import io.github.pipeline.io.FileSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code convert} sample: a CSV file of any size to JSON lines, in parallel, in source order, with
 * checkpoints so that a run that dies (killed, Ctrl-C, a crash) goes on where it left off when started
 * again.
 *
 * <pre>
 * source  {@link FileSource#csv}       rows after the header (gzip too); malformed rows skipped and counted
 * map     'to-object'  parallel, ordered, chunked   the row as an object: column name to value
 * sink    {@link FileSink#jsonLines}   one object per line (gzip if the name ends with .gz), written aside
 *                                      and moved into place when the whole file is done
 * </pre>
 *
 * <pre>{@code
 * java -jar samples/target/pipeline-samples.jar convert --input big.csv --output big.jsonl \
 *     --checkpoint big.checkpoint --checkpoint-every 10
 * }</pre>
 */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = {"Converts a CSV file (with a header; gzip too) to JSON lines, one object per row, in the "
                + "rows' order. Malformed rows are skipped and counted.",
            "With --checkpoint, the run saves checkpoints; run the same command again after it died and it "
                    + "resumes from the last one. The output is the same, byte for byte, as a run that was "
                    + "never stopped."})
public final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--input", paramLabel = "FILE", required = true,
            description = "The CSV file, with a header line (gzip is recognised).")
    private Path input;

    @Option(names = "--output", paramLabel = "FILE", required = true,
            description = "The JSON-lines file (gzip if it ends with .gz); moved into place when complete.")
    private Path output;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Save checkpoints to FILE, and resume from it if it exists.")
    private Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between checkpoints (default: ${DEFAULT-VALUE}).")
    private double checkpointSeconds;

    @Mixin
    private ParallelismOption parallelism;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ObservabilityOptions observability;

    @Spec
    private CommandSpec spec;

    /**
     * Builds the pipeline: rows to objects (column name to value, in header order), in source order.
     *
     * @param input       the CSV file
     * @param output      the JSON-lines file
     * @param parallelism the rails of the conversion
     * @return the pipeline, without checkpoints
     */
    public static Pipeline<Long> convert(Path input, Path output, int parallelism) {
        return Pipeline.named("convert")
                .from(FileSource.csv(input).withErrorPolicy(ErrorPolicy.skip()))
                .map("to-object", ConvertCommand::toObject, StageOptions.parallel(parallelism).withOrdered(true))
                .to(FileSink.<Map<String, String>>jsonLines(output));
    }

    static Map<String, String> toObject(CsvRow row) {
        List<String> columns = row.columns();
        Map<String, String> object = new LinkedHashMap<>(columns.size() * 2);
        for (int i = 0; i < columns.size(); i++) {
            object.put(columns.get(i), row.get(i));
        }
        return object;
    }

    /**
     * Runs the conversion, resuming from the checkpoint when there is one.
     *
     * @return the exit status: 0, or 1 if the pipeline failed
     */
    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), "--input: " + input + " is not a file");
        }
        if (checkpointSeconds < 0.001) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every must be at least 0.001 s, got "
                    + checkpointSeconds);
        }
        PrintWriter err = spec.commandLine().getErr();
        Pipeline<Long> pipeline = convert(input, output, parallelism.parallelism());
        if (checkpoint != null) {
            if (Files.exists(checkpoint)) {
                err.println("resuming from " + checkpoint);
            }
            pipeline = pipeline.withCheckpoints(Checkpoints.to(checkpoint)
                    .every(Duration.ofNanos((long) (checkpointSeconds * 1e9))));
        }
        try (ObservabilityOptions options = observability) {
            RunResult<Long> result = progress.watch(pipeline).run(options.engine());
            err.print(result.summary());
            err.println("wrote " + result.value() + " lines to " + output);
            options.report(result);
        }
        return 0;
    }
}
