package io.github.pipeline.api;

import java.util.OptionalLong;

/** The longs of a half-open range; see {@link Source#range(long, long)}. */
final class RangeSource implements PullSource<Long> {

    private final long from;
    private final long to;

    RangeSource(long from, long to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public SourceReader<Long> open() {
        long[] next = {from};
        return () -> next[0] < to ? next[0]++ : null;
    }

    @Override
    public OptionalLong knownSize() {
        return OptionalLong.of(Math.max(0, to - from));
    }

    @Override
    public boolean readsWithoutWaiting() {
        return true;
    }

    @Override
    public String description() {
        return "range [" + from + ", " + to + ")";
    }
}
