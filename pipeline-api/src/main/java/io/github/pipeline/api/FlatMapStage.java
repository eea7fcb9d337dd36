package io.github.pipeline.api;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns each item into zero or more items: the function returns an {@link Iterable}, a
 * {@link java.util.stream.Stream} or a {@link org.reactivestreams.Publisher}, as {@link #fanOut()} says.
 * See {@link PipelineBuilder#flatMap}.
 *
 * @param name     the stage's name
 * @param function the function from an item to its outputs
 * @param fanOut   what the function returns
 * @param options  how the stage runs
 * @param <I>      the type of the items in
 */
public record FlatMapStage<I>(String name, Function<? super I, ?> function, FanOut fanOut, StageOptions options)
        implements Stage {

    /** What a flatMap function returns. */
    public enum FanOut {
        /** A {@link Iterable}. */
        ITERABLE,
        /** A {@link java.util.stream.Stream}, closed once read. */
        STREAM,
        /** A {@link org.reactivestreams.Publisher}, read to its end before the next item's. */
        PUBLISHER
    }

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name     the stage's name
     * @param function the function
     * @param fanOut   what the function returns
     * @param options  how the stage runs
     */
    public FlatMapStage {
        Names.check("Stage", name);
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(fanOut, "fanOut");
        Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
        return "flatMap";
    }
}
