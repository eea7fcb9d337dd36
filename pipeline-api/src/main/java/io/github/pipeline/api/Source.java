package io.github.pipeline.api;

import java.io.BufferedReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;

/**
 * Where a pipeline's items come from. A source is a description: nothing is read until a run opens
 * it, and every run opens it anew (except one-shot sources such as {@link #fromStream(Stream)}).
 *
 * <p>There are three forms. A {@link PullSource} hands out items one at a time on demand; the engine
 * reads it on a thread of its own, so it may block on I/O. A {@link PublisherSource} wraps any
 * Reactive Streams {@code Publisher}. A {@link ZipSource} pairs the items of two sources, as Python's
 * {@code zip(a, b)} does for {@code starmap}. Items are never {@code null}.
 *
 * @param <T> the type of the items
 */
public sealed interface Source<T> permits PullSource, PublisherSource, ZipSource {

    /**
     * Describes the source in a few words for {@link Pipeline#describe()}, for example
     * {@code "range [1, 7)"}.
     *
     * @return the description
     */
    String description();

    /**
     * Returns the number of items the source will produce, if it knows it before reading.
     *
     * @return the item count, or empty if unknown
     */
    default OptionalLong knownSize() {
        return OptionalLong.empty();
    }

    /**
     * The longs from {@code fromInclusive} up to, not including, {@code toExclusive}: Python's
     * {@code range(1, 7)} is {@code Source.range(1, 7)}.
     *
     * @param fromInclusive the first value
     * @param toExclusive   the value after the last one
     * @return a source of {@code toExclusive - fromInclusive} longs (none if that is not positive)
     */
    static Source<Long> range(long fromInclusive, long toExclusive) {
        return new RangeSource(fromInclusive, toExclusive);
    }

    /**
     * The given items, in order.
     *
     * @param items the items, none of them {@code null}
     * @param <T>   the type of the items
     * @return a source of the items
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is copied, never exposed
    static <T> Source<T> of(T... items) {
        return fromIterable(List.copyOf(Arrays.asList(items)));
    }

    /**
     * The items of an iterable, in its iteration order; each run iterates it again.
     *
     * @param items the items, none of them {@code null}
     * @param <T>   the type of the items
     * @return a source of the items
     */
    static <T> Source<T> fromIterable(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        return new PullSource<T>() {
            @Override
            public SourceReader<T> open() {
                Iterator<? extends T> it = items.iterator();
                return () -> it.hasNext() ? it.next() : null;
            }

            @Override
            public OptionalLong knownSize() {
                return items instanceof java.util.Collection<?> c ? OptionalLong.of(c.size()) : OptionalLong.empty();
            }

            @Override
            public String description() {
                return items instanceof java.util.Collection<?> c ? "iterable of " + c.size() + " items" : "iterable";
            }

            /** A collection's items are in memory; another iterable may wait for its next item. */
            @Override
            public boolean readsWithoutWaiting() {
                return items instanceof java.util.Collection<?>;
            }
        };
    }

    /**
     * The items of a stream made anew for each run by {@code streams}; the stream is closed when the
     * run ends, however it ends.
     *
     * @param streams makes the stream
     * @param <T>     the type of the items
     * @return a source of the stream's items
     */
    static <T> Source<T> fromStream(Supplier<? extends Stream<? extends T>> streams) {
        Objects.requireNonNull(streams, "streams");
        return new StreamSource<>(streams, "stream");
    }

    /**
     * The items of one stream, which can be read by one run only; a second run fails with a clear
     * error. The stream is closed when the run ends. Prefer {@link #fromStream(Supplier)}.
     *
     * @param stream the stream
     * @param <T>    the type of the items
     * @return a one-shot source of the stream's items
     */
    static <T> Source<T> fromStream(Stream<? extends T> stream) {
        Objects.requireNonNull(stream, "stream");
        AtomicBoolean used = new AtomicBoolean();
        return new StreamSource<>(() -> {
            if (used.getAndSet(true)) {
                throw new IllegalStateException("this stream source can be read once only; "
                        + "use Source.fromStream(Supplier) for a pipeline that runs more than once");
            }
            return stream;
        }, "stream (one-shot)");
    }

