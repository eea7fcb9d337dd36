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
import reactor.core.scheduler.Schedulers;

/**
 * Workload (b) of issue #6: a CPU-heavy function, about 5 us per item ({@link Workloads#heavy}), over
 * 200,000 longs, summed. Here parallelism pays; the question is how close each way gets to 2x on
 * 2 cores, and how far the engine is from Java's parallel streams.
 *
 * <p>Each method returns the sum, so the work cannot be dropped, and all return the same sum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 7, time = 2)
public class CpuHeavyBenchmark {

    private static final LongUnaryOperator HEAVY = Workloads::heavy;

    /** How many longs to hash: 1 to {@code items}. */
    @Param("200000")
    public int items;

    private ReactorEngine engine;
    private ReactorEngine unprofiledEngine;
    private ExecutorService executor;
    private Pipeline<Long> engineSequential;
    private Pipeline<Long> engineDefaults;
    private Pipeline<Long> engineExplicit;

    /** Builds the pipelines and starts one executor thread per core. */
    @Setup(Level.Trial)
    public void setUp() {
        engine = ReactorEngine.create();
        unprofiledEngine = ReactorEngine.create().withProfiling(false);
        executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        engineSequential = LongRangeRuns.pipeline("heavy-sequential", items, HEAVY, StageOptions.sequential());
        engineDefaults = LongRangeRuns.pipeline("heavy-defaults", items, HEAVY, StageOptions.parallel());
        engineExplicit = LongRangeRuns.pipeline("heavy-explicit", items, HEAVY, Workloads.explicitOptions());
    }

    /** Stops the executor's threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
    }

    /**
     * The baseline: a {@code for} loop.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long plainLoop() {
        return LongRangeRuns.plainLoop(items, HEAVY);
    }

    /**
     * Reactor's {@code Flux.map} on one thread, not parallel.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long reactorSequential() {
        return LongRangeRuns.reactorSequential(items, HEAVY);
    }

    /**
     * Hand-written per-item rails: {@code parallel(2).runOn(Schedulers.parallel())}.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long reactorRailsPerItem() {
        return LongRangeRuns.reactorRailsPerItem(items, HEAVY, 2, Schedulers.parallel());
    }

    /**
     * Hand-written rails over {@code buffer(1024)} chunks.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long reactorRailsChunked() {
        return LongRangeRuns.reactorRailsChunked(items, HEAVY, 2, Schedulers.parallel(), Workloads.CHUNK);
    }

    /**
     * Java's {@code LongStream.parallel()}.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long parallelStream() {
        return LongRangeRuns.parallelStream(items, HEAVY);
    }

    /**
     * An executor with one thread per core and tasks of 1024 items.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long executorChunked() {
        return LongRangeRuns.executorTasks(executor, items, Workloads.CHUNK, HEAVY);
    }

    /**
     * An executor with one thread per core and one task per item.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long executorPerItem() {
        return LongRangeRuns.executorTasks(executor, items, 1, HEAVY);
    }

    /**
     * The engine, the stage sequential (no options): the same pipeline at parallelism 1.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long engineSequential() {
        return engineSequential.run(engine).value();
    }

    /**
     * The engine, the stage with {@code StageOptions.parallel()} and nothing else: what a user writes.
     *
     * @return the sum of hashes
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
     * @return the sum of hashes
     */
    @Benchmark
    public long engineExplicit() {
        return engineExplicit.run(engine).value();
    }
}
