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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Workload (a) of issue #6: {@code x * x * x} over 10 million longs, summed. The function costs a few
 * nanoseconds, far less than handing an item to another thread, so this measures the cost of the
 * hand-off: per-item rails lose to the plain loop, chunks should not.
 *
 * <p>Each method returns the sum, so the work cannot be dropped, and all return the same sum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 7, time = 2)
public class CheapFunctionBenchmark {

    private static final LongUnaryOperator CUBE = Workloads::cube;

    /** How many longs to cube: 1 to {@code items}. */
    @Param("10000000")
    public int items;

    private ReactorEngine engine;
    private ReactorEngine unprofiledEngine;
    private ExecutorService executor;
    private Scheduler sourceThread;
    private Scheduler sinkThread;
    private Pipeline<Long> engineSequential;
    private Pipeline<Long> engineDefaults;
    private Pipeline<Long> engineExplicit;

    /** Builds the pipelines, starts one executor thread per core and the source and sink threads. */
    @Setup(Level.Trial)
    public void setUp() {
        engine = ReactorEngine.create();
        unprofiledEngine = ReactorEngine.create().withProfiling(false);
        executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        sourceThread = Schedulers.newSingle("bench-source");
        sinkThread = Schedulers.newSingle("bench-sink");
        engineSequential = LongRangeRuns.pipeline("cube-sequential", items, CUBE, StageOptions.sequential());
        engineDefaults = LongRangeRuns.pipeline("cube-defaults", items, CUBE, StageOptions.parallel());
        engineExplicit = LongRangeRuns.pipeline("cube-explicit", items, CUBE, Workloads.explicitOptions());
    }

    /** Stops the executor's and the schedulers' threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
        sourceThread.dispose();
        sinkThread.dispose();
    }

    /**
     * The baseline: a {@code for} loop.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long plainLoop() {
        return LongRangeRuns.plainLoop(items, CUBE);
    }

    /**
     * Reactor's {@code Flux.map} on one thread, not parallel.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long reactorSequential() {
        return LongRangeRuns.reactorSequential(items, CUBE);
    }

    /**
     * Hand-written per-item rails: {@code parallel(2).runOn(Schedulers.parallel())}.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long reactorRailsPerItem() {
        return LongRangeRuns.reactorRailsPerItem(items, CUBE, 2, Schedulers.parallel());
    }

    /**
     * Hand-written per-item rails on the engine's thread layout: source and sink on threads of their own.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long reactorRailsEngineLayout() {
        return LongRangeRuns.reactorRailsEngineLayout(items, CUBE, 2, Schedulers.parallel(), sourceThread,
                sinkThread, StageOptions.DEFAULT_PREFETCH);
    }

    /**
     * Hand-written rails over {@code buffer(1024)} chunks; the results flow on one by one to the sum,
     * as they would to a pipeline's sink.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long reactorRailsChunked() {
        return LongRangeRuns.reactorRailsChunked(items, CUBE, 2, Schedulers.parallel(), Workloads.CHUNK);
    }

    /**
     * Hand-written rails over {@code buffer(1024)} chunks, each rail summing its chunk: only the partial
     * sums are handed back. Faster than any pipeline whose sink takes the items one by one can be.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long reactorRailsChunkSums() {
        return LongRangeRuns.reactorRailsChunkSums(items, CUBE, 2, Schedulers.parallel(), Workloads.CHUNK);
    }

    /**
     * Java's {@code LongStream.parallel()}.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long parallelStream() {
        return LongRangeRuns.parallelStream(items, CUBE);
    }

    /**
     * An executor with one thread per core and tasks of 1024 items.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long executorChunked() {
        return LongRangeRuns.executorTasks(executor, items, Workloads.CHUNK, CUBE);
    }

    /**
     * The engine, the stage sequential (no options): the same pipeline at parallelism 1.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long engineSequential() {
        return engineSequential.run(engine).value();
    }

    /**
     * The engine, the stage with {@code StageOptions.parallel()} and nothing else: what a user writes.
     *
     * @return the sum of cubes
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
     * @return the sum of cubes
     */
    @Benchmark
    public long engineExplicit() {
        return engineExplicit.run(engine).value();
    }
}