    /**
     * The items of a Reactive Streams publisher, subscribed to once per run.
     *
     * @param publisher the publisher
     * @param <T>       the type of the items
     * @return a source of the publisher's items
     */
    static <T> Source<T> fromPublisher(Publisher<? extends T> publisher) {
        return new PublisherSource<>(publisher);
    }

    /**
     * The values {@code supplier} returns, until it returns {@code null}.
     *
     * @param supplier makes the next item, or {@code null} at the end; called from one thread at a time
     * @param <T>      the type of the items
     * @return a source of the supplied items
     */
    static <T> Source<T> generate(Supplier<? extends T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return new PullSource<T>() {
            @Override
            public SourceReader<T> open() {
                return supplier::get;
            }

            @Override
            public String description() {
                return "generator";
            }
        };
    }

    /**
     * The first {@code count} values {@code supplier} returns (fewer if it returns {@code null} first).
     *
     * @param supplier makes the next item; called from one thread at a time
     * @param count    how many items, at least 0
     * @param <T>      the type of the items
     * @return a source of at most {@code count} supplied items
     */
    static <T> Source<T> generate(Supplier<? extends T> supplier, long count) {
        Objects.requireNonNull(supplier, "supplier");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        return new PullSource<T>() {
            @Override
            public SourceReader<T> open() {
                long[] left = {count};
                return () -> left[0]-- > 0 ? supplier.get() : null;
            }

            @Override
            public OptionalLong knownSize() {
                return OptionalLong.of(count);
            }

            @Override
            public String description() {
                return "generator of " + count + " items";
            }
        };
    }

    /**
     * The same value forever: pair it with a finite source in {@link #zip(Source, Source)}, as Python's
     * {@code zip(range(1, 7), repeat(10))}.
     *
     * @param value the value
     * @param <T>   the type of the value
     * @return an endless source of {@code value}
     */
    static <T> Source<T> repeat(T value) {
        Objects.requireNonNull(value, "value");
        return new PullSource<T>() {
            @Override
            public SourceReader<T> open() {
                return () -> value;
            }

            @Override
            public String description() {
                return "repeat " + Items.abbreviate(value);
            }

            @Override
            public boolean readsWithoutWaiting() {
                return true;
            }
        };
    }

    /**
     * The lines of a UTF-8 text file, without their line terminators. For large or gzipped files, a
     * directory of files, a limit on line length, per-line error handling and progress in bytes, use
     * {@code io.github.pipeline.io.FileSource.lines(path)} in {@code pipeline-runtime}.
     *
     * @param file the file
     * @return a source of the file's lines
     */
    static Source<String> lines(Path file) {
        return lines(file, StandardCharsets.UTF_8);
    }

    /**
     * The lines of a text file in the given charset, without their line terminators. Malformed input
     * for the charset fails the run with an error naming the file.
     *
     * @param file    the file
     * @param charset the file's charset
     * @return a source of the file's lines
     */
    static Source<String> lines(Path file, Charset charset) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(charset, "charset");
        return new PullSource<String>() {
            @Override
            public SourceReader<String> open() throws java.io.IOException {
                BufferedReader reader = Files.newBufferedReader(file, charset);
                return new SourceReader<>() {
                    @Override
                    public String next() throws java.io.IOException {
                        return reader.readLine();
                    }

                    @Override
                    public void close() throws java.io.IOException {
                        reader.close();
                    }
                };
            }

            @Override
            public String description() {
                return "lines of " + file + " (" + charset.name() + ")";
            }

            /** A regular file's reads never wait for data; a pipe's or a device's may. */
            @Override
            public boolean readsWithoutWaiting() {
                return Files.isRegularFile(file);
            }
        };
    }

    /**
     * Pairs the items of two sources, the first with the first, and so on; ends when either ends.
     * Python's {@code zip(a, b)}, the input of a {@code starmap}: see {@link Pair#function}.
     *
     * @param first  the source of the pairs' first values
     * @param second the source of the pairs' second values
     * @param <A>    the type of the first values
     * @param <B>    the type of the second values
     * @return a source of pairs
     */
    static <A, B> Source<Pair<A, B>> zip(Source<? extends A> first, Source<? extends B> second) {
        return new ZipSource<>(first, second);
    }
}
