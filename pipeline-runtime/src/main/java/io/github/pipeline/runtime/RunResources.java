package io.github.pipeline.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads a run creates for itself: one for reading the source, one for the sink, and a fixed
 * pool per blocking stage sized to its parallelism. They are named after the pipeline and the stage,
 * are daemon threads, and are shut down when the run ends; {@link #awaitTermination} waits until they
 * have stopped. CPU-bound rails use Reactor's shared {@code Schedulers.parallel()}, one thread per core,
 * which the engine deliberately never disposes.
 */
final class RunResources {

    private final String pipeline;
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();

    RunResources(String pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Creates a scheduler with {@code threads} threads of its own, named {@code pipeline-<p>-<role>}.
     */
    Scheduler newScheduler(String role, int threads) {
        String prefix = "pipeline-" + pipeline + "-" + role;
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, threads == 1 ? prefix : prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executors.add(executor);
        return Schedulers.fromExecutorService(executor, prefix);
    }

    /** Stops every thread of the run, interrupting blocking calls still under way. */
    void shutdown() {
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
        }
    }

    /** Waits, up to {@code timeout} in all, until every thread of the run has stopped. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ExecutorService executor : executors) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !executor.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }
}
