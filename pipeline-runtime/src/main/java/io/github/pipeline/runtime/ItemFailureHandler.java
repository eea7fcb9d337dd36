package io.github.pipeline.runtime;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.StageFailedException;

/**
 * Applies a stage's {@link ErrorPolicy} to an item whose function failed, once its retries are used up:
 * fails the run, or accounts for the item as skipped or dead-lettered.
 */
final class ItemFailureHandler {

    private final String pipeline;
    private final StageCounters counters;
    private final ErrorPolicy.Action action;
    private final DeadLetterChannel deadLetters;

    ItemFailureHandler(String pipeline, StageCounters counters, ErrorPolicy policy, DeadLetterChannel deadLetters) {
        this.pipeline = pipeline;
        this.counters = counters;
        this.action = policy.action();
        this.deadLetters = deadLetters;
    }

    /** Whether failing items are dropped (skipped or dead-lettered) rather than failing the run. */
    boolean dropsFailures() {
        return action != ErrorPolicy.Action.FAIL;
    }

    /**
     * Handles the failure of {@code item} after {@code attempts} calls.
     *
     * @throws StageFailedException if the policy fails the run
     */
    void handle(Object item, Throwable error, int attempts) {
        Throwable cause = error instanceof StageFailedException failure && failure.getCause() != null
                ? failure.getCause() : error;
        switch (action) {
            case SKIP -> counters.skipped.increment();
            case DEAD_LETTER -> {
                deadLetters.send(new DeadLetter(pipeline, counters.name, item, attempts, cause));
                counters.deadLettered.increment();
            }
            case FAIL -> throw StageFailures.of(pipeline, counters.name, item, error);
        }
    }
}
