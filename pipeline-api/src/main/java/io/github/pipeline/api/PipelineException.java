package io.github.pipeline.api;

/**
 * The root of every exception this library throws. It is unchecked: a pipeline either is defined
 * wrongly ({@link PipelineDefinitionException}) or fails while it runs
 * ({@link PipelineExecutionException}).
 */
public class PipelineException extends RuntimeException {

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong
     */
    public PipelineException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the exception that caused it.
     *
     * @param message what went wrong
     * @param cause   the underlying exception, may be {@code null}
     */
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
