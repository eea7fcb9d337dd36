package io.github.pipeline.samples;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SpeedupSweep;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.api.SweepResult;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code amdahl} sample: Amdahl's law, predicted and then measured. A pipeline with a deliberately
 * sequential stage is swept over parallelism {@code n = 1..N}:
 *
 * <pre>
 * source   range(0, items)
 * map      'prepare'   sequential           {@code --serial-work} units of CPU per item
 * map      'compute'   parallel(n)          {@code --parallel-work} units of CPU per item
 * sink     count
 * </pre>
 *
 * <p>It prints, for each {@code n}, the measured speedup, what Amdahl's law and the streaming bound
 * predicted from the profile at {@code n = 1}, and the Karp-Flatt serial fraction.
 */
@Command(name = "amdahl", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "Sweeps a pipeline with a deliberately sequential stage over parallelism 1..N and prints "
                + "the speedups that Amdahl's law and the streaming bound predict against those measured.")
public final class AmdahlCommand implements Callable<Integer> {

    @Option(names = "--items", paramLabel = "N", description = "Items per run, at least 1 (default: ${DEFAULT-VALUE}).")
    private long items = 10_000;

    @Option(names = "--max-parallelism", paramLabel = "N",
            description = "The highest parallelism of the sweep, at least 1 (default: twice the processors, "
                    + "${DEFAULT-VALUE} here).")
    private int maxParallelism = 2 * Runtime.getRuntime().availableProcessors();

    @Option(names = "--repetitions", paramLabel = "R",
            description = "Runs per level; the fastest counts (default: ${DEFAULT-VALUE}).")
    private int repetitions = 3;

    @Option(names = "--serial-work", paramLabel = "U",
            description = "Units of CPU work per item in the sequential stage (default: ${DEFAULT-VALUE}).")
    private int serialWork = 1;

    @Option(names = "--parallel-work", paramLabel = "U",
            description = "Units of CPU work per item in the parallel stage (default: ${DEFAULT-VALUE}).")
    private int parallelWork = 4;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ObservabilityOptions observability;

    @Spec
    private CommandSpec spec;

    /**
     * Builds the swept pipeline.
     *
     * @param items        how many items
     * @param serialWork   units of work per item in the sequential stage
     * @param parallelWork units of work per item in the parallel stage
     * @param parallelism  the rails of the parallel stage
     * @return the pipeline, whose value is the number of items
     */
    public static Pipeline<Long> pipeline(long items, int serialWork, int parallelWork, int parallelism) {
        return Pipeline.named("amdahl")
                .from(Source.range(0, items))
                .map("prepare", x -> Work.spin(x, serialWork))
                .map("compute", x -> Work.spin(x, parallelWork), StageOptions.parallel(parallelism))
                .to(Sink.count());
    }

    /**
     * Runs the sweep: the table of speedups on stdout, the profile of the widest run on stderr.
     *
     * @return the exit status, 0
     */
    @Override
    public Integer call() {
        check(items >= 1, "--items must be at least 1, got " + items);
        check(maxParallelism >= 1, "--max-parallelism must be at least 1, got " + maxParallelism);
        check(repetitions >= 1, "--repetitions must be at least 1, got " + repetitions);
        check(serialWork >= 0 && parallelWork >= 0, "--serial-work and --parallel-work must not be negative");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ObservabilityOptions options = observability) {
            ReactorEngine engine = options.engine();
            SweepResult sweep = SpeedupSweep.of(n -> progress.watch(pipeline(items, serialWork, parallelWork, n)))
                    .withParallelismUpTo(maxParallelism)
                    .withRepetitions(repetitions)
                    .withWarmups(1)
                    .run(engine);
            out.print(sweep.text());
            err.print(sweep.widest().text());
            RunResult<Long> widest = progress.watch(pipeline(items, serialWork, parallelWork, maxParallelism)).run(engine);
            options.report(widest, sweep);
        }
        return 0;
    }

    private void check(boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
