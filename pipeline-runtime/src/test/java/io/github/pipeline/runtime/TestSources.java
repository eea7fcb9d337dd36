package io.github.pipeline.runtime;

import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.SourceReader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Sources for tests that say how far they were read and whether they were closed. */
final class TestSources {

    private TestSources() {
    }

    /** An endless (or bounded) source of 0, 1, 2, ... that counts what was read and notes its closing. */
    static final class CountingSource implements PullSource<Long> {
        final AtomicLong read = new AtomicLong();
        final AtomicBoolean opened = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        private final long limit;

        CountingSource(long limit) {
            this.limit = limit;
        }

        static CountingSource endless() {
            return new CountingSource(Long.MAX_VALUE);
        }

        @Override
        public SourceReader<Long> open() {
            opened.set(true);
            return new SourceReader<>() {
                @Override
                public Long next() {
                    long n = read.get();
                    if (n >= limit) {
                        return null;
                    }
                    read.incrementAndGet();
                    return n;
                }

                @Override
                public void close() {
                    closed.set(true);
                }
            };
        }

        @Override
        public String description() {
            return "counting source";
        }
    }
}
