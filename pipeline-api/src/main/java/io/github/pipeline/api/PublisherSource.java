package io.github.pipeline.api;

import java.util.Objects;
import org.reactivestreams.Publisher;

/**
 * A source that is a Reactive Streams {@link Publisher}, subscribed to once per run. Made by
 * {@link Source#fromPublisher(Publisher)}.
 *
 * @param <T> the type of the items
 */
public final class PublisherSource<T> implements Source<T> {

    private final Publisher<? extends T> publisher;

    PublisherSource(Publisher<? extends T> publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /**
     * Returns the publisher.
     *
     * @return the publisher of the items
     */
    public Publisher<? extends T> publisher() {
        return publisher;
    }

    @Override
    public String description() {
        return "publisher " + publisher.getClass().getSimpleName();
    }
}
