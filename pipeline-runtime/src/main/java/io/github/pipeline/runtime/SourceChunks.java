package io.github.pipeline.runtime;

import io.github.pipeline.api.Chunking;
import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.SourceReader;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;

/**
 * Reads the pipeline's source straight into {@link Chunk}s, a chunk per call on the run's source
 * thread, when the first parallel segment moves chunks and the source's reads never wait for data
 * ({@link PullSource#readsWithoutWaiting()}): no Reactor signal, chunker lock or count per item. On a
 * function of a few nanoseconds, the source's thread was the run's bottleneck, and two thirds of its time
 * went to the signals of the items between the reader and the chunker.
 *
 * <p>A chunk ends when it holds as many items as its {@link ChunkSizer} asks for, when its reads have
 * taken the sizer's latency bound (looked at every {@value #CLOCK_EVERY} reads), at the end of the
 * source, or at a failure: a reader's failure ends the chunk as a last {@link RailFailure} item, after
 * the items read before it, and the flux completes. Malformed records go to the source's policy as they
 * do item by item ({@link SourceFlux}). The reader is opened on subscription, on the source's thread: a
 * source that cannot be opened fails the flux at once, with or without demand, as {@code Flux.using}
 * does (a publisher must signal such a failure unasked). It is closed when the flux ends, whatever the
 * reason: before the completion goes out when the source ends or fails.
 *
 * <p>Runs that take checkpoints read item by item: a checkpoint is taken between two reads, which a
 * chunk read in one call does not leave room for.
 */
final class SourceChunks {

    /** Reads between two looks at the clock (about 25 ns each): the latency bound holds within these. */
    static final int CLOCK_EVERY = 16;

    private final RunState state;
    private final Scheduler readerThread;
    private final StageProbe probe;

    /** Chunks of the run's pipeline source, read on {@code readerThread}, its reads measured by {@code probe}. */
    SourceChunks(RunState state, Scheduler readerThread, StageProbe probe) {
        this.state = state;
        this.readerThread = readerThread;
        this.probe = probe;
    }

    /**
     * Whether the run's source can be read in chunks: a pull source whose reads never wait, in a run
     * without checkpoints.
     */
    static boolean fits(RunState state) {
        Source<?> source = state.pipeline.source();
        return state.checkpointer == null && source instanceof PullSource<?> pull && pull.readsWithoutWaiting();
    }

    /**
     * The source's items in chunks sized by {@code sizer}, numbered in order when {@code indexed} (for
     * an ordered merge). Requests, counted in chunks, go to the source's thread.
     */
    Flux<Chunk> chunks(ChunkSizer sizer, boolean indexed) {
        return chunks(sizer, indexed, null);
    }

    /**
     * As {@link #chunks(ChunkSizer, boolean)}, each chunk run through {@code fused} (sequential stages
     * fused over the source's chunks) on the source's thread before it goes out, and passed on early
     * once that has taken the sizer's latency bound, the items not started going first into the next
     * chunk (so a slow stage's results reach the sink about as soon as item by item). After a chunk that
     * ends in a failure nothing more is read or run, and the flux completes.
     */
    @SuppressWarnings("unchecked")
    Flux<Chunk> chunks(ChunkSizer sizer, boolean indexed, ChunkedSegment fused) {
        PullSource<Object> source = (PullSource<Object>) state.pipeline.source();
        return Flux.<Chunk, Reading>generate(() -> new Reading(source, sizer, indexed, fused).open(),
                        (reading, sink) -> {
                            reading.next(sink);
                            return reading;
                        },
                        Reading::close)
                .subscribeOn(readerThread, true);
    }

    /** One subscription's reader and the position of its next chunk; used on the source's thread only. */
    private final class Reading {

        private final PullSource<Object> source;
        private final ChunkSizer sizer;
        private final boolean indexed;
        private final ItemFailureHandler malformed = state.sourceFailures();
        private final StageCounters counters = state.sourceCounters;
        private final StageProbe.Countdown measured = probe.countdown();
        /** The sequential stages each chunk runs through before it goes out, or {@code null}. */
        private final ChunkedSegment fused;
        /** Open from subscription to the end of the source or the flux; null after. */
        private SourceReader<Object> reader;
        private long nextIndex;
        /** Items read but not yet run through {@link #fused}: they go first, as the next chunk. */
        private Chunk pending;
        /** Whether the source has ended (or failed) with the items read so far. */
        private boolean ended;

