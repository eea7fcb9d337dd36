package io.github.pipeline.api;

/**
 * The first step of the DSL: a named pipeline waiting for its source. Made by {@link Pipeline#named}.
 */
public final class PipelineStart {

    private final String name;

    PipelineStart(String name) {
        this.name = Names.check("Pipeline", name);
    }

    /**
     * Sets the pipeline's source.
     *
     * @param source where the items come from
     * @param <T>    the type of the items
     * @return a builder for the stages
     */
    public <T> PipelineBuilder<T> from(Source<T> source) {
        return PipelineBuilder.start(name, source);
    }
}
