package io.github.pipeline.runtime;

import io.github.pipeline.api.Pair;
import io.github.pipeline.api.PublisherSource;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SourceReader;
import io.github.pipeline.api.ZipSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Turns a {@link Source} into a {@link Flux} that reads only as fast as it is asked. A pull source is
 * opened on subscription, read on the run's source thread (so a blocking read never holds a rail), and
 * closed whenever the run ends: completion, failure or cancellation.
 */
final class SourceFlux {

    private final String pipeline;
    private final Scheduler readerThread;
    private final StageProbe probe;

    SourceFlux(String pipeline, Scheduler readerThread) {
        this(pipeline, readerThread, new StageProbe(false));
    }

    /** A source flux whose pull sources' reads are measured by {@code probe}. */
    SourceFlux(String pipeline, Scheduler readerThread, StageProbe probe) {
        this.pipeline = pipeline;
        this.readerThread = readerThread;
        this.probe = probe;
    }

    @SuppressWarnings("unchecked")
    Flux<Object> of(Source<?> source) {
        if (source instanceof PullSource<?> pull) {
            return pull((PullSource<Object>) pull);
        }
        if (source instanceof PublisherSource<?> publisher) {
            return Flux.from((org.reactivestreams.Publisher<Object>) publisher.publisher())
                    .onErrorMap(e -> StageFailures.of(pipeline, StageFailures.SOURCE, null, e));
        }
        ZipSource<?, ?> zip = (ZipSource<?, ?>) source;
        return Flux.zip(of(zip.first()), of(zip.second()), Pair::of);
    }

    private Flux<Object> pull(PullSource<Object> source) {
        Flux<Object> items = Flux.using(
                source::open,
                reader -> Flux.generate(sink -> {
                    Object next;
                    try {
                        next = read(reader);
                    } catch (Throwable e) {
                        sink.error(StageFailures.of(pipeline, StageFailures.SOURCE, null, e));
                        return;
                    }
                    if (next == null) {
                        sink.complete();
                    } else {
                        sink.next(next);
                    }
                }),
                SourceFlux::closeQuietly);
        return items
                .onErrorMap(e -> StageFailures.of(pipeline, StageFailures.SOURCE, null, e))
                .subscribeOn(readerThread, true);
    }

    private Object read(SourceReader<Object> reader) throws Exception {
        StageProbe.Sample sample = probe.start();
        try {
            return reader.next();
        } finally {
            probe.stop(sample);
        }
    }

    private static void closeQuietly(SourceReader<Object> reader) {
        try {
            reader.close();
        } catch (Exception e) {
            reactor.util.Loggers.getLogger(SourceFlux.class).warn("closing a source reader failed", e);
        }
    }
}
