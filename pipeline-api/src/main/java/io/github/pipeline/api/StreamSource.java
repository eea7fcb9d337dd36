package io.github.pipeline.api;

import java.util.Iterator;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The items of a {@link Stream}, closed at the end of the run; see {@link Source#fromStream(Supplier)}. */
final class StreamSource<T> implements PullSource<T> {

    private final Supplier<? extends Stream<? extends T>> streams;
    private final String description;

    StreamSource(Supplier<? extends Stream<? extends T>> streams, String description) {
        this.streams = streams;
        this.description = description;
    }

    @Override
    public SourceReader<T> open() {
        Stream<? extends T> stream = streams.get();
        Iterator<? extends T> it = stream.iterator();
        return new SourceReader<>() {
            @Override
            public T next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }

    @Override
    public String description() {
        return description;
    }
}
