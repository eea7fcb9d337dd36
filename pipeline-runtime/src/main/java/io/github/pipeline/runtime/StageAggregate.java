package io.github.pipeline.runtime;

import io.github.pipeline.api.AggregateStage;
import io.github.pipeline.api.KeyedResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.ParallelFlux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Translates an {@link AggregateStage}: folds the items by key on a thread of the stage's own
 * ({@code pipeline-<p>-<stage>}), since spilling writes files and must never run on a CPU rail; when
 * the input completes, merges the spilled runs there too and emits one {@link KeyedResult} per key, in
 * key order, as downstream asks. See {@link KeyedAggregation} for memory and files.
 *
 * <p>A failing key function or {@code add} goes to the stage's error policy; a failure to spill or
 * merge, or in the aggregator's {@code merge} or {@code finish}, fails the run naming the stage. The
 * spill files are deleted when the stage ends, and again (for a run that is cancelled from a CPU rail,
 * where no file is touched) when the run shuts down.
 */
final class StageAggregate implements StageTranslator {

    private static final Logger LOG = Loggers.getLogger(StageAggregate.class);

    private final String pipeline;
    private final AggregateStage<?, ?, ?> stage;
    private final StageCounters counters;
    private final ItemFailureHandler failures;
    private final RunResources resources;
    private final Scheduler thread;

    StageAggregate(String pipeline, AggregateStage<?, ?, ?> stage, StageCounters counters,
                   ItemFailureHandler failures, RunResources resources) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.counters = counters;
        this.failures = failures;
        this.resources = resources;
        this.thread = resources.newScheduler(stage.name(), 1);
    }

    @Override
    public Flux<Object> onFlux(Flux<Object> in) {
        return Flux.defer(() -> {
            KeyedAggregation aggregation = new KeyedAggregation(pipeline, stage);
            resources.closeAtShutdown(aggregation);
            return in.publishOn(thread, stage.options().prefetch())
                    .doOnNext(item -> fold(aggregation, item))
                    .thenMany(results(aggregation).subscribeOn(thread, true))
                    .doFinally(signal -> release(aggregation));
        });
    }

    /** Folds one item, measured by the stage's probe like any stage's function (key and fold). */
    private void fold(KeyedAggregation aggregation, Object item) {
        counters.received.increment();
        StageProbe.Sample sample = counters.probe.start();
        try {
            foldMeasured(aggregation, item);
        } finally {
            counters.probe.stop(sample);
        }
    }

    private void foldMeasured(KeyedAggregation aggregation, Object item) {
        Object key;
        try {
            key = aggregation.keyOf(item);
        } catch (Throwable e) {
            failures.handle(item, e, 1);
            return;
        }
        try {
            aggregation.fold(key, item);
        } catch (AggregationFailure e) {
            throw StageFailures.of(pipeline, stage.name(), null, e.getCause());
        } catch (Throwable e) {
            failures.handle(item, e, 1);
            return;
        }
        counters.processed.increment();
    }

    private Flux<Object> results(KeyedAggregation aggregation) {
        return Flux.generate(aggregation::results, this::emitNext, KeyedAggregation.Results::close)
                .onErrorMap(AggregationFailure.class, e -> StageFailures.of(pipeline, stage.name(), null, e.getCause()))
                .doOnComplete(() -> logSpills(aggregation));
    }

    private KeyedAggregation.Results emitNext(KeyedAggregation.Results results, SynchronousSink<Object> sink) {
        KeyedResult<Object, Object> next = results.next();
        if (next != null) {
            counters.emitted.increment();
            sink.next(next);
        }
        if (!results.hasNext()) {
            sink.complete(); // with the last result, not at a later request: a subscriber may ask for no more
        }
        return results;
    }

    private void logSpills(KeyedAggregation aggregation) {
        SpillFiles files = aggregation.files();
        if (files.runsCreated() > 0 && LOG.isDebugEnabled()) {
            LOG.debug("aggregate stage '{}' of pipeline '{}': spilled {} runs of {} bytes in all; {} intermediate "
                            + "merges rewrote {} bytes; {} bytes written, at most {} on disk at once", stage.name(),
                    pipeline, files.runsCreated() - aggregation.intermediateMerges(), aggregation.spilledBytes(),
                    aggregation.intermediateMerges(), aggregation.mergedBytes(), files.bytesWritten(),
                    files.peakBytesOnDisk());
        }
    }

    /** Deletes the spill files now, unless on a CPU rail: then the run's shutdown does it. */
    private static void release(KeyedAggregation aggregation) {
        if (!Schedulers.isInNonBlockingThread()) {
            aggregation.close();
        }
    }

    @Override
    public ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed) {
        throw new UnsupportedOperationException("an aggregate stage runs sequentially");
    }
}
