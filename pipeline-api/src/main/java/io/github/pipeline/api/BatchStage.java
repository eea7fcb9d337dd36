package io.github.pipeline.api;

import java.util.Objects;

/**
 * Groups consecutive items into lists of {@code size}; the last list may be shorter. Runs
 * sequentially. See {@link PipelineBuilder#batch}.
 *
 * @param name    the stage's name
 * @param size    the largest list, at least 1
 * @param options how the stage runs (sequential)
 */
public record BatchStage(String name, int size, StageOptions options) implements Stage {

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name    the stage's name
     * @param size    the largest list
     * @param options how the stage runs
     */
    public BatchStage {
        Names.check("Stage", name);
        if (size < 1) {
            throw new IllegalArgumentException("batch size of stage '" + name + "' must be at least 1, got " + size);
        }
        Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
        return "batch";
    }

    @Override
    public boolean canRunInParallel() {
        return false;
    }
}
