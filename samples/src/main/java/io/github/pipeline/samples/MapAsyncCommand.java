package io.github.pipeline.samples;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.RunResult;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code map-async} sample: Python's {@code pool.map_async(f, range(1, N + 1))}. The pipeline of
 * {@link CubeCommand} is {@linkplain io.github.pipeline.api.Pipeline#start() started}, which returns at
 * once; the main thread does other work while it runs, then waits for the result.
 *
 * <pre>{@code
 * results = pool.map_async(f, range(1, N + 1))
 * # DO OTHER STUFF
 * results.wait()
 * output = results.get()
 * }</pre>
 *
 * <p>The other work here: the main thread computes the same sum with the closed form
 * {@code (N(N+1)/2)^2}, then reports the run's progress on stderr (every 200 ms, its own polling of
 * {@link Execution#progress()}; {@code --quiet} turns it off) until it ends, and checks that the
 * two agree.
 */
@Command(name = "map-async", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "Python's pool.map_async(f, range(1, N+1)) with f(x) = x**3: starts the pipeline, "
                + "reports its progress while it runs, then prints the sum of the cubes.")
public final class MapAsyncCommand implements Callable<Integer> {

    /** How often the main thread reports the run's progress. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(200);

    @Mixin
    private CountOption count;

    @Mixin
    private ParallelismOption parallelism;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ObservabilityOptions observability;

    @Spec
    private CommandSpec spec;

    /**
     * The sum of the first {@code count} cubes by the closed form {@code (count(count+1)/2)^2}.
     *
     * @param count how many numbers
     * @return the sum of their cubes
     */
    public static BigInteger sumOfCubesClosedForm(long count) {
        BigInteger n = BigInteger.valueOf(count);
        return n.multiply(n.add(BigInteger.ONE)).shiftRight(1).pow(2);
    }

    /**
     * Describes a progress snapshot in one line.
     *
     * @param progress the snapshot
     * @return for example {@code "progress: 1200000 of 5000000 items read (24%), 1180000 into the sink, 0.4 s"}
     */
    public static String describe(Progress progress) {
        StringBuilder sb = new StringBuilder("progress: ").append(progress.sourceItems());
        progress.sourceSize().ifPresent(size -> sb.append(" of ").append(size));
        sb.append(" items read");
        progress.fractionRead().ifPresent(f -> sb.append(String.format(" (%.0f%%)", 100 * f)));
        return sb.append(", ").append(progress.sinkItems()).append(" into the sink, ")
                .append(String.format("%.1f s", progress.elapsed().toMillis() / 1000.0)).toString();
    }

    /**
     * Starts the pipeline, works while it runs, then prints the sum on stdout and the progress reports
     * and summary on stderr; writes the report and serves the meters when asked.
     *
     * @return the exit status: 0, or 1 if the pipeline's sum and the closed form disagree
     */
    @Override
    public Integer call() {
        long n = count.count();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        try (ObservabilityOptions options = observability) {
            return run(n, options, out, err);
        }
    }

    private int run(long n, ObservabilityOptions options, PrintWriter out, PrintWriter err) {
        Execution<BigInteger> execution = CubeCommand.sumOfCubes(n, parallelism.parallelism()).start(options.engine());

        // The pipeline runs on its own threads; meanwhile this thread is free.
        BigInteger expected = sumOfCubesClosedForm(n);
        Optional<RunResult<BigInteger>> finished;
        while ((finished = execution.await(PROGRESS_INTERVAL)).isEmpty()) {
            if (!progress.isQuiet()) {
                err.println(describe(execution.progress()));
            }
        }

        RunResult<BigInteger> result = finished.get();
        out.println(result.value());
        err.print(result.summary());
        options.report(result);
        if (!result.value().equals(expected)) {
            err.println("map-async: the pipeline's sum differs from the closed form (N(N+1)/2)^2 = " + expected);
            return 1;
        }
        err.println("check: equal to the closed form (N(N+1)/2)^2, computed while the pipeline ran");
        return 0;
    }
}
