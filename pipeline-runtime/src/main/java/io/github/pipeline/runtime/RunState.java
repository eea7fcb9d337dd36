package io.github.pipeline.runtime;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Progress;
import io.github.pipeline.api.RunResult;
import io.github.pipeline.api.StageStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/** Everything one run counts: items from the source, per-stage accounting, items into the sink. */
final class RunState {

    final Pipeline<?> pipeline;
    final List<StageCounters> stages;
    /** Per stage, in pipeline order: its dead-letter channel, or {@code null}. */
    final List<DeadLetterChannel> deadLetters;
    final LongAdder sourceItems = new LongAdder();
    final LongAdder sinkItems = new LongAdder();
    final FirstFailure firstFailure = new FirstFailure();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;

    /** The state of a run whose stages have no dead-letter sinks. */
    RunState(Pipeline<?> pipeline) {
        this(pipeline, java.util.Collections.nCopies(pipeline.stages().size(), null));
    }

    RunState(Pipeline<?> pipeline, List<DeadLetterChannel> deadLetters) {
        this.pipeline = pipeline;
        this.stages = pipeline.stages().stream().map(StageCounters::new).toList();
        this.deadLetters = deadLetters;
    }

    /** Completes every dead-letter sink of a successful run. */
    void completeDeadLetters() throws Exception {
        for (DeadLetterChannel channel : deadLetters) {
            if (channel != null) {
                channel.complete();
            }
        }
    }

    /** Aborts every dead-letter sink of a failed or cancelled run. */
    void abortDeadLetters(Throwable cause) {
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
        List<StageStats> stats = new ArrayList<>(stages.size());
        for (StageCounters c : stages) {
            stats.add(c.snapshot());
        }
        return stats;
    }

    <R> RunResult<R> result(R value) {
        return new RunResult<>(pipelineName(), value, elapsed(), sourceItems.sum(), stageStats(), sinkItems.sum());
    }

    Progress progress(boolean done) {
        long sink = sinkItems.sum();
        List<StageStats> stats = stageStats();
        long source = sourceItems.sum();
        OptionalLong size = pipeline.source().knownSize();
        return new Progress(pipelineName(), elapsed(), source, size, stats, sink, done);
    }
}
