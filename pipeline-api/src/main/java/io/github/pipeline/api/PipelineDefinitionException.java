package io.github.pipeline.api;

/**
 * A pipeline was defined wrongly: a missing, malformed or duplicate name, or options that do not fit
 * together. Thrown while the pipeline is built, before anything runs.
 */
public class PipelineDefinitionException extends PipelineException {

    /**
     * Creates a definition exception.
     *
     * @param message what is wrong with the definition, naming the offending value
     */
    public PipelineDefinitionException(String message) {
        super(message);
    }
}
