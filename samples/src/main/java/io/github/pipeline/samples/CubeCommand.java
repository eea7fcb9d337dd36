package io.github.pipeline.samples;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code cube} sample: Python's {@code pool.map(f, range(1, N + 1))} with {@code f(x) = x**3},
 * summed. It blocks until the pipeline has finished, as {@code pool.map} does.
 *
 * <pre>{@code
 * def f(x):
 *   return x**3
 *
 * with mp.Pool(processes = n) as pool:
 *   sum(pool.map(f, range(1, N + 1)))
 * }</pre>
 *
 * <p>The cubes and their sum are {@link BigInteger}s, exact like Python's integers: the sum of the
 * first million cubes is about 2.5e23, far beyond a {@code long}.
 */
@Command(name = "cube", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "Python's pool.map(f, range(1, N+1)) with f(x) = x**3: prints the sum of the cubes.")
public final class CubeCommand implements Callable<Integer> {

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
     * The function of the seed: {@code f(x) = x**3}, exactly.
     *
     * @param x the number
     * @return its cube
     */
    public static BigInteger f(long x) {
        return BigInteger.valueOf(x).pow(3);
    }

    /**
     * Builds the pipeline: {@code range(1, count + 1)}, {@link #f} on parallel rails, summed.
     *
     * @param count       how many numbers
     * @param parallelism how many rails run {@code f}
     * @return the pipeline, whose value is the sum of the cubes
     */
    public static Pipeline<BigInteger> sumOfCubes(long count, int parallelism) {
        return Pipeline.named("sum-of-cubes")
                .from(Source.range(1, count + 1))
                .map("f", CubeCommand::f, StageOptions.parallel(parallelism))
                .to(Sink.reduce(BigInteger.ZERO, BigInteger::add));
    }

    /**
     * Runs the pipeline and prints the sum on stdout, the run's summary on stderr; writes the report
     * and serves the meters when asked.
     *
     * @return the exit status, 0
     */
    @Override
    public Integer call() {
        try (ObservabilityOptions options = observability) {
            RunResult<BigInteger> result = progress.watch(sumOfCubes(count.count(), parallelism.parallelism()))
                    .run(options.engine());
            spec.commandLine().getOut().println(result.value());
            spec.commandLine().getErr().print(result.summary());
            options.report(result);
        }
        return 0;
    }
}
