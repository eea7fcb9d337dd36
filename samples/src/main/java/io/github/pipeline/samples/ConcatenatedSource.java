package io.github.pipeline.samples;

import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.SourcePosition;
import io.github.pipeline.io.FileSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The records of several file sources, one source after another: what {@code wordcount --input a
 * --input b} reads. Opening it opens every source's reader (which lists its files and adds up their
 * sizes, but opens no file before it is read), so the progress knows the bytes of all of them from the
 * start. All the sources must share one malformed-record policy, which this source passes on.
 *
 * @param <T> the type of the records
 */
final class ConcatenatedSource<T> implements PullSource<T> {

    private final List<FileSource<T>> sources;

    ConcatenatedSource(List<FileSource<T>> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no sources to read");
        }
        this.sources = List.copyOf(sources);
    }

    @Override
    public PositionedReader<T> open() throws Exception {
        List<PositionedReader<T>> readers = new ArrayList<>(sources.size());
        try {
            for (FileSource<T> source : sources) {
                readers.add(source.open());
            }
        } catch (Exception e) {
            for (PositionedReader<T> reader : readers) {
                try {
                    reader.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        return new Reader<>(readers);
    }

    @Override
    public Optional<ErrorPolicy> malformedRecordPolicy() {
        return sources.get(0).malformedRecordPolicy();
    }

    /** As its files' sources answer: reading one after another waits only where one of them may. */
    @Override
    public boolean readsWithoutWaiting() {
        return sources.stream().allMatch(FileSource::readsWithoutWaiting);
    }

    @Override
    public String description() {
        return sources.stream().map(FileSource::description).collect(Collectors.joining(", then "));
    }

    @Override
    public String toString() {
        return description();
    }

    /** Reads the readers in turn, adding up their bytes. */
    @SuppressWarnings("try") // as PositionedReader: close() may throw any Exception
    private static final class Reader<T> implements PositionedReader<T> {
        private final List<PositionedReader<T>> readers;
        private final long bytesTotal;
        private volatile int current;

        Reader(List<PositionedReader<T>> readers) {
            this.readers = readers;
            long total = 0;
            for (PositionedReader<T> reader : readers) {
                total += reader.bytesTotal().orElse(0);
            }
            this.bytesTotal = total;
        }

        @Override
        public T next() throws Exception {
            while (current < readers.size()) {
                T item = readers.get(current).next();
                if (item != null) {
                    return item;
                }
                current++;
            }
            return null;
        }

        @Override
        public SourcePosition position() {
            return readers.get(Math.min(current, readers.size() - 1)).position();
        }

        @Override
        public long bytesRead() {
            long read = 0;
            for (PositionedReader<T> reader : readers) {
                read += reader.bytesRead();
            }
            return read;
        }

        @Override
        public OptionalLong bytesTotal() {
            return OptionalLong.of(bytesTotal);
        }

        @Override
        public void close() throws Exception {
            Exception failure = null;
            for (PositionedReader<T> reader : readers) {
                try {
                    reader.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
