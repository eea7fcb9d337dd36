package io.github.pipeline.api;

/**
 * The accounting of one stage: what came in and what became of it. Every item received is either
 * processed (its outputs, if any, were emitted) or filtered, so a finished stage balances:
 * {@code received == processed + filtered}. Fan-out and fan-in show as the ratio of {@link #emitted()}
 * to {@link #processed()}: a flatMap emits zero or more items per item processed, a batch stage one list
 * per {@code size} items.
 *
 * @param name      the stage's name
 * @param kind      the stage's kind ({@code map}, {@code filter}, ...)
 * @param received  items that entered the stage
 * @param processed items whose outputs were all emitted
 * @param emitted   items the stage emitted
 * @param filtered  items a filter rejected
 */
public record StageStats(String name, String kind, long received, long processed, long emitted, long filtered) {

    /**
     * Returns whether every item received is accounted for: {@code received == processed + filtered}.
     * Holds for a stage of a run that completed; a running or failed run may have items in flight.
     *
     * @return {@code true} if the stage balances
     */
    public boolean isBalanced() {
        return received == processed + filtered;
    }

    /**
     * Returns the items received but not yet accounted for: those still in the stage.
     *
     * @return {@code received - processed - filtered}
     */
    public long inFlight() {
        return received - processed - filtered;
    }
}
