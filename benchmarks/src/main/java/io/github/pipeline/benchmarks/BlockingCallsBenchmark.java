package io.github.pipeline.benchmarks;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.StageOptions;
import io.github.pipeline.runtime.ReactorEngine;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
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
 * Workload (c) of issue #6: a blocking call (a {@code sleepMillis} sleep) on each of {@code items} longs,
 * with {@code concurrency} calls at once. Little's law bounds the rate at
 * {@code concurrency / sleepMillis} items per millisecond (6,400 items/s for 64 calls of 10 ms); the
 * table in docs/benchmarks.md gives each way's rate as a share of that limit.
 *
 * <p>{@link #plainLoop()} makes one call at a time (20 s per run with the defaults); the quick run
 * leaves it out. The two virtual-thread ways ({@link #engineVirtualThreads()},
 * {@link #executorVirtualThreadPerItem()}) need Java 21 or later; on an older JDK they throw
 * {@link UnsupportedOperationException}, and the quick run runs them only on a newer JDK it finds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockingCallsBenchmark {

    /** How many calls: one per long from 1 to {@code items}. */
    @Param("2000")
    public int items;

    /** How long each call blocks, in milliseconds. */
    @Param("10")
    public long sleepMillis;

    /** How many calls run at once. */
    @Param({"64", "256"})
    public int concurrency;

    private LongUnaryOperator call;
    private ReactorEngine engine;
    private ExecutorService executor;
    private ForkJoinPool forkJoinPool;
    private Scheduler sizedScheduler;
    private Pipeline<Long> engineDefaults;
    private Pipeline<Long> engineOrdered;
    /** {@code null} on a JDK without virtual threads. */
    private Pipeline<Long> engineVirtualThreads;
    /** {@code null} on a JDK without virtual threads. */
    private ExecutorService virtualThreadPerTask;

    /** Builds the pipelines, and thread pools of {@code concurrency} threads for the hand-written ways. */
    @Setup(Level.Trial)
    public void setUp() {
        long millis = sleepMillis;
        call = x -> Workloads.sleepThenEcho(x, millis);
        engine = ReactorEngine.create();
        executor = Executors.newFixedThreadPool(concurrency);
        forkJoinPool = new ForkJoinPool(concurrency);
        sizedScheduler = Schedulers.newBoundedElastic(concurrency, Integer.MAX_VALUE, "bench-blocking");
        engineDefaults = LongRangeRuns.pipeline("sleep-defaults", items, call, StageOptions.blocking(concurrency));
        engineOrdered = LongRangeRuns.pipeline("sleep-ordered", items, call,
                StageOptions.blocking(concurrency).withOrdered(true));
        if (VirtualThreads.available()) {
            engineVirtualThreads = LongRangeRuns.pipeline("sleep-virtual", items, call,
                    StageOptions.virtualThreads(concurrency));
            virtualThreadPerTask = VirtualThreads.newThreadPerTaskExecutor();
        }
    }

    /** Stops the thread pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
        forkJoinPool.shutdownNow();
        sizedScheduler.dispose();
        if (virtualThreadPerTask != null) {
            virtualThreadPerTask.shutdownNow();
        }
    }

    /**
     * One call at a time: the rate is {@code 1 / sleepMillis}, whatever the concurrency.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long plainLoop() {
        return LongRangeRuns.plainLoop(items, call);
    }

    /**
     * {@code flatMap(..., concurrency)} over {@code Mono.fromCallable(call).subscribeOn(boundedElastic())}:
     * Reactor's shared default for blocking work, capped at 10 threads per core.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long reactorFlatMapBoundedElastic() {
        return LongRangeRuns.reactorFlatMap(items, call, concurrency, Schedulers.boundedElastic());
    }

    /**
     * The same {@code flatMap} on a bounded-elastic scheduler of {@code concurrency} threads.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long reactorFlatMapSized() {
        return LongRangeRuns.reactorFlatMap(items, call, concurrency, sizedScheduler);
    }

    /**
     * Per-item rails: {@code parallel(concurrency).runOn(scheduler of concurrency threads)}.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long reactorRailsPerItem() {
        return LongRangeRuns.reactorRailsPerItem(items, call, concurrency, sizedScheduler);
    }

    /**
     * {@code LongStream.parallel()} run inside a fork-join pool of {@code concurrency} threads. The
     * stream splits its work for the common pool's size, not for this pool's, so few calls overlap.
     *
     * @return the sum of the items
     * @throws InterruptedException if interrupted while waiting for the tasks
     * @throws ExecutionException if a task failed
     */
    @Benchmark
    public long parallelStream() throws InterruptedException, ExecutionException {
        return forkJoinPool.submit(() -> LongRangeRuns.parallelStream(items, call)).get();
    }

    /**
     * An executor of {@code concurrency} threads, one task per call.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long executorPerItem() {
        return LongRangeRuns.executorTasks(executor, items, 1, call);
    }

    /**
     * An executor of {@code concurrency} threads, one task of {@code items / concurrency} calls per thread.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long executorChunked() {
        int chunk = (items + concurrency - 1) / concurrency;
        return LongRangeRuns.executorTasks(executor, items, chunk, call);
    }

    /**
     * The engine: {@code StageOptions.blocking(concurrency)}, unordered.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long engineDefaults() {
        return engineDefaults.run(engine).value();
    }

    /**
     * The engine: {@code StageOptions.blocking(concurrency).withOrdered(true)}, results in source order.
     *
     * @return the sum of the items
     */
    @Benchmark
    public long engineOrdered() {
        return engineOrdered.run(engine).value();
    }

    /**
     * The engine on virtual threads: {@code StageOptions.virtualThreads(concurrency)} (Java 21 or later).
     *
     * @return the sum of the items
     * @throws UnsupportedOperationException on a JDK without virtual threads
     */
    @Benchmark
    public long engineVirtualThreads() {
        return VirtualThreads.required(engineVirtualThreads).run(engine).value();
    }

    /**
     * A new virtual thread per call ({@code Executors.newVirtualThreadPerTaskExecutor()}), at most
     * {@code concurrency} calls submitted at once (Java 21 or later).
     *
     * @return the sum of the items
     * @throws UnsupportedOperationException on a JDK without virtual threads
     */
    @Benchmark
    public long executorVirtualThreadPerItem() {
        return LongRangeRuns.executorTasksAtMost(VirtualThreads.required(virtualThreadPerTask), items, concurrency,
                call);
    }
}
