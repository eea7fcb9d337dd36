package io.github.pipeline.runtime;

import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageOptions;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.ParallelFlux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * A stage that turns one item into at most one item (map, filter, peek). Without retries the function
 * runs in a {@code map} on the flux or on each rail; with retries each item becomes a {@code Mono}
 * that retries on a timer (never sleeping on a rail) while the rail keeps the item's place.
 *
 * <p>Whatever the function throws, even an {@link Error}, is caught here. Once any retries are used
 * up, the stage's error policy decides: the item is skipped or dead-lettered (and accounted for), or
 * the failure becomes a {@link StageFailedException} naming the stage and the item: on a flux an error
 * signal, on a rail a {@link RailFailure} value. A failure is never swallowed by a rail's thread.
 */
abstract class ItemStage implements StageTranslator {

    /** Returned by {@link #apply} when the item is filtered out. */
    static final Object DROPPED = new Object();
    /** An item whose failure the error policy accounted for (skipped or dead-lettered). */
    private static final Object GONE = new Object();

    final StageCounters counters;
    private final boolean dropsItems;
    private final ItemFailureHandler failures;
    private final FirstFailure firstFailure;
    private final Retry retry;
    private final CallTimeout timeout;
    private final int prefetch;

    ItemStage(StageCounters counters, boolean filters, StageOptions options, ItemFailureHandler failures,
              Scheduler timer, FirstFailure firstFailure) {
        this.counters = counters;
        this.failures = failures;
        this.firstFailure = firstFailure;
        this.dropsItems = filters || failures.dropsFailures();
        this.retry = RetrySpecs.of(options.errorPolicy(), counters, timer);
        this.timeout = CallTimeout.of(options, timer);
        this.prefetch = options.prefetch();
    }

    /**
     * Runs the user function on one item.
     *
     * @return the output, or {@link #DROPPED}
     * @throws Throwable whatever the user function throws
     */
    abstract Object apply(Object item) throws Throwable;

    @Override
    public final Flux<Object> onFlux(Flux<Object> in) {
        Flux<Object> out = retry == null ? in.map(this::run) : in.concatMap(this::runWithRetries, 1);
        return dropsItems ? out.filter(ItemStage::kept) : out;
    }