        Reading(PullSource<Object> source, ChunkSizer sizer, boolean indexed, ChunkedSegment fused) {
            this.source = source;
            this.sizer = sizer;
            this.indexed = indexed;
            this.fused = fused;
        }

        /** Opens the source; a failure to, named as the source's, fails the flux. */
        Reading open() {
            try {
                reader = source.open();
            } catch (Exception e) {
                throw StageFailures.ofSource(state.pipelineName(), e);
            }
            state.sourceOpened(reader);
            return this;
        }

        /** Emits the next chunk, and completes after it when the source has ended or failed. */
        void next(SynchronousSink<Chunk> sink) {
            Chunk chunk = pending;
            pending = null;
            if (chunk == null) {
                int size = sizer.size();
                // room for the usual chunk; a large one grows as it fills (a slow source cuts chunks short)
                chunk = new Chunk(Math.min(size, Chunking.DEFAULT_MAX_SIZE), indexed ? nextIndex++ : -1);
                ended = fill(chunk, size);
            }
            boolean last = ended;
            if (fused != null) {
                pending = fused.runWithin(chunk, sizer.maxLatencyNanos());
                boolean failed = !chunk.isEmpty() && chunk.get(chunk.size() - 1) instanceof RailFailure;
                last = failed || (ended && pending == null);
            }
            if (last) {
                // before the last chunk goes out, as Flux.using closes a resource before its terminal signal:
                // a run that fails on a read's failure, the chunk's last item, ends with its reader closed
                close();
            }
            if (!chunk.isEmpty() || !last) {
                sink.next(chunk); // an empty one when a fused stage filtered out a whole chunk: the sink skips it
            }
            if (last) {
                sink.complete();
            }
        }

        /** Reads up to {@code size} items into the chunk; answers whether the source has ended (or failed). */
        private boolean fill(Chunk chunk, int size) {
            long start = System.nanoTime();
            long maxLatency = sizer.maxLatencyNanos();
            int read = 0; // records read, malformed ones included
            int good = 0;
            try {
                while (good < size) {
                    Object next;
                    try {
                        next = read();
                    } catch (MalformedRecordException e) {
                        if (malformed == null || !malformed.dropsFailures()) {
                            throw e;
                        }
                        read++;
                        counters.received.increment();
                        malformed.handle(e.record(), e, 1);
                        if (late(read, good, start, maxLatency)) {
                            return false;
                        }
                        continue;
                    }
                    if (next == null) {
                        return true;
                    }
                    chunk.add(next);
                    read++;
                    good++;
                    if (late(read, good, start, maxLatency)) {
                        return false;
                    }
                }
                return false;
            } catch (Throwable e) {
                chunk.add(RailFailure.of(state.pipelineName(), StageFailures.ofSource(state.pipelineName(), e)));
                return true;
            } finally {
                if (counters != null && good > 0) {
                    counters.received.add(good);
                    counters.processed.add(good);
                }
                state.sourceItems.add(read);
                measured.ran(System.nanoTime() - start);
            }
        }

        /**
         * Whether a chunk holding items has taken the latency bound since its first read: looked at every
         * {@value SourceChunks#CLOCK_EVERY} records read, malformed ones included (good records must not
         * wait behind a run of bad ones the policy drops).
         */
        private static boolean late(int read, int good, long start, long maxLatency) {
            return read % CLOCK_EVERY == 0 && good > 0 && System.nanoTime() - start >= maxLatency;
        }

        private Object read() throws Exception {
            StageProbe.Sample sample = measured.start();
            return sample == null ? reader.next() : readMeasured(sample);
        }

        /** A measured read, apart from the others so that the loop filling a chunk stays small. */
        private Object readMeasured(StageProbe.Sample sample) throws Exception {
            try {
                return reader.next();
            } finally {
                probe.stop(sample);
            }
        }

        /** Closes the reader, once: at the end of the source, or when the flux is cancelled. */
        void close() {
            if (reader != null) {
                SourceFlux.closeQuietly(reader);
                reader = null;
            }
        }
    }
}
