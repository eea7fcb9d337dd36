package io.github.pipeline.api;

import java.time.Duration;

/**
 * The run did not finish within the time set by {@link Pipeline#withTimeout(Duration)}; it was
 * stopped as a cancellation would stop it.
 */
public class PipelineTimeoutException extends PipelineExecutionException {

    private final Duration timeout;

    /**
     * Creates the exception.
     *
     * @param pipeline the pipeline's name
     * @param timeout  the time it was given
     */
    public PipelineTimeoutException(String pipeline, Duration timeout) {
        super(pipeline, "Pipeline '" + pipeline + "' did not finish within " + timeout + " and was stopped", null);
        this.timeout = timeout;
    }

    /**
     * Returns the time the run was given.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }
}
