package io.github.pipeline.api;

import java.util.Objects;
import java.util.function.Function;

/**
 * Applies a function to each item and emits its result, one for one. See {@link PipelineBuilder#map}.
 *
 * @param name     the stage's name
 * @param function the function; it must not return {@code null}
 * @param options  how the stage runs
 * @param <I>      the type of the items in
 * @param <O>      the type of the items out
 */
public record MapStage<I, O>(String name, Function<? super I, ? extends O> function, StageOptions options)
        implements Stage {

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name     the stage's name
     * @param function the function
     * @param options  how the stage runs
     */
    public MapStage {
        Names.check("Stage", name);
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
        return "map";
    }
}
