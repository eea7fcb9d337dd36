package io.github.pipeline.benchmarks;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.scheduler.Schedulers;

/**
 * The ways every function-over-a-range workload is measured: a function of a long over 1 to
 * {@link #items()}, summed, by a plain loop, Reactor (sequential, per-item rails, chunked rails), parallel
 * streams, an executor with chunked tasks and the engine (sequential, defaults, defaults without
 * profiling, explicit options). A workload names its function and its size; JMH generates each
 * inherited {@code @Benchmark} under the workload's class.
 *
 * <p>Each method returns the sum, so the work cannot be dropped, and all return the same sum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 7, time = 2)
public abstract class LongRangeBenchmark {

    private ReactorEngine engine;
    private ReactorEngine unprofiledEngine;
    private ExecutorService executor;
    private Pipeline<Long> engineSequential;
    private Pipeline<Long> engineDefaults;
    private Pipeline<Long> engineExplicit;

    /**
     * The workload's function.
     *
     * @return the function applied to every long
     */
    protected abstract LongUnaryOperator function();

    /**
     * The workload's short name, the prefix of its pipelines' names.
     *
     * @return for example {@code "cube"}
     */
    protected abstract String name();

    /**
     * How many longs the workload covers: 1 to this.
     *
     * @return the number of items
     */
    protected abstract int items();

    /** Builds the pipelines and starts one executor thread per core. */
    @Setup(Level.Trial)
    public void setUp() {
        engine = ReactorEngine.create();
        unprofiledEngine = ReactorEngine.create().withProfiling(false);
        executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        engineSequential = LongRangeRuns.pipeline(name() + "-sequential", items(), function(), StageOptions.sequential());
        engineDefaults = LongRangeRuns.pipeline(name() + "-defaults", items(), function(), StageOptions.parallel());
        engineExplicit = LongRangeRuns.pipeline(name() + "-explicit", items(), function(), Workloads.explicitOptions());
        startWorkload();
    }

    /** Starts what a workload's own ways need; called at the end of {@link #setUp()}. Does nothing here. */
    protected void startWorkload() {
    }

    /** Stops what {@link #startWorkload()} started; called by {@link #tearDown()}. Does nothing here. */
    protected void stopWorkload() {
    }

    /**
     * The executor with one thread per core, for workloads' own ways.
     *
     * @return the executor
     */
    protected ExecutorService executor() {
        return executor;
    }

    /** Stops the executor's threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
        stopWorkload();
    }

    /**
     * The baseline: a {@code for} loop.
     *
     * @return the sum
     */
    @Benchmark
    public long plainLoop() {
        return LongRangeRuns.plainLoop(items(), function());
    }

    /**
     * Reactor's {@code Flux.map} on one thread, not parallel.
     *
     * @return the sum
     */
    @Benchmark
    public long reactorSequential() {
        return LongRangeRuns.reactorSequential(items(), function());
    }

    /**
     * Hand-written per-item rails: {@code parallel(2).runOn(Schedulers.parallel())}.
     *
     * @return the sum
     */
    @Benchmark
    public long reactorRailsPerItem() {
        return LongRangeRuns.reactorRailsPerItem(items(), function(), 2, Schedulers.parallel());
    }

    /**
     * Hand-written rails over {@code buffer(1024)} chunks; the results flow on one by one to the sum,
     * as they would to a pipeline's sink.
     *
     * @return the sum
     */
    @Benchmark
    public long reactorRailsChunked() {
        return LongRangeRuns.reactorRailsChunked(items(), function(), 2, Schedulers.parallel(), Workloads.CHUNK);
    }

    /**
     * Java's {@code LongStream.parallel()}.
     *
     * @return the sum
     */
    @Benchmark
    public long parallelStream() {
        return LongRangeRuns.parallelStream(items(), function());
    }

    /**
     * An executor with one thread per core and tasks of 1024 items.
     *
     * @return the sum
     */
    @Benchmark
    public long executorChunked() {
        return LongRangeRuns.executorTasks(executor, items(), Workloads.CHUNK, function());
    }

    /**
     * The engine, the stage sequential (no options): the same pipeline at parallelism 1.
     *
     * @return the sum
     */
    @Benchmark
    public long engineSequential() {
        return engineSequential.run(engine).value();
    }

    /**
     * The engine, the stage with {@code StageOptions.parallel()} and nothing else: what a user writes.
     *
     * @return the sum
     */
    @Benchmark
    public long engineDefaults() {
        return engineDefaults.run(engine).value();
    }

    /**
     * The engine's defaults with profiling off ({@code ReactorEngine.withProfiling(false)}): against
     * {@link #engineDefaults()}, the cost of the profile that is on by default. (Meters read the run's
     * own counters when scraped, so they add nothing per item.)
     *
     * @return the same value as the defaults
     */
    @Benchmark
    public long engineDefaultsUnprofiled() {
        return engineDefaults.run(unprofiledEngine).value();
    }

    /**
     * The engine with explicit options, {@link Workloads#explicitOptions()}.
     *
     * @return the sum
     */
    @Benchmark
    public long engineExplicit() {
        return engineExplicit.run(engine).value();
    }
}
