package io.github.pipeline.api;

/**
 * Stands in for the sink of a pipeline made into a publisher: its items go to each subscriber, so this
 * sink is never opened. See {@link PipelineBuilder#toPublisher()}.
 */
final class SubscriberSink<T> implements Sink<T, Void> {

    @Override
    public SinkWriter<T, Void> open() {
        throw new UnsupportedOperationException("a pipeline made into a publisher delivers to its subscribers;"
                + " subscribe to the publisher instead of running it");
    }

    @Override
    public String description() {
        return "subscriber";
    }
}
