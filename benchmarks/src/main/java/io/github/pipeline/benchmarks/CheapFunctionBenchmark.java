package io.github.pipeline.benchmarks;

import io.github.pipeline.api.StageOptions;
import java.util.function.LongUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Workload (a) of issue #6: {@code x * x * x} over 10 million longs, summed. The function costs a few
 * nanoseconds, far less than handing an item to another thread, so this measures the cost of the
 * hand-off: per-item rails lose to the plain loop, chunks should not. Besides the ways of
 * {@link LongRangeBenchmark}: per-item rails on the engine's thread layout, and chunked rails that sum
 * on the rails.
 */
public class CheapFunctionBenchmark extends LongRangeBenchmark {

    /** How many longs to cube: 1 to {@code items}. */
    @Param("10000000")
    public int items;

    private Scheduler sourceThread;
    private Scheduler sinkThread;

    @Override
    protected LongUnaryOperator function() {
        return Workloads::cube;
    }

    @Override
    protected String name() {
        return "cube";
    }

    @Override
    protected int items() {
        return items;
    }

    /** Starts the source and sink threads of {@link #reactorRailsEngineLayout()}. */
    @Override
    protected void startWorkload() {
        sourceThread = Schedulers.newSingle("bench-source");
        sinkThread = Schedulers.newSingle("bench-sink");
    }

    /** Stops the source and sink threads. */
    @Override
    protected void stopWorkload() {
        sourceThread.dispose();
        sinkThread.dispose();
    }

    /**
     * Hand-written per-item rails on the engine's thread layout: source and sink on threads of their own.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long reactorRailsEngineLayout() {
        return LongRangeRuns.reactorRailsEngineLayout(items, function(), 2, Schedulers.parallel(), sourceThread,
                sinkThread, StageOptions.DEFAULT_PREFETCH);
    }

    /**
     * Hand-written rails over {@code buffer(1024)} chunks, each rail summing its chunk: only the partial
     * sums are handed back. Faster than any pipeline whose sink takes the items one by one can be.
     *
     * @return the sum of cubes
     */
    @Benchmark
    public long reactorRailsChunkSums() {
        return LongRangeRuns.reactorRailsChunkSums(items, function(), 2, Schedulers.parallel(), Workloads.CHUNK);
    }
}
