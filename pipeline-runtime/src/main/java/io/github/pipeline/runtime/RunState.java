package io.github.pipeline.runtime;

import io.github.pipeline.api.RunProfile;
import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.ErrorPolicy;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PositionedReader;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.Stage;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.StageStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;

/**
 * Everything one run counts: items from the source, per-stage accounting, items into the sink, and what
 * its probes measure for its profile (see {@link RunProfiler}). A source with a
 * {@link PullSource#malformedRecordPolicy() policy for malformed records} gets an accounting of its own,
 * named {@code <source>}, ahead of the stages'.
 */
final class RunState {

    final Pipeline<?> pipeline;
    final List<StageCounters> stages;
    /** Per stage, in pipeline order: its dead-letter channel, or {@code null}. */
    final List<DeadLetterChannel> deadLetters;
    /** The source's policy for malformed records, or {@code null} when it has none. */
    final ErrorPolicy sourcePolicy;
    /** The source's accounting when it has a policy for malformed records, else {@code null}. */
    final StageCounters sourceCounters;
    /** The source's dead-letter channel when its policy dead-letters malformed records, else {@code null}. */
    private DeadLetterChannel sourceDeadLetters;
    /** The reader of the source, when it counts bytes: read by progress snapshots. */
    private volatile PositionedReader<?> sourceReader;
    /**
     * Records the source read: items it emitted and, with a {@code <source>} accounting, malformed ones;
     * counted on the source's signals, one at a time.
     */
    final SerialCounter sourceItems = new SerialCounter();
    /** Items the sink accepted; counted on the sink's thread. */
    final SerialCounter sinkItems = new SerialCounter();
    final FirstFailure firstFailure = new FirstFailure();
    /** Whether the run measures its calls for its profile. */
    final boolean profiled;
    /** Measures the source's reads. */
    final StageProbe sourceProbe;
    /** Measures the sink's writes. */
    final StageProbe sinkProbe;
    /** Takes the run's checkpoints, or {@code null} when the pipeline has none. */
    final Checkpointer checkpointer;
    /** Measures how long backpressure held the source back. */
    final DemandClock sourceDemand = new DemandClock();
    private volatile CoreContention.Snapshot contentionAtStart = CoreContention.Snapshot.NONE;
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;

    /** The state of a run whose stages have no dead-letter sinks. */
    RunState(Pipeline<?> pipeline) {
        this(pipeline, Collections.nCopies(pipeline.stages().size(), null));
    }

    /**
     * The state of a new run, with the dead-letter sink of each stage that has one opened.
     *
     * @throws StageFailedException naming the stage whose dead-letter sink cannot be opened (those
     *                              opened before it are aborted)
     */
    static RunState open(Pipeline<?> pipeline, RunResources resources) {
        return open(pipeline, resources, true);
    }

    /**
     * The state of a new run, as {@link #open(Pipeline, RunResources)}, profiled or not.
     *
     * @throws StageFailedException naming the stage whose dead-letter sink cannot be opened
     */
    @SuppressWarnings("unchecked")
    static RunState open(Pipeline<?> pipeline, RunResources resources, boolean profiled) {
        List<DeadLetterChannel> channels = new ArrayList<>();
        RunState state = new RunState(pipeline, channels, profiled);
        Sink<? super DeadLetter, ?> sourceSink = state.sourcePolicy == null ? null
                : state.sourcePolicy.deadLetters().orElse(null);
        if (sourceSink != null) {
            try {
                state.sourceDeadLetters = new DeadLetterChannel(pipeline.name(), StageFailures.SOURCE,
                        (SinkWriter<DeadLetter, ?>) sourceSink.open(), resources);
            } catch (Exception e) {
                throw new StageFailedException(pipeline.name(), StageFailures.SOURCE, null,
                        new IllegalStateException("its dead-letter sink cannot be opened: " + e, e));
            }
        }
        for (Stage stage : pipeline.stages()) {
            Sink<? super DeadLetter, ?> sink = stage.options().errorPolicy().deadLetters().orElse(null);
            try {
                channels.add(sink == null ? null
                        : new DeadLetterChannel(pipeline.name(), stage.name(),
                                (SinkWriter<DeadLetter, ?>) sink.open(), resources));
            } catch (Exception e) {
                StageFailedException failure = new StageFailedException(pipeline.name(), stage.name(), null,
                        new IllegalStateException("its dead-letter sink cannot be opened: " + e, e));
                state.abortDeadLetters(failure);
                throw failure;
            }
        }
        return state;
    }

    RunState(Pipeline<?> pipeline, List<DeadLetterChannel> deadLetters) {
        this(pipeline, deadLetters, true);
    }

