package io.github.pipeline.api;

/**
 * A collecting sink would hold more items than its maximum. The message says how to stream instead.
 */
public class SinkCapacityExceededException extends PipelineException {

    private final long maxItems;

    /**
     * Creates the exception.
     *
     * @param maxItems the sink's maximum
     */
    public SinkCapacityExceededException(long maxItems) {
        super("The list sink is full at its maximum of " + maxItems + " items. Collecting to a list is for"
                + " small results: stream instead with Sink.count(), Sink.forEach(...), Sink.fold(...) or"
                + " Sink.lines(file), or raise the maximum with Sink.toList(maxItems).");
        this.maxItems = maxItems;
    }

    /**
     * Returns the sink's maximum number of items.
     *
     * @return the maximum
     */
    public long maxItems() {
        return maxItems;
    }
}
