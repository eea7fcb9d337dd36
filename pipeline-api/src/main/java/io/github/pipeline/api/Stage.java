package io.github.pipeline.api;

/**
 * One named step of a pipeline: what it does to the items ({@link #kind()}) and how it runs
 * ({@link #options()}). Stages are immutable descriptions made by {@link PipelineBuilder}; engines read
 * them to run the pipeline. The permitted kinds are the records that implement this interface.
 */
public sealed interface Stage permits MapStage, FilterStage, FlatMapStage, BatchStage, PeekStage, ViaStage,
        AggregateStage, ProcessStage {

    /**
     * Returns the stage's name, unique in its pipeline: the key in the graph, in metrics and in errors.
     *
     * @return the name
     */
    String name();

    /**
     * Returns how the stage runs.
     *
     * @return the options
     */
    StageOptions options();

    /**
     * Returns the stage's kind as a word: {@code map}, {@code filter}, {@code flatMap}, {@code batch},
     * {@code peek}, {@code via}, {@code aggregate} or {@code process}.
     *
     * @return the kind
     */
    String kind();

    /**
     * Returns whether the stage can run on parallel rails; those that cannot (batch, via, aggregate) must
     * be sequential (a process stage runs concurrently on its worker processes instead).
     *
     * @return {@code true} for map, filter, flatMap and peek
     */
    default boolean canRunInParallel() {
        return true;
    }

    /**
     * Describes how the stage runs in one line, as {@link Pipeline#describe()} prints it after the
     * stage's kind and name.
     *
     * @return by default the {@linkplain StageOptions#describe() options}
     */
    default String describe() {
        return options().describe();
    }
}
