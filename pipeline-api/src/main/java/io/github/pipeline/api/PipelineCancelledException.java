package io.github.pipeline.api;

/**
 * The run was cancelled through {@link Execution#cancel()} before it finished.
 */
public class PipelineCancelledException extends PipelineExecutionException {

    /**
     * Creates a cancellation exception.
     *
     * @param pipeline the name of the cancelled pipeline
     */
    public PipelineCancelledException(String pipeline) {
        super(pipeline, "Pipeline '" + pipeline + "' was cancelled", null);
    }
}
