package io.github.pipeline.samples;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code demo} sample: a whole pipeline over data it makes itself, no input needed.
 *
 * <pre>
 * source   {@link SensorFeed}: CSV lines "sensor-17,2026-01-01T00:00:00Z,23.5"
 * filter   'drop-offline'  sequential           lines whose value is "n/a" are counted as filtered
 * map      'parse'         sequential           line to {@link Reading}
 * map      'score'         parallel, CPU-bound  anomaly score by numerical integration ({@link ScoredReading#score})
 * batch    'batch'         sequential           lists of {@value #BATCH_SIZE} readings
 * map      'store'         blocking             one write per batch to a {@link SimulatedStore}
 * sink     fold                                 per-sensor {@link SensorStats}, in a sorted map
 * </pre>
 *
 * <p>The CPU-bound stage runs on one rail per core, the blocking stage on threads of its own, so the
 * waiting of the writes never holds a core.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "Generates sensor readings and runs parse, a CPU-bound parallel stage, a blocking "
                + "stage and an aggregation over them: prints per-sensor statistics.")
public final class DemoCommand implements Callable<Integer> {

    /** How many readings the store takes in one write. */
    public static final int BATCH_SIZE = 500;

    /** How many writes to the store run at once. */
    public static final int STORE_CONCURRENCY = 8;

    /** How long one write to the store takes. */
    public static final Duration STORE_LATENCY = Duration.ofMillis(20);

    @Option(names = "--records", paramLabel = "N",
            description = "How many lines to generate, at least 0 (default: ${DEFAULT-VALUE}).")
    private long records = 300_000;

    @Option(names = "--seed", paramLabel = "S",
            description = "The seed of the generator: equal seeds give equal data (default: ${DEFAULT-VALUE}).")
    private long seed = 42;

    @Mixin
    private ParallelismOption parallelism;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ObservabilityOptions observability;

    @Spec
    private CommandSpec spec;

    /**
     * Builds the demo's pipeline. Its source is a generator that has state, so build a new pipeline
     * for each run: running this one twice would read on where the first run stopped.
     *
     * @param records     how many lines to generate
     * @param seed        the seed of the generator
     * @param parallelism how many rails run the CPU-bound stage
     * @param store       where the blocking stage writes
     * @return the pipeline, whose value is the statistics of each sensor, by name
     */
    public static Pipeline<SortedMap<String, SensorStats>> sensorReport(long records, long seed, int parallelism,
                                                                      SimulatedStore store) {
        return Pipeline.named("sensor-report")
                .from(Source.generate(new SensorFeed(seed), records))
                .filter("drop-offline", line -> !line.endsWith("," + SensorFeed.MISSING))
                .map("parse", Reading::parse)
                .map("score", ScoredReading::score, StageOptions.parallel(parallelism))
                .batch("batch", BATCH_SIZE)
                .map("store", store::write, StageOptions.blocking(STORE_CONCURRENCY))
                .to(Sink.fold(TreeMap::new, DemoCommand::addBatch));
    }

    /**
     * The step of the sink: adds a batch of scored readings to the per-sensor statistics.
     *
     * @param totals the statistics so far, by sensor
     * @param batch  the readings to add
     * @return {@code totals}, updated
     */
    public static SortedMap<String, SensorStats> addBatch(SortedMap<String, SensorStats> totals,
                                                          List<ScoredReading> batch) {
        for (ScoredReading scored : batch) {
            totals.merge(scored.reading().sensor(), SensorStats.of(scored), SensorStats::plus);
        }
        return totals;
    }

    /**
     * Prints the statistics as a table: a header, a line per sensor, a line for all sensors together.
     *
     * @param stats the statistics, by sensor
     * @param out   where to print
     */
    public static void printReport(Map<String, SensorStats> stats, PrintWriter out) {
        String format = "%-10s %9s %8s %7s %7s %10s  %s%n";
        out.printf(Locale.ROOT, format, "sensor", "readings", "mean(C)", "min(C)", "max(C)", "anomalies",
                "last reading");
        SensorStats all = null;
        for (Map.Entry<String, SensorStats> entry : stats.entrySet()) {
            printLine(out, format, entry.getKey(), entry.getValue());
            all = all == null ? entry.getValue() : all.plus(entry.getValue());
        }
        if (all != null) {
            printLine(out, format, "all", all);
        }
    }

    private static void printLine(PrintWriter out, String format, String name, SensorStats s) {
        out.printf(Locale.ROOT, format, name, s.readings(), String.format(Locale.ROOT, "%.2f", s.mean()),
                String.format(Locale.ROOT, "%.1f", s.min()), String.format(Locale.ROOT, "%.1f", s.max()),
                s.anomalies(), s.lastSeen());
    }

    /**
     * Runs the pipeline: its description on stderr, the statistics on stdout, then the run's summary
     * and the store's counts on stderr; writes the report and serves the meters when asked.
     *
     * @return the exit status, 0
     */
    @Override
    public Integer call() {
        if (records < 0) {
            throw new ParameterException(spec.commandLine(), "--records must not be negative, got " + records);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        SimulatedStore store = new SimulatedStore(STORE_LATENCY);
        Pipeline<SortedMap<String, SensorStats>> pipeline =
                sensorReport(records, seed, parallelism.parallelism(), store);
        err.print(pipeline.describe());

        try (ObservabilityOptions options = observability) {
            RunResult<SortedMap<String, SensorStats>> result = progress.watch(pipeline).run(options.engine()).verifyBalanced();
            printReport(result.value(), out);

            err.print(result.summary());
            err.printf(Locale.ROOT, "store: %d readings written in %d batches, up to %d writes at a time, %d ms each%n",
                    store.items(), store.batches(), STORE_CONCURRENCY, STORE_LATENCY.toMillis());
            options.report(result);
        }
        return 0;
    }
}
