package io.github.pipeline.api;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Emits the items for which a predicate holds and counts the others as filtered.
 * See {@link PipelineBuilder#filter}.
 *
 * @param name      the stage's name
 * @param predicate the test each item must pass
 * @param options   how the stage runs
 * @param <T>       the type of the items
 */
public record FilterStage<T>(String name, Predicate<? super T> predicate, StageOptions options) implements Stage {

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name      the stage's name
     * @param predicate the test
     * @param options   how the stage runs
     */
    public FilterStage {
        Names.check("Stage", name);
        Objects.requireNonNull(predicate, "predicate");
        Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
        return "filter";
    }
}
