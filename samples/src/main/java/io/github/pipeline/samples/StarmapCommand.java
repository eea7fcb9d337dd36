package io.github.pipeline.samples;

import io.github.pipeline.api.Pair;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Pool;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code starmap} sample: Python's {@code pool.starmap(f2, zip(...))} with {@code f2(x, y) = x*y},
 * over two zips, each summed.
 *
 * <pre>{@code
 * def f2(x, y):
 *   return x*y
 *
 * with mp.Pool(processes = n) as pool:
 *   sum(pool.starmap(f2, zip(range(1, N + 1), range(1, N + 1))))
 *   sum(pool.starmap(f2, zip(range(1, N + 1), repeat(10))))
 * }</pre>
 *
 * <p>{@link Source#zip} pairs the two sources, and {@link Pair#function} spreads each pair over the
 * two arguments of {@code f2}. For small lists in memory, {@link Pool#starmap} does the same in one
 * call; the sample prints the seed's own example with it.
 */
@Command(name = "starmap", mixinStandardHelpOptions = true, versionProvider = SamplesCommand.Version.class,
        description = "Python's pool.starmap(f2, zip(...)) with f2(x, y) = x*y: prints the sums over "
                + "zip(range, range) and zip(range, repeat(10)).")
public final class StarmapCommand implements Callable<Integer> {

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
     * The function of the seed: {@code f2(x, y) = x*y}, exactly.
     *
     * @param x the first number
     * @param y the second number
     * @return their product
     */
    public static BigInteger f2(long x, long y) {
        return BigInteger.valueOf(x).multiply(BigInteger.valueOf(y));
    }

    /**
     * Builds a pipeline that applies {@link #f2} to each pair on parallel rails and sums the results.
     *
     * @param name        the pipeline's name
     * @param pairs       the zipped arguments
     * @param parallelism how many rails run {@code f2}
     * @return the pipeline, whose value is the sum of the products
     */
    public static Pipeline<BigInteger> sumOfProducts(String name, Source<Pair<Long, Long>> pairs, int parallelism) {
        return Pipeline.named(name)
                .from(pairs)
                .map("f2", Pair.function(StarmapCommand::f2), StageOptions.parallel(parallelism))
                .to(Sink.reduce(BigInteger.ZERO, BigInteger::add));
    }

    /**
     * Python's {@code starmap(f2, zip(range(1, count + 1), range(1, count + 1)))}, summed.
     *
     * @param count       how many numbers
     * @param parallelism how many rails run {@code f2}
     * @return the pipeline, whose value is the sum of the squares
     */
    public static Pipeline<BigInteger> rangeTimesRange(long count, int parallelism) {
        return sumOfProducts("zip-range-range",
                Source.zip(Source.range(1, count + 1), Source.range(1, count + 1)), parallelism);
    }

    /**
     * Python's {@code starmap(f2, zip(range(1, count + 1), repeat(10)))}, summed: the endless
     * {@code repeat} ends with the range.
     *
     * @param count       how many numbers
     * @param parallelism how many rails run {@code f2}
     * @return the pipeline, whose value is ten times the sum of the range
     */
    public static Pipeline<BigInteger> rangeTimesTen(long count, int parallelism) {
        return sumOfProducts("zip-range-repeat",
                Source.zip(Source.range(1, count + 1), Source.repeat(10L)), parallelism);
    }

    /**
     * The seed's example as it is, with the pool-style shortcut for small in-memory jobs:
     * {@code pool.starmap(f2, zip(range(1, 7), repeat(10)))}.
     *
     * @param parallelism how many rails run {@code f2}
     * @return {@code [10, 20, 30, 40, 50, 60]}, in input order
     */
    public static List<BigInteger> seedExample(int parallelism) {
        List<Long> range = LongStream.range(1, 7).boxed().toList();
        List<Long> tens = Collections.nCopies(range.size(), 10L);
        return Pool.create(parallelism).starmap(Pair.zip(range, tens), StarmapCommand::f2);
    }

    /**
     * Runs both pipelines and the pool example, prints their results on stdout, one per line, and
     * the runs' summaries on stderr, with the profile and report (with {@code --report}) of the first.
     *
     * @return the exit status, 0
     */
    @Override
    public Integer call() {
        long n = count.count();
        int rails = parallelism.parallelism();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        try (ObservabilityOptions options = observability) {
            ReactorEngine engine = options.engine();
            RunResult<BigInteger> squares = progress.watch(rangeTimesRange(n, rails)).run(engine);
            out.println("zip(range, range): " + squares.value());
            err.print(squares.summary());
            options.report(squares);

            RunResult<BigInteger> tens = progress.watch(rangeTimesTen(n, rails)).run(engine);
            out.println("zip(range, repeat(10)): " + tens.value());
            err.print(tens.summary());

            out.println("pool.starmap(f2, zip(range(1, 7), repeat(10))): " + seedExample(rails));
        }
        return 0;
    }
}
