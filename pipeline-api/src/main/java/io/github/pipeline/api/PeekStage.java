package io.github.pipeline.api;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Calls an action on each item and emits the item unchanged. See {@link PipelineBuilder#peek}.
 *
 * @param name    the stage's name
 * @param action  the action
 * @param options how the stage runs
 * @param <T>     the type of the items
 */
public record PeekStage<T>(String name, Consumer<? super T> action, StageOptions options) implements Stage {

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name    the stage's name
     * @param action  the action
     * @param options how the stage runs
     */
    public PeekStage {
        Names.check("Stage", name);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
        return "peek";
    }
}
