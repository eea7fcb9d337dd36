package io.github.pipeline.runtime;

import io.github.pipeline.api.FlatMapStage;
import io.github.pipeline.api.StageFailedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.ParallelFlux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Translates a {@link FlatMapStage}: each item becomes the items of an iterable, a stream or a
 * publisher, read one item's outputs at a time so that they stay together and in order (per rail on
 * rails). An item counts as processed when its outputs have all been emitted.
 *
 * <p>The error policy covers the function call and the reading of its outputs. Retries repeat the
 * function call only: a failure while reading the outputs, after some may have been emitted, goes
 * straight to the action after retries, so no output is ever emitted twice. A timeout, likewise, times
 * the function call, not the reading of its outputs.
 */
final class StageFlatMap implements StageTranslator {

    private final Function<Object, Object> function;
    private final FlatMapStage.FanOut fanOut;
    private final int prefetch;
    private final StageCounters counters;
    private final ItemFailureHandler failures;
    private final FirstFailure firstFailure;
    private final Retry retry;
    private final CallTimeout timeout;

    @SuppressWarnings("unchecked")
    StageFlatMap(FlatMapStage<?> stage, StageCounters counters, ItemFailureHandler failures, Scheduler timer,
                 FirstFailure firstFailure) {
        this.function = (Function<Object, Object>) stage.function();
        this.fanOut = stage.fanOut();
        this.prefetch = stage.options().prefetch();
        this.counters = counters;
        this.failures = failures;
        this.firstFailure = firstFailure;
        this.retry = RetrySpecs.of(stage.options().errorPolicy(), counters, timer);
        this.timeout = CallTimeout.of(stage.options(), timer);
    }

    @Override
    public Flux<Object> onFlux(Flux<Object> in) {
        return in.concatMap(this::expand, prefetch);
    }

    @Override
    public ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed) {
        Function<Object, Publisher<Object>> mapper = indexed ? this::expandOnRailIndexed : this::expandOnRail;
        return in.flatMap(mapper, false, 1, prefetch);
    }

    /** On a rail a failure flows on as a {@link RailFailure} value, after the outputs before it. */
    private Flux<Object> expandOnRail(Object item) {
        if (item instanceof RailFailure) {
            return Flux.just(item);
        }
        return expand(item).onErrorResume(StageFailedException.class, e -> {
            StageFailedException first = firstFailure.record(e);
            return first == null ? Flux.empty() : Flux.just(new RailFailure(first));
        });
    }

    private Flux<Object> expandOnRailIndexed(Object tagged) {
        Indexed in = (Indexed) tagged;
        return expandOnRail(in.value()).map(in::withValue);
    }

    private Flux<Object> expand(Object item) {
        counters.received.increment();
        AtomicInteger attempts = new AtomicInteger();
        Mono<Object> call = Mono.fromCallable(() -> {
            attempts.incrementAndGet();
            return ItemStage.FunctionError.call(() -> {
                Object result = timeout == null ? applyMeasured(item) : timeout.call(() -> applyMeasured(item));
                if (result == null) {
                    throw new NullPointerException("the flatMap function returned null");
                }
                return result;
            });
        });
        if (retry != null) {
            call = call.retryWhen(retry);
        }
        return call.flatMapMany(this::outputs)
                .doOnNext(out -> counters.emitted.increment())
                .doOnComplete(counters.processed::increment)
                .onErrorResume(e -> {
                    failures.handle(item, ItemStage.FunctionError.unwrap(e), attempts.get());
                    return Flux.empty();
                });
    }

    /** Calls the function, measuring the call (not the reading of its outputs) when the probe samples it. */
    private Object applyMeasured(Object item) {
        StageProbe.Sample sample = counters.probe.start();
        try {
            return function.apply(item);
        } finally {
            counters.probe.stop(sample);
        }
    }

    @SuppressWarnings("unchecked")
    private Flux<Object> outputs(Object result) {
        return switch (fanOut) {
            case ITERABLE -> Flux.fromIterable((Iterable<Object>) result);
            case STREAM -> Flux.fromStream((Stream<Object>) result);
            case PUBLISHER -> Flux.from((Publisher<Object>) result);
        };
    }
}
