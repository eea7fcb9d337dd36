package io.github.pipeline.benchmarks;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;
import java.util.stream.LongStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One job written every way the benchmarks compare: apply {@code f} to the longs 1 to {@code n} and
 * sum the results (wrapping on overflow). Every way returns the same sum.
 *
 * <p>Each benchmark passes a constant function, and JMH runs each benchmark method in a JVM of its
 * own, so every call site here sees one function and the JIT inlines it as if it were written inline.
 */
final class LongRangeRuns {

    private LongRangeRuns() {
    }

    /** A {@code for} loop on the calling thread: the baseline. */
    static long plainLoop(int n, LongUnaryOperator f) {
        long sum = 0;
        for (long x = 1; x <= n; x++) {
            sum += f.applyAsLong(x);
        }
        return sum;
    }

    /** {@code LongStream.parallel()} on the common fork-join pool (or the pool the caller runs in). */
    static long parallelStream(int n, LongUnaryOperator f) {
        return LongStream.rangeClosed(1, n).parallel().map(f).sum();
    }

    /**
     * Tasks of {@code chunk} consecutive items on {@code executor}, each summing its own; the caller
     * adds the partial sums. {@code chunk == 1} is one task per item.
     */
    static long executorTasks(ExecutorService executor, int n, int chunk, LongUnaryOperator f) {
        List<Future<Long>> parts = new ArrayList<>(n / chunk + 1);
        for (long first = 1; first <= n; first += chunk) {
            long from = first;
            long to = Math.min(n, first + chunk - 1);
            parts.add(executor.submit(() -> {
                long sum = 0;
                for (long x = from; x <= to; x++) {
                    sum += f.applyAsLong(x);
                }
                return sum;
            }));
        }
        long sum = 0;
        try {
            for (Future<Long> part : parts) {
                sum += part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the executor's tasks", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an executor task failed", e.getCause());
        }
        return sum;
    }

    /**
     * One task per item on {@code executor}, at most {@code atOnce} submitted and not yet finished
     * (a semaphore the caller takes before each submit and each task gives back), for executors that
     * bound nothing themselves, such as a virtual thread per task.
     */
    static long executorTasksAtMost(ExecutorService executor, int n, int atOnce, LongUnaryOperator f) {
        Semaphore slots = new Semaphore(atOnce);
        LongAdder sum = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            for (long x = 1; x <= n; x++) {
                slots.acquire();
                long item = x;
                executor.execute(() -> {
                    try {
                        sum.add(f.applyAsLong(item));
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
            slots.acquire(atOnce);
            slots.release(atOnce);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the executor's tasks", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an executor task failed", failure.get());
        }
        return sum.sum();
    }

    /** {@code Flux.map} on the subscribing thread, no hand-off at all. */
    static long reactorSequential(int n, LongUnaryOperator f) {
        return Flux.range(1, n)
                .map(x -> f.applyAsLong(x))
                .reduce(0L, Long::sum)
                .block();
    }

    /** {@code parallel(rails).runOn(scheduler)}: each item is handed to a rail on its own. */
    static long reactorRailsPerItem(int n, LongUnaryOperator f, int rails, Scheduler scheduler) {
        return Flux.range(1, n)
                .parallel(rails)
                .runOn(scheduler)
                .map(x -> f.applyAsLong(x))
                .sequential()
                .reduce(0L, Long::sum)
                .block();
    }

    /**
     * Per-item rails laid out on threads as the engine lays out a pipeline today: the source read on a
     * thread of its own ({@code subscribeOn(source, true)}), {@code parallel(rails, prefetch)
     * .runOn(scheduler, prefetch)}, {@code sequential(prefetch)}, then {@code publishOn(sink, prefetch)}
     * to a sink thread. Against {@link #reactorRailsPerItem}, it shows what the extra hand-offs cost,
     * apart from the engine's own bookkeeping.
     */
    static long reactorRailsEngineLayout(int n, LongUnaryOperator f, int rails, Scheduler scheduler,
                                         Scheduler source, Scheduler sink, int prefetch) {
        return Flux.range(1, n)
                .subscribeOn(source, true)
                .parallel(rails, prefetch)
                .runOn(scheduler, prefetch)
                .map(x -> f.applyAsLong(x))
                .sequential(prefetch)
                .publishOn(sink, prefetch)
                .reduce(0L, Long::sum)
                .block();
    }

    /**
     * {@code buffer(chunk)} then rails: each rail maps a whole chunk, and the results flow on one by one
     * to the sum, as they would to a pipeline's sink. What the engine's chunking should match.
     */
    static long reactorRailsChunked(int n, LongUnaryOperator f, int rails, Scheduler scheduler, int chunk) {
        return Flux.range(1, n)
                .buffer(chunk)
                .parallel(rails)
                .runOn(scheduler)
                .map(items -> {
                    List<Long> results = new ArrayList<>(items.size());
                    for (Integer x : items) {
                        results.add(f.applyAsLong(x));
                    }
                    return results;
                })
                .sequential()
                .flatMapIterable(results -> results)
                .reduce(0L, Long::sum)
                .block();
    }

    /**
     * {@code buffer(chunk)} then rails, each rail summing its whole chunk, so only one sum per chunk
     * crosses back: the floor for this job, which a pipeline whose sink takes items one at a time cannot
     * reach (the sum would have to be split across the rails).
     */
    static long reactorRailsChunkSums(int n, LongUnaryOperator f, int rails, Scheduler scheduler, int chunk) {
        return Flux.range(1, n)
                .buffer(chunk)
                .parallel(rails)
                .runOn(scheduler)
                .map(items -> {
                    long sum = 0;
                    for (Integer x : items) {
                        sum += f.applyAsLong(x);
                    }
                    return sum;
                })
                .sequential()
                .reduce(0L, Long::sum)
                .block();
    }

    /** {@code flatMap} over one {@code Mono.fromCallable(...).subscribeOn(scheduler)} per item. */
    static long reactorFlatMap(int n, LongUnaryOperator f, int concurrency, Scheduler scheduler) {
        return Flux.range(1, n)
                .flatMap(x -> Mono.fromCallable(() -> f.applyAsLong(x)).subscribeOn(scheduler), concurrency)
                .reduce(0L, Long::sum)
                .block();
    }

    /** The same job as a pipeline: {@code range -> map "f" (options) -> reduce(sum)}. */
    static Pipeline<Long> pipeline(String name, int n, LongUnaryOperator f, StageOptions options) {
        return Pipeline.named(name)
                .from(Source.range(1, n + 1L))
                .map("f", x -> f.applyAsLong(x), options)
                .to(Sink.reduce(0L, Long::sum));
    }
}
