package io.github.pipeline.runtime;

import io.github.pipeline.api.CheckpointableReader;
import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.api.Pair;
import io.github.pipeline.api.PublisherSource;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.ResumableSource;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SourceReader;
import io.github.pipeline.api.ZipSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;

/**
 * Turns a {@link Source} into a {@link Flux} that reads only as fast as it is asked. A pull source is
 * opened on subscription, read on the run's source thread (so a blocking read never holds a rail), and
 * closed whenever the run ends: completion, failure or cancellation.
 *
 * <p>When the pipeline's source has a policy for malformed records, a {@link MalformedRecordException}
 * from its reader goes to that policy: skipped or dead-lettered records are accounted for under
 * {@code <source>} and reading goes on with the next record; under fail-fast the run fails. Any other
 * exception from a reader fails the run.
 *
 * <p>When the pipeline takes checkpoints, the source is opened (or resumed) through the run's
 * {@link Checkpointer}, which takes a due checkpoint between two reads, on the source's thread.
 */
final class SourceFlux {

    private final RunState state;
    private final String pipeline;
    private final Scheduler readerThread;
    private final StageProbe probe;

    /** A source flux for the run's pipeline, whose pull sources' reads are measured by {@code probe}. */
    SourceFlux(RunState state, Scheduler readerThread, StageProbe probe) {
        this.state = state;
        this.pipeline = state.pipelineName();
        this.readerThread = readerThread;
        this.probe = probe;
    }

    /** The pipeline's own source, with its accounting and its policy for malformed records. */
    Flux<Object> ofPipelineSource() {
        return of(state.pipeline.source(), true);
    }

    @SuppressWarnings("unchecked")
    private Flux<Object> of(Source<?> source, boolean top) {
        if (source instanceof PullSource<?> pull) {
            return pull((PullSource<Object>) pull, top);
        }
        if (source instanceof PublisherSource<?> publisher) {
            return new FluxMapFailure(Flux.from((org.reactivestreams.Publisher<Object>) publisher.publisher()),
                    this::sourceFailure);
        }
        ZipSource<?, ?> zip = (ZipSource<?, ?>) source;
        return Flux.zip(of(zip.first(), false), of(zip.second(), false), Pair::of);
    }

    private Flux<Object> pull(PullSource<Object> source, boolean top) {
        ItemFailureHandler malformed = top ? state.sourceFailures() : null;
        StageCounters counters = top ? state.sourceCounters : null;
        Checkpointer checkpointer = top ? state.checkpointer : null;
        Flux<Object> items = Flux.using(
                () -> {
                    SourceReader<Object> reader = checkpointer == null ? source.open()
                            : checkpointer.openSource((ResumableSource<?>) source);
                    if (top) {
                        state.sourceOpened(reader);
                    }
                    return reader;
                },
                reader -> checkpointer == null
                        ? Flux.generate(sink -> readOne(reader, sink, malformed, counters, null))
                        : Flux.generate(sink -> readCheckpointed(reader, sink, malformed, counters, checkpointer)),
                SourceFlux::closeQuietly);
        return new FluxMapFailure(items, this::sourceFailure).subscribeOn(readerThread, true);
    }

    /** A failure of the source, named as the source's (unless it already names a stage of this pipeline). */
    private Throwable sourceFailure(Throwable failure) {
        return StageFailures.ofSource(pipeline, failure);
    }

    private Object read(SourceReader<Object> reader) throws Exception {
        StageProbe.Sample sample = probe.start();
        try {
            return reader.next();
        } finally {
            probe.stop(sample);
        }
    }

    /** As {@link #readOne}, after taking a checkpoint if one is due. */
    private void readCheckpointed(SourceReader<Object> reader, SynchronousSink<Object> sink,
                                  ItemFailureHandler malformed, StageCounters counters, Checkpointer checkpointer) {
        try {
            checkpointer.beforeRead((CheckpointableReader<Object>) reader);
        } catch (RuntimeException e) {
            sink.error(e);
            return;
        }
        readOne(reader, sink, malformed, counters, checkpointer);
    }

    /**
     * Emits the next good record, or completes, or fails; malformed records the policy drops are passed
     * over. Counts what it emits for the checkpointer, when there is one.
     */
    private void readOne(SourceReader<Object> reader, SynchronousSink<Object> sink, ItemFailureHandler malformed,
                         StageCounters counters, Checkpointer checkpointer) {
        while (true) {
            Object next;
            try {
                next = read(reader);
            } catch (MalformedRecordException e) {
                if (malformed == null || !malformed.dropsFailures()) {
                    sink.error(sourceFailure(e));
                    return;
                }
                counters.received.increment();
                state.sourceItems.increment();
                try {
                    malformed.handle(e.record(), e, 1);
                } catch (Throwable deadLetterFailed) {
                    sink.error(deadLetterFailed);
                    return;
                }
                continue;
            } catch (Throwable e) {
                sink.error(sourceFailure(e));
                return;
            }
            if (next == null) {
                if (checkpointer != null) {
                    try {
                        checkpointer.atEnd((CheckpointableReader<Object>) reader);
                    } catch (RuntimeException e) {
                        sink.error(e);
                        return;
                    }
                }
                sink.complete();
            } else {
                if (counters != null) {
                    counters.received.increment();
                    counters.processed.increment();
                }
                if (checkpointer != null) {
                    checkpointer.emitted();
                }
                sink.next(next);
            }
            return;
        }
    }

    static void closeQuietly(SourceReader<Object> reader) {
        try {
            reader.close();
        } catch (Exception e) {
            reactor.util.Loggers.getLogger(SourceFlux.class).warn("closing a source reader failed", e);
        }
    }
}
