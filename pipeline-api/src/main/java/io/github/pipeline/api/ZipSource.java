package io.github.pipeline.api;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A source of pairs made of the items of two sources, the first with the first; it ends when either
 * source ends. Made by {@link Source#zip(Source, Source)}.
 *
 * @param <A> the type of the first values
 * @param <B> the type of the second values
 */
public final class ZipSource<A, B> implements Source<Pair<A, B>> {

    private final Source<? extends A> first;
    private final Source<? extends B> second;

    ZipSource(Source<? extends A> first, Source<? extends B> second) {
        this.first = Objects.requireNonNull(first, "first");
        this.second = Objects.requireNonNull(second, "second");
    }

    /**
     * Returns the source of the first values.
     *
     * @return the first source
     */
    public Source<? extends A> first() {
        return first;
    }

    /**
     * Returns the source of the second values.
     *
     * @return the second source
     */
    public Source<? extends B> second() {
        return second;
    }

    @Override
    public OptionalLong knownSize() {
        OptionalLong a = first.knownSize();
        OptionalLong b = second.knownSize();
        if (a.isPresent() && b.isPresent()) {
            return OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
        }
        return OptionalLong.empty();
    }

    @Override
    public String description() {
        return "zip(" + first.description() + ", " + second.description() + ")";
    }
}
