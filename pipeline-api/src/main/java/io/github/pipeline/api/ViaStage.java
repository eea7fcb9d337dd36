package io.github.pipeline.api;

import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;

/**
 * The escape hatch: hands the stream of items, as a {@link Publisher}, to a function that returns
 * the stream of outputs. Use it for operators the DSL lacks (a Reactor {@code Flux} is a
 * {@code Publisher}). Runs sequentially; the engine counts its items in and out but cannot see
 * inside it. See {@link PipelineBuilder#via}.
 *
 * @param name      the stage's name
 * @param transform the function from the input publisher to the output publisher
 * @param options   how the stage runs (sequential)
 * @param <I>       the type of the items in
 * @param <O>       the type of the items out
 */
public record ViaStage<I, O>(String name,
                             Function<? super Publisher<I>, ? extends Publisher<? extends O>> transform,
                             StageOptions options) implements Stage {

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name      the stage's name
     * @param transform the function
     * @param options   how the stage runs
     */
    public ViaStage {
        Names.check("Stage", name);
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
        return "via";
    }

    @Override
    public boolean canRunInParallel() {
        return false;
    }
}
