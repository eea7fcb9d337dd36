package io.github.pipeline.runtime;

import io.github.pipeline.api.PipelineExecutionException;

/**
 * A stage failure travelling down the rails as a value. On rails, a failing user function does not
 * signal {@code onError}: its failure flows on like an item, untouched by later stages of the segment,
 * and becomes an error signal once the rails are merged ({@link #rethrow}). Errors from upstream enter
 * the rails the same way ({@link #of}).
 *
 * <p>Why: with reactor-core 3.8.8, {@code ParallelFlux.ordered(...)} can hang forever when one rail
 * signals an error while the others are still running (reproduced in a few runs out of a hundred;
 * {@code sequential()} is not affected). Carrying the failure as a value also makes an ordered stage
 * report its failure in source order, and gives the error policies one place to route failures.
 */
record RailFailure(RuntimeException error) {

    /** After the merge: turns a carried failure back into an error signal, passes items through. */
    static Object rethrow(Object item) {
        if (item instanceof RailFailure failure) {
            throw failure.error;
        }
        return item;
    }

    /**
     * Before the split: an error from upstream (the source, an earlier stage) enters the rails as one
     * value, after the items before it, instead of reaching every rail as an error signal (which an
     * ordered merge reports once per rail, in a composite exception).
     */
    static RailFailure of(String pipeline, Throwable upstreamError) {
        if (upstreamError instanceof RuntimeException runtime) {
            return new RailFailure(runtime);
        }
        return new RailFailure(new PipelineExecutionException(pipeline,
                "Pipeline '" + pipeline + "' failed: " + upstreamError, upstreamError));
    }
}