    RunState(Pipeline<?> pipeline, List<DeadLetterChannel> deadLetters, boolean profiled) {
        this.pipeline = pipeline;
        this.profiled = profiled;
        this.stages = pipeline.stages().stream().map(stage -> new StageCounters(stage, profiled)).toList();
        this.deadLetters = deadLetters;
        this.sourceProbe = new StageProbe(profiled);
        this.sinkProbe = new StageProbe(profiled);
        this.sourcePolicy = pipeline.source() instanceof PullSource<?> pull
                ? pull.malformedRecordPolicy().orElse(null) : null;
        this.sourceCounters = sourcePolicy == null ? null : StageCounters.ofSource();
        this.checkpointer = pipeline.checkpoints().map(options -> new Checkpointer(options, this)).orElse(null);
    }

    /**
     * Notes how busy the machine's cores are as the run starts, to tell waiting for a core from waiting
     * for I/O when the profile is made: lists the JVM's threads now, before the run has borrowed any
     * (its end reads again only these), and returns what reads their figures (a file each on Linux, about
     * 1 ms in all): run it on a thread that may block and has time to spare, such as the sink's before its
     * first item.
     */
    Runnable coreContentionReader() {
        if (!profiled) {
            return () -> { };
        }
        List<String> threads = CoreContention.threadsNow();
        return () -> contentionAtStart = CoreContention.take(threads);
    }

    /** The JVM's run-queue wait per nanosecond of CPU since the run started; 0 if unknown. */
    double contention() {
        CoreContention.Snapshot start = contentionAtStart;
        return start.isEmpty() ? 0 : CoreContention.waitPerCpuNanosecond(start, CoreContention.takeAgain(start));
    }

    /** The run's profile so far. */
    RunProfile profile() {
        return RunProfiler.profile(this);
    }

    /**
     * How the source's reader treats malformed records: {@code null} when the source has no policy
     * for them (any exception from its reader fails the run).
     */
    ItemFailureHandler sourceFailures() {
        return sourcePolicy == null ? null
                : new ItemFailureHandler(pipelineName(), sourceCounters, sourcePolicy, sourceDeadLetters);
    }

    /** Notes the source's reader, for the byte counts of progress snapshots. */
    void sourceOpened(Object reader) {
        if (reader instanceof PositionedReader<?> positioned) {
            sourceReader = positioned;
        }
    }

    /**
     * Waits until every dead letter sent so far is in its sink, made durable by sinks that take checkpoints:
     * part of a checkpoint, after the run has drained.
     */
    void checkpointDeadLetters(Duration timeout) throws InterruptedException, TimeoutException {
        if (sourceDeadLetters != null) {
            sourceDeadLetters.checkpoint(timeout);
        }
        for (DeadLetterChannel channel : deadLetters) {
            if (channel != null) {
                channel.checkpoint(timeout);
            }
        }
    }

    /** Completes every dead-letter sink of a successful run. */
    void completeDeadLetters() throws Exception {
        if (sourceDeadLetters != null) {
            sourceDeadLetters.complete();
        }
        for (DeadLetterChannel channel : deadLetters) {
            if (channel != null) {
                channel.complete();
            }
        }
    }

    /** Aborts every dead-letter sink of a failed or cancelled run. */
    void abortDeadLetters(Throwable cause) {
        if (sourceDeadLetters != null) {
            sourceDeadLetters.abort(cause);
        }
        for (DeadLetterChannel channel : deadLetters) {
            if (channel != null) {
                channel.abort(cause);
            }
        }
    }

    String pipelineName() {
        return pipeline.name();
    }

    void markEnded() {
        endNanos = System.nanoTime();
    }

    Duration elapsed() {
        long end = endNanos;
        return Duration.ofNanos((end == 0 ? System.nanoTime() : end) - startNanos);
    }

    List<StageStats> stageStats() {
        List<StageStats> stats = new ArrayList<>(stages.size() + 1);
        if (sourceCounters != null) {
            stats.add(sourceCounters.snapshot());
        }
        for (StageCounters c : stages) {
            stats.add(c.snapshot());
        }
        return stats;
    }

    <R> RunResult<R> result(R value) {
        return new RunResult<>(pipelineName(), value, elapsed(), sourceItems.sum(), stageStats(), sinkItems.sum(),
                profile());
    }

    Progress progress(boolean done) {
        long sink = sinkItems.sum();
        List<StageStats> stats = stageStats();
        long source = sourceItems.sum();
        OptionalLong size = pipeline.source().knownSize();
        PositionedReader<?> reader = sourceReader;
        long bytesRead = reader == null ? 0 : reader.bytesRead();
        OptionalLong bytesTotal = reader == null ? OptionalLong.empty() : reader.bytesTotal();
        return new Progress(pipelineName(), elapsed(), source, size, bytesRead, bytesTotal, stats, sink, done);
    }
}
