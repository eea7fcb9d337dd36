package io.github.pipeline.benchmarks;

import java.util.function.LongUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Workload (b) of issue #6: a CPU-heavy function, about 5 us per item ({@link Workloads#heavy}), over
 * 200,000 longs, summed. Here parallelism pays; the question is how close each way gets to 2x on
 * 2 cores, and how far the engine is from Java's parallel streams. Besides the ways of
 * {@link LongRangeBenchmark}: an executor with one task per item.
 */
public class CpuHeavyBenchmark extends LongRangeBenchmark {

    /** How many longs to hash: 1 to {@code items}. */
    @Param("200000")
    public int items;

    @Override
    protected LongUnaryOperator function() {
        return Workloads::heavy;
    }

    @Override
    protected String name() {
        return "heavy";
    }

    @Override
    protected int items() {
        return items;
    }

    /**
     * The executor with one task per item.
     *
     * @return the sum of hashes
     */
    @Benchmark
    public long executorPerItem() {
        return LongRangeRuns.executorTasks(executor(), items, 1, function());
    }
}
