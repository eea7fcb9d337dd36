package io.github.pipeline.api;

/**
 * The accounting of one stage: what came in and what became of it. Every item received is processed
 * (its outputs, if any, were emitted), filtered, skipped or dead-lettered, so a finished stage
 * balances: {@code received == processed + filtered + skipped + deadLettered}. Fan-out and fan-in show as the ratio of {@link #emitted()}
 * to {@link #processed()}: a flatMap emits zero or more items per item processed, a batch stage one list
 * per {@code size} items.
 *
 * @param name      the stage's name
 * @param kind      the stage's kind ({@code map}, {@code filter}, ...)
 * @param received  items that entered the stage
 * @param processed items whose outputs were all emitted
 * @param emitted   items the stage emitted
 * @param filtered     items a filter rejected
 * @param skipped      items whose function failed and that the error policy skipped
 * @param deadLettered items whose function failed and that went to the dead-letter sink
 * @param retried      calls made again after a failure (not items: one item may be retried often)
 */
public record StageStats(String name, String kind, long received, long processed, long emitted, long filtered,
                         long skipped, long deadLettered, long retried) {

    /**
     * The accounting of a stage that had no failures.
     *
     * @param name      the stage's name
     * @param kind      the stage's kind
     * @param received  items that entered the stage
     * @param processed items whose outputs were all emitted
     * @param emitted   items the stage emitted
     * @param filtered  items a filter rejected
     */
    public StageStats(String name, String kind, long received, long processed, long emitted, long filtered) {
        this(name, kind, received, processed, emitted, filtered, 0, 0, 0);
    }

    /**
     * Returns whether every item received is accounted for:
     * {@code received == processed + filtered + skipped + deadLettered}.
     * Holds for a stage of a run that completed; a running or failed run may have items in flight.
     *
     * @return {@code true} if the stage balances
     */
    public boolean isBalanced() {
        return received == processed + filtered + skipped + deadLettered;
    }

    /**
     * Returns the items received but not yet accounted for: those still in the stage.
     *
     * @return {@code received - processed - filtered - skipped - deadLettered}
     */
    public long inFlight() {
        return received - processed - filtered - skipped - deadLettered;
    }
}
