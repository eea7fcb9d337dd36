package io.github.pipeline.api;

import java.util.Objects;

/**
 * A pipeline failed while it ran. The message names the pipeline; subtypes add the stage and the item.
 */
public class PipelineExecutionException extends PipelineException {

    private final String pipeline;

    /**
     * Creates an execution exception.
     *
     * @param pipeline the name of the pipeline that failed
     * @param message  what went wrong
     * @param cause    the underlying exception, may be {@code null}
     */
    public PipelineExecutionException(String pipeline, String message, Throwable cause) {
        super(message, cause);
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /**
     * Returns the name of the pipeline that failed.
     *
     * @return the pipeline's name
     */
    public String pipeline() {
        return pipeline;
    }
}
