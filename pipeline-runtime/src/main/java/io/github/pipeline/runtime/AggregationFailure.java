package io.github.pipeline.runtime;

/**
 * A failure of an aggregate stage that no single item is to blame for and no error policy can handle:
 * spilling or merging failed, a key cannot be spilled, or the aggregator's {@code merge} or
 * {@code finish} threw. It fails the run; its cause says what went wrong, naming the file or the key.
 */
final class AggregationFailure extends RuntimeException {

    AggregationFailure(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
