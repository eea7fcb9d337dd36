package io.github.pipeline.runtime;

import io.github.pipeline.api.ProcessStage;
import io.github.pipeline.api.ProcessWorkerException;
import io.github.pipeline.api.ProcessWorkers;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.ParallelFlux;
import reactor.util.retry.Retry;

/**
 * Translates a {@link ProcessStage}: each item becomes a request to the run's {@link WorkerPool} for the
 * stage, at most {@code workers x inFlightPerWorker} at once ({@code flatMap}, or {@code flatMapSequential}
 * when ordered, with that concurrency: demand reaches the source only as answers come back).
 *
 * <p>The pool is made when the stage is subscribed and owned by the run (closed when the run shuts
 * down, however it ends). When the input completes and every answer is out, the stage completes only
 * once every worker has exited; when the run fails or is cancelled, the workers are stopped the same way
 * (input closed, then killed after the stop timeout) without holding the run's end back.
 *
 * <p>A failing item (a worker's death or malformed answer, a timeout, the codec's exception) goes to
 * the stage's error policy, after its retries, as for a map stage; an unusable pool fails the run.
 */
final class StageProcess implements StageTranslator {

    /** An item whose failure the error policy accounted for (skipped or dead-lettered). */
    private static final Object GONE = new Object();

    private final String pipeline;
    private final ProcessStage<?, ?> stage;
    private final StageCounters counters;
    private final ItemFailureHandler failures;
    private final RunResources resources;
    private final Retry retry;

    StageProcess(String pipeline, ProcessStage<?, ?> stage, StageCounters counters, ItemFailureHandler failures,
                 RunResources resources) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.counters = counters;
        this.failures = failures;
        this.resources = resources;
        this.retry = RetrySpecs.of(stage.options().errorPolicy(), counters, resources.timer());
    }

    @Override
    public Flux<Object> onFlux(Flux<Object> in) {
        ProcessWorkers workers = stage.workers();
        int concurrency = workers.workers() * workers.inFlightPerWorker();
        return Flux.usingWhen(Mono.fromCallable(this::newPool),
                pool -> {
                    Function<Object, Mono<Object>> call = item -> process(pool, item);
                    Flux<Object> out = stage.options().ordered()
                            ? in.flatMapSequential(call, concurrency, 1)
                            : in.flatMap(call, concurrency, 1);
                    return out.filter(item -> item != GONE);
                },
                WorkerPool::stop,
                (pool, error) -> pool.stopWithoutWaiting(),
                WorkerPool::stopWithoutWaiting);
    }

    private WorkerPool newPool() {
        WorkerPool pool = new WorkerPool(pipeline, stage.name(), stage.workers(), stage.codec(),
                stage.options().timeout().orElse(null), resources, counters);
        resources.closeAtShutdown(pool);
        pool.startEagerly();
        return pool;
    }

    private Mono<Object> process(WorkerPool pool, Object item) {
        counters.received.increment();
        AtomicInteger attempts = new AtomicInteger();
        Mono<Object> call = Mono.defer(() -> {
            attempts.incrementAndGet();
            return pool.submit(item);
        });
        if (retry != null) {
            call = call.retryWhen(retry);
        }
        return call.map(out -> {
                    counters.processed.increment();
                    return out;
                })
                .onErrorResume(e -> {
                    Throwable cause = ItemStage.FunctionError.unwrap(e);
                    if (cause instanceof ProcessWorkerException failure
                            && failure.reason() == ProcessWorkerException.Reason.UNUSABLE) {
                        return Mono.error(StageFailures.of(pipeline, stage.name(), item, cause));
                    }
                    failures.handle(item, cause, attempts.get());
                    return Mono.just(GONE);
                });
    }

    @Override
    public ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed) {
        throw new UnsupportedOperationException("a process stage runs on its worker processes, not on rails");
    }
}
