package io.github.pipeline.api;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The outcome of a successful run: the sink's value, how long it took, the accounting of every
 * stage, and the run's {@link RunProfile profile} (where the time went).
 *
 * @param pipeline    the pipeline's name
 * @param value       the sink's result (a count, a reduction, a list...), {@code null} if it has none
 * @param duration    the run's wall-clock time
 * @param sourceItems the items the source produced; for a source with a policy for malformed records
 *                    ({@link PullSource#malformedRecordPolicy()}), the records it read, malformed ones
 *                    included
 * @param stages      the accounting of each stage, in pipeline order, after the source's own
 *                    ({@code <source>}: records read, emitted, skipped or dead-lettered) when it has a
 *                    policy for malformed records
 * @param sinkItems   the items the sink took
 * @param profile     where the run spent its time, stage by stage; empty if the engine did not profile it
 * @param <R>         the type of the value
 */
public record RunResult<R>(String pipeline, R value, Duration duration, long sourceItems,
                           List<StageStats> stages, long sinkItems, RunProfile profile) {

    /**
     * Creates a run result.
     *
     * @param pipeline    the pipeline's name
     * @param value       the sink's result
     * @param duration    the wall-clock time
     * @param sourceItems items from the source
     * @param stages      per-stage accounting
     * @param sinkItems   items into the sink
     * @param profile     the run's profile
     */
    public RunResult {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(profile, "profile");
        stages = List.copyOf(stages);
    }

    /**
     * Creates the result of a run that was not profiled: its {@link #profile()} is empty.
     *
     * @param pipeline    the pipeline's name
     * @param value       the sink's result
     * @param duration    the wall-clock time
     * @param sourceItems items from the source
     * @param stages      per-stage accounting
     * @param sinkItems   items into the sink
     */
    public RunResult(String pipeline, R value, Duration duration, long sourceItems, List<StageStats> stages,
                     long sinkItems) {
        this(pipeline, value, duration, sourceItems, stages, sinkItems, RunProfile.empty(pipeline, duration));
    }

    /**
     * Returns the accounting of the named stage.
     *
     * @param name the stage's name
     * @return its accounting
     * @throws NoSuchElementException if the pipeline has no such stage
     */
    public StageStats stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no stage named '" + name + "' in pipeline '"
                        + pipeline + "'"));
    }

    /**
     * Checks that nothing was lost: every stage balances, each stage received what the one before it
     * emitted (the first, what the source produced), and the sink took what the last stage emitted.
     *
     * @return this result, for chaining
     * @throws IllegalStateException naming the first place where the counts do not add up
     */
    public RunResult<R> verifyBalanced() {
        long upstream = sourceItems;
        String from = "the source";
        for (StageStats stage : stages) {
            if (stage.received() != upstream) {
                throw new IllegalStateException("stage '" + stage.name() + "' received " + stage.received()
                        + " items but " + from + " emitted " + upstream);
            }
            if (!stage.isBalanced()) {
                throw new IllegalStateException("stage '" + stage.name() + "' does not balance: " + stage);
            }
            upstream = stage.emitted();
            from = "stage '" + stage.name() + "'";
        }
        if (sinkItems != upstream) {
            throw new IllegalStateException("the sink took " + sinkItems + " items but " + from + " emitted " + upstream);
        }
        return this;
    }

    /**
     * Describes the run in a few lines: the value, the duration and each stage's counts.
     *
     * @return a human-readable summary
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("pipeline '").append(pipeline).append("' finished in ").append(duration.toMillis())
                .append(" ms: ").append(sourceItems).append(" items from the source, ").append(sinkItems)
                .append(" into the sink\n");
        for (StageStats s : stages) {
            sb.append(String.format("  %-8s %-20s in=%d out=%d filtered=%d", s.kind(), "'" + s.name() + "'",
                    s.received(), s.emitted(), s.filtered()));
            if (s.skipped() + s.deadLettered() + s.retried() > 0) {
                sb.append(String.format(" skipped=%d dead-lettered=%d retried=%d", s.skipped(), s.deadLettered(),
                        s.retried()));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
