package io.github.pipeline.runtime;

import io.github.pipeline.api.CheckpointableReader;
import io.github.pipeline.api.CheckpointableWriter;
import io.github.pipeline.api.Checkpoints;
import io.github.pipeline.api.ResumableSink;
import io.github.pipeline.api.ResumableSource;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.SourceReader;
import io.github.pipeline.api.StageFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Takes a run's checkpoints and resumes a run from one (see {@link Checkpoints}). Runs on the source's
 * thread, between reads: when a checkpoint is due it stops reading and waits until the pipeline has
 * drained, that is until every item read has been processed and its outputs accepted by the sink (or
 * filtered, skipped or dead-lettered), as the stages' own counters tell; it asks the chunkers of
 * chunked rails to pass their partly filled chunks on meanwhile. Drained, it waits for the dead-letter
 * sinks to take every letter sent (and to make them durable when they take checkpoints), has the sink make
 * its output durable (on the sink's thread), takes the reader's position, writes both to the checkpoint
 * file, and lets reading go on. So a checkpoint's source position and sink state always cover the same items,
 * however the rails reorder them; the cost is one drain per checkpoint, and nothing at all per item
 * beyond a count and a clock read on the source's thread. Pipelines without checkpoints have none.
 */
final class Checkpointer {

    private static final Logger LOG = Loggers.getLogger(Checkpointer.class);
    /** How long the drain wait sleeps between looks at the counters. */
    private static final long DRAIN_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** The longest sleep between looks, after doubling. */
    private static final long MAX_DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Checkpoints options;
    private final RunState state;
    private final List<FluxChunks.ChunkingSubscriber> chunkers = new CopyOnWriteArrayList<>();
    /** The checkpoint this run resumes from, or {@code null}. */
    private CheckpointFile.Saved resumedFrom;
    /** Makes the sink's output durable on the sink's thread; set before the run starts. */
    private volatile Supplier<CompletableFuture<Map<String, String>>> sinkCheckpoint;
    private volatile boolean stopped;
    /** Whether this run has saved a checkpoint file. Written under this object's lock. */
    private volatile boolean saved;
    /** Holds the checkpoint for this run alone, or {@code null}. */
    private CheckpointLock lock;
    /** Checkpoints taken, for the log. Source thread. */
    private int taken;

    // the source's thread only
    private long emitted;
    private long sinceLast;
    private long lastNanos = System.nanoTime();

    Checkpointer(Checkpoints options, RunState state) {
        this.options = options;
        this.state = state;
    }

    /**
     * Reads the checkpoint file, if there is one, so this run resumes from it.
     *
     * @throws StageFailedException (stage {@code <checkpoint>}) if the file cannot be read or belongs to
     *                              another pipeline
     */
    void load() {
        Path file = options.file().orElse(null);
        if (file == null) {
            return; // the source and sink keep their own positions
        }
        try {
            lock = CheckpointLock.take(file);
            resumedFrom = CheckpointFile.load(file, state.pipeline).orElse(null);
        } catch (IOException | RuntimeException e) {
            release();
            throw new StageFailedException(state.pipelineName(), StageFailures.CHECKPOINT, null,
                    new IOException("cannot resume from " + file + ": " + e.getMessage(), e));
        }
        if (resumedFrom != null) {
            LOG.info("pipeline '{}' resumes from {} ({} items read before it)", state.pipelineName(), file,
                    resumedFrom.items());
        }
    }

    /** Opens the sink, or resumes it from the checkpoint. */
    @SuppressWarnings("unchecked")
    <R> SinkWriter<Object, R> openSink(ResumableSink<?, R> sink) throws Exception {
        CheckpointableWriter<?, R> writer = resumedFrom == null ? sink.open() : sink.resume(resumedFrom.sink());
        return (SinkWriter<Object, R>) writer;
    }

    /** Opens the source, or resumes it from the checkpoint; its reader must be able to take checkpoints. */
    @SuppressWarnings("unchecked")
    CheckpointableReader<Object> openSource(ResumableSource<?> source) throws Exception {
        SourceReader<?> reader = resumedFrom == null ? source.open() : source.resume(resumedFrom.source());
        if (!(reader instanceof CheckpointableReader<?>)) {
            reader.close();
            throw new IllegalStateException("the source (" + source.description()
                    + ") cannot take checkpoints as it is set up (a FileSource reading several files at once?)");
        }
        return (CheckpointableReader<Object>) reader;
    }

    /** Sets how the sink's output is made durable: a call that runs on the sink's thread. */
    void attachSink(Supplier<CompletableFuture<Map<String, String>>> checkpoint) {
        this.sinkCheckpoint = checkpoint;
    }

    /** Lets a chunker of a chunked segment be asked to pass its partly filled chunk on during a drain. */
    void register(FluxChunks.ChunkingSubscriber chunker) {
        chunkers.add(chunker);
    }

    /**
     * The run is ending: a checkpoint being taken is given up, and none is saved from now on. Waits for
     * a checkpoint file being written to be written, so that afterwards {@link #keepsOutput()} is final.
     * Any thread.
     */
    synchronized void stop() {
        stopped = true;
    }

    /**
     * Whether the sink's output must be kept when the run fails: a checkpoint file of this run, or the
     * one it resumed from, refers to it. Final once {@link #stop()} has returned.
     */
    boolean keepsOutput() {
        return options.file().isPresent() && (resumedFrom != null || saved);
    }

    /** Lets other runs use the checkpoint: the run has ended. Any thread; idempotent. */
    synchronized void release() {
        if (lock != null) {
            lock.release();
            lock = null;
        }
    }

    /** Counts an item the source passes on. Source thread. */
    void emitted() {
        emitted++;
        sinceLast++;
    }

    /**
     * Takes a checkpoint if one is due. Source thread, between reads.
     *
     * @throws StageFailedException (stage {@code <checkpoint>}) if the sink or the checkpoint file cannot
     *                              be written
     */
    void beforeRead(CheckpointableReader<Object> reader) {
        long now = System.nanoTime();
        boolean due = now - lastNanos >= options.interval().toNanos()
                || options.itemInterval() > 0 && sinceLast >= options.itemInterval();
        if (due && sinceLast > 0) {
            take(reader);
        }
    }

    /**
     * The reader has returned its last item: with {@link Checkpoints#withoutFile()}, takes a last checkpoint
     * once everything has gone all the way, so a source that commits its positions elsewhere (a Kafka
     * consumer group) commits the end of the run too; a later run does not see those items again. With a
     * file there is nothing to do: the file is deleted when the run succeeds. Source thread.
     *
     * @throws StageFailedException (stage {@code <checkpoint>}) if the sink or the reader cannot checkpoint
     */
    void atEnd(CheckpointableReader<Object> reader) {
        if (options.file().isEmpty() && sinceLast > 0) {
            take(reader);
        }
    }

    private void take(CheckpointableReader<Object> reader) {
        long start = System.nanoTime();
        try {
            if (!awaitDrained(start)) {
                return;
            }
            state.checkpointDeadLetters(options.drainTimeout());
            Map<String, String> sink = awaitSink();
            if (sink == null) {
                return;
            }
            long itemsBefore = resumedFrom == null ? 0 : resumedFrom.items();
            Map<String, String> source = reader.checkpoint();
            if (!save(new CheckpointFile.Saved(source, sink, itemsBefore + emitted))) {
                return;
            }
            taken++;
            LOG.debug("pipeline '{}': checkpoint {} after {} items, drained and saved in {} us",
                    state.pipelineName(), taken, emitted, (System.nanoTime() - start) / 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new StageFailedException(state.pipelineName(), StageFailures.CHECKPOINT, null,
                    new IOException("the checkpoint (" + options + ") failed: " + e, e));
        } finally {
            lastNanos = System.nanoTime();
            sinceLast = 0;
        }
    }

    /**
     * Writes the checkpoint file, unless the run has been stopped: a run that has ended (and decided what
     * to do with its output) never saves another checkpoint.
     */
    private synchronized boolean save(CheckpointFile.Saved checkpoint) throws IOException {
        if (stopped) {
            return false;
        }
        Path file = options.file().orElse(null);
        if (file != null) {
            CheckpointFile.save(file, state.pipeline, checkpoint);
            saved = true;
        }
        return true;
    }

    /** Waits until the pipeline has drained; {@code false} if the run ends or the drain timeout passes first. */
    private boolean awaitDrained(long start) {
        long timeout = options.drainTimeout().toNanos();
        long pause = DRAIN_POLL_NANOS;
        while (!drained()) {
            if (stopped || Thread.currentThread().isInterrupted()) {
                return false;
            }
            if (System.nanoTime() - start > timeout) {
                LOG.warn("pipeline '{}': a checkpoint was skipped: the pipeline did not drain within {}"
                        + " (a stage stuck on an item?); the next one is tried in {}", state.pipelineName(),
                        options.drainTimeout(), options.interval());
                return false;
            }
            for (FluxChunks.ChunkingSubscriber chunker : chunkers) {
                chunker.flushPartial();
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_DRAIN_POLL_NANOS); // a slow last item is not worth a busy wait
        }
        return true;
    }

    /**
     * Whether every item the source passed on has gone all the way: each stage is done with all it was
     * given, and the sink has accepted all the last stage passed on. Each stage is read after the one
     * before it, so once a stage is seen done, the count it passed on is final.
     */
    private boolean drained() {
        long in = emitted;
        for (StageCounters stage : state.stages) {
            if (stage.finished() != in) {
                return false;
            }
            in = stage.emittedSoFar();
        }
        return state.sinkItems.sum() == in;
    }

    /**
     * Has the sink make its output durable; {@code null} if the run ends first.
     *
     * @throws TimeoutException if the sink takes longer than the drain timeout
     */
    private Map<String, String> awaitSink() throws Exception {
        CompletableFuture<Map<String, String>> done = sinkCheckpoint.get();
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (true) {
            try {
                return done.get(10, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (stopped) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the sink did not make its output durable within "
                            + options.drainTimeout());
                }
            } catch (ExecutionException e) {
                if (stopped) {
                    return null;
                }
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** Deletes the checkpoint file once the run has succeeded: there is nothing left to resume. */
    void succeeded() {
        Path file = options.file().orElse(null);
        try {
            if (file != null) {
                Files.deleteIfExists(file);
                CheckpointFile.deleteLeftovers(file);
            }
        } catch (IOException e) {
            LOG.warn("pipeline '{}' succeeded but its checkpoint {} cannot be deleted: {}; delete it before the"
                    + " next run, which would otherwise resume from it", state.pipelineName(), file, e);
        }
    }

}