    @Override
    public final ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed) {
        ParallelFlux<Object> out;
        if (retry == null) {
            out = indexed ? in.map(this::onRailIndexed) : in.map(this::onRail);
        } else {
            out = in.flatMap(indexed ? this::retryOnRailIndexed : this::retryOnRail, false, 1, prefetch);
        }
        // on rails a failure after the run's first is attached to it and dropped, so always filter
        return out.filter(ItemStage::kept);
    }

    /** Whether the stage may leave an item without an output: a filter, or a policy that skips or dead-letters. */
    boolean dropsItems() {
        return dropsItems;
    }

    /** Whether the stage can run inside a chunk: one call per item, no retries on a timer. */
    boolean runsInChunks() {
        return retry == null;
    }

    static boolean kept(Object out) {
        return out != DROPPED && out != GONE;
    }

    /** Runs the function once and accounts for the outcome; throws if the policy fails the run. */
    private Object run(Object item) {
        counters.received.increment();
        Object out;
        try {
            out = applyChecked(item);
        } catch (Throwable e) {
            failures.handle(item, e, 1);
            return GONE;
        }
        return account(out);
    }

    /**
     * Runs the function once on a rail inside a chunk. Answers the output, {@link #DROPPED}, an internal
     * marker of an item gone to the error policy (see {@link #kept}) or a {@link RailFailure}; never
     * throws. The item must not be a {@code RailFailure}. An item whose call fails is counted as received
     * here, before its policy counts it (so a stage never shows more items skipped than received); any
     * other item is left for the caller to count with its chunk ({@link #count}). The call is measured
     * when {@code measured}, the chunk's countdown of this stage's probe ({@link StageProbe#countdown()}),
     * says so.
     */
    Object attemptInChunk(Object item, StageProbe.Countdown measured) {
        try {
            try {
                return applyChecked(item, measured);
            } catch (Throwable e) {
                counters.received.increment();
                failures.handle(item, e, 1);
                return GONE;
            }
        } catch (StageFailedException e) {
            return onRailFailure(e);
        }
    }

    /** A countdown of this stage's probe, for one chunk's calls. */
    StageProbe.Countdown countdown() {
        return counters.probe.countdown();
    }

    /**
     * Adds what {@link #attemptInChunk} left uncounted: {@code received} items went in, {@code processed}
     * came out, {@code filtered} were dropped by the function.
     */
    void count(int received, int processed, int filtered) {
        if (received > 0) {
            counters.received.add(received);
        }
        if (processed > 0) {
            counters.processed.add(processed);
        }
        if (filtered > 0) {
            counters.filtered.add(filtered);
        }
    }

    /** Runs the function with retries; emits the output, or fails if the policy fails the run. */
    private Mono<Object> runWithRetries(Object item) {
        counters.received.increment();
        AtomicInteger attempts = new AtomicInteger();
        return Mono.fromCallable(() -> {
                    attempts.incrementAndGet();
                    return FunctionError.call(() -> applyChecked(item));
                })
                .retryWhen(retry)
                .map(this::account)
                .onErrorResume(e -> {
                    failures.handle(item, FunctionError.unwrap(e), attempts.get());
                    return Mono.just(GONE);
                });
    }

    private Object applyChecked(Object item) throws Throwable {
        return applyChecked(item, null);
    }

    /** Runs the function, measured when {@code measured} says so, or by the probe's own draw when it is null. */
    private Object applyChecked(Object item, StageProbe.Countdown measured) throws Throwable {
        Object out = timeout == null ? applyMeasured(item, measured) : timeout.call(() -> applyMeasured(item, measured));
        if (out == null) {
            throw new NullPointerException("the " + counters.kind + " function returned null");
        }
        return out;
    }

    /** Runs the function, measuring the call when the stage's probe samples it. */
    private Object applyMeasured(Object item, StageProbe.Countdown measured) throws Throwable {
        StageProbe.Sample sample = measured == null ? counters.probe.start() : measured.start();
        if (sample == null) {
            return apply(item);
        }
        return applySampled(item, sample);
    }

    /**
     * A measured call, apart from the unmeasured path so that the compiled loop around a cheap function
     * stays small (the measured path is taken once in a thousand calls or less).
     */
    private Object applySampled(Object item, StageProbe.Sample sample) throws Throwable {
        try {
            return apply(item);
        } finally {
            counters.probe.stop(sample);
        }
    }

    private Object account(Object out) {
        if (out == DROPPED) {
            counters.filtered.increment();
        } else {
            counters.processed.increment(); // one item out per item processed: emitted is derived from it
        }
        return out;
    }

    /**
     * Runs the stage on one item on a rail: returns the output, {@link #DROPPED} or an internal marker
     * of an item gone to the error policy (see {@link #kept}), or a {@link RailFailure} (a failure
     * flows on as a value; see there for why), which passes through unchanged.
     */
    Object onRail(Object item) {
        if (item instanceof RailFailure) {
            return item;
        }
        try {
            return run(item);
        } catch (StageFailedException e) {
            return onRailFailure(e);
        }
    }

    /** The run's first failure flows on to end it; a later one is attached to the first. */
    private Object onRailFailure(StageFailedException e) {
        StageFailedException first = firstFailure.record(e);
        return first == null ? GONE : new RailFailure(first);
    }

    private Object onRailIndexed(Object tagged) {
        Indexed in = (Indexed) tagged;
        Object out = onRail(in.value());
        return kept(out) ? in.withValue(out) : out;
    }

    private Mono<Object> retryOnRail(Object item) {
        if (item instanceof RailFailure) {
            return Mono.just(item);
        }
        return runWithRetries(item).onErrorResume(StageFailedException.class, e -> Mono.just(onRailFailure(e)));
    }

    private Mono<Object> retryOnRailIndexed(Object tagged) {
        Indexed in = (Indexed) tagged;
        return retryOnRail(in.value()).map(out -> kept(out) ? in.withValue(out) : out);
    }

    /** Carries an {@link Error} thrown by the function through Reactor, which would rethrow it. */
    static final class FunctionError extends RuntimeException {
        FunctionError(Throwable error) {
            super(error);
        }

        /** Makes a call for Reactor's {@code fromCallable}: exceptions pass as they are, an Error is carried. */
        static Object call(CallTimeout.Call call) throws Exception {
            try {
                return call.call();
            } catch (Exception e) {
                throw e;
            } catch (Throwable e) {
                throw new FunctionError(e);
            }
        }

        static Throwable unwrap(Throwable e) {
            return e instanceof FunctionError && e.getCause() != null ? e.getCause() : e;
        }
    }
}
