package io.github.pipeline.runtime;

import io.github.pipeline.api.StageFailedException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.ParallelFlux;

/**
 * A stage that turns one item into at most one item (map, filter, peek), as a {@code map} (plus a
 * {@code filter} for stages that drop items) on a flux or on each rail. Whatever the user function
 * throws, even an {@link Error}, is caught here and becomes a {@link StageFailedException} naming the
 * stage and the item: on a flux an error signal (Reactor's {@code map} turns the thrown exception into
 * one), on a rail a {@link RailFailure} value. A failure always ends the run; it is never swallowed by
 * a rail's thread.
 */
abstract class ItemStage implements StageTranslator {

    /** Returned by {@link #apply} when the item is filtered out. */
    static final Object DROPPED = new Object();

    private final String pipeline;
    final StageCounters counters;
    private final boolean drops;

    ItemStage(String pipeline, StageCounters counters, boolean drops) {
        this.pipeline = pipeline;
        this.counters = counters;
        this.drops = drops;
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
        Flux<Object> out = in.map(this::run);
        return drops ? out.filter(ItemStage::kept) : out;
    }

    @Override
    public final ParallelFlux<Object> onRails(ParallelFlux<Object> in, boolean indexed) {
        ParallelFlux<Object> out = indexed ? in.map(this::onRailIndexed) : in.map(this::onRail);
        return drops ? out.filter(ItemStage::kept) : out;
    }

    private static boolean kept(Object out) {
        return out != DROPPED;
    }

    /** On a rail a failure flows on as a {@link RailFailure} value; see there for why. */
    private Object onRail(Object item) {
        if (item instanceof RailFailure) {
            return item;
        }
        try {
            return run(item);
        } catch (StageFailedException e) {
            return new RailFailure(e);
        }
    }

    private Object onRailIndexed(Object tagged) {
        Indexed in = (Indexed) tagged;
        Object out = onRail(in.value());
        return out == DROPPED ? DROPPED : in.withValue(out);
    }

    /** Runs the function and counts the outcome; returns the output or {@link #DROPPED}. */
    private Object run(Object item) {
        counters.received.increment();
        Object out;
        try {
            out = apply(item);
        } catch (Throwable e) {
            throw StageFailures.of(pipeline, counters.name, item, e);
        }
        if (out == DROPPED) {
            counters.filtered.increment();
            return DROPPED;
        }
        if (out == null) {
            throw StageFailures.of(pipeline, counters.name, item,
                    new NullPointerException("the " + counters.kind + " function returned null"));
        }
        counters.processed.increment();
        counters.emitted.increment();
        return out;
    }
}
