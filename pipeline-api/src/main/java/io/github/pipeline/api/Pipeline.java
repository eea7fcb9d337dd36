package io.github.pipeline.api;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, validated pipeline: a source, named stages and a sink. Build one with the DSL, then
 * run it as often as you like:
 *
 * <pre>{@code
 * Pipeline<Long> sumOfCubes = Pipeline.named("sum-of-cubes")
 *         .from(Source.range(1, 10_001))             // the sum of the cubes fits a long
 *         .map("cube", x -> x * x * x, StageOptions.parallel())
 *         .to(Sink.reduce(0L, Long::sum));
 * long sum = sumOfCubes.run().value();               // blocks, like Python's Pool.map
 * Execution<Long> running = sumOfCubes.start();      // returns at once, like map_async
 * }</pre>
 *
 * <p>{@link #run()} and {@link #start()} use the engine found on the class path (add
 * {@code pipeline-runtime}); the forms that take a {@link PipelineEngine} use that one.
 *
 * @param <R> the type of the run's value (the sink's result)
 */
public final class Pipeline<R> {

    private final String name;
    private final Source<?> source;
    private final List<Stage> stages;
    private final Sink<?, R> sink;
    private final Duration timeout;
    private final ProgressListener progressListener;
    private final Duration progressInterval;
    private final Checkpoints checkpoints;

    Pipeline(String name, Source<?> source, List<Stage> stages, Sink<?, R> sink) {
        this(name, source, stages, sink, null, null, null, null);
    }

    private Pipeline(String name, Source<?> source, List<Stage> stages, Sink<?, R> sink, Duration timeout,
                     ProgressListener progressListener, Duration progressInterval, Checkpoints checkpoints) {
        this.name = Names.check("Pipeline", name);
        this.source = Objects.requireNonNull(source, "source");
        this.stages = List.copyOf(stages);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.timeout = timeout;
        this.progressListener = progressListener;
        this.progressInterval = progressInterval;
        this.checkpoints = checkpoints;
        validate();
        if (checkpoints != null) {
            validateCheckpoints();
        }
    }

    /**
     * Returns a copy whose runs send a {@link Progress} snapshot to {@code listener} every
     * {@code interval}, and a last one when they end. An exception thrown by the listener is logged and
     * does not affect the run.
     *
     * @param interval how often, at least 1 ms
     * @param listener the listener
     * @return the copy
     * @throws IllegalArgumentException if {@code interval} is shorter than 1 ms
     */
    public Pipeline<R> withProgressListener(Duration interval, ProgressListener listener) {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(listener, "listener");
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("progress interval must be at least 1 ms, got " + interval);
        }
        return new Pipeline<>(name, source, stages, sink, timeout, listener, interval, checkpoints);
    }

    /**
     * Returns the listener that receives the runs' progress.
     *
     * @return the listener, or empty if none is set
     */
    public Optional<ProgressListener> progressListener() {
        return Optional.ofNullable(progressListener);
    }

    /**
     * Returns how often the progress listener is called.
     *
     * @return the interval, or empty if no listener is set
     */
    public Optional<Duration> progressInterval() {
        return Optional.ofNullable(progressInterval);
    }

    /**
     * Returns a copy whose runs are stopped, as a cancellation stops them, when they take longer than
     * {@code timeout}; waiting for such a run throws {@link PipelineTimeoutException}.
     *
     * @param timeout the longest a run may take, more than zero
     * @return the copy
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Pipeline<R> withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be more than zero, got " + timeout);
        }
        return new Pipeline<>(name, source, stages, sink, timeout, progressListener, progressInterval, checkpoints);
    }

    /**
     * Returns the longest a run may take.
     *
     * @return the run timeout, or empty if runs are not timed
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Returns a copy whose runs save checkpoints and resume from them: see {@link Checkpoints} for how.
     * A run that starts while the checkpoint file exists resumes from it, so running a pipeline again
     * after it died goes on where its last checkpoint left it; delete the file to start afresh. Checked
     * here: the source must be a {@link ResumableSource} (reading one file, or files one after another),
     * the sink a {@link ResumableSink}, and no stage may hold items across a checkpoint (batch, aggregate
     * and via stages do).
     *
     * <p>What a resumed run guarantees: its output, together with what the checkpoint had made durable,
     * is exactly the output of an uninterrupted run: no record lost, none written twice. Byte for byte
     * when the pipeline keeps source order (sequential or ordered stages), as the same multiset of records
     * otherwise. Its {@link RunResult} counts the items of its own run, not those before the checkpoint.
     * Dead-letter sinks take every letter sent before each checkpoint, but are not resumed: a dead-letter
     * file holds the letters of the last run only.
     *
     * @param checkpoints where and how often
     * @return the copy
     * @throws PipelineDefinitionException if the pipeline cannot be checkpointed, saying why
     */
    public Pipeline<R> withCheckpoints(Checkpoints checkpoints) {
        Objects.requireNonNull(checkpoints, "checkpoints");
        return new Pipeline<>(name, source, stages, sink, timeout, progressListener, progressInterval, checkpoints);
    }

    /**
     * Returns how the runs save checkpoints.
     *
     * @return the checkpoint options, or empty if runs are not checkpointed
     */
    public Optional<Checkpoints> checkpoints() {
        return Optional.ofNullable(checkpoints);
    }

    private void validateCheckpoints() {
        String cannot = "Pipeline '" + name + "' cannot be checkpointed: ";
        if (!(source instanceof ResumableSource<?>)) {
            throw new PipelineDefinitionException(cannot + "its source (" + source.description()
                    + ") cannot resume; it needs a ResumableSource, such as a FileSource");
        }
        if (!(sink instanceof ResumableSink<?, ?>)) {
            throw new PipelineDefinitionException(cannot + "its sink (" + sink.description()
                    + ") cannot resume; it needs a ResumableSink, such as Sink.lines or a FileSink");
        }
        for (Stage stage : stages) {
            if (stage instanceof BatchStage || stage instanceof AggregateStage<?, ?, ?> || stage instanceof ViaStage<?, ?>) {
                throw new PipelineDefinitionException(cannot + "stage '" + stage.name() + "' is a " + stage.kind()
                        + " stage, which holds items across a checkpoint; checkpointed pipelines may have map,"
                        + " filter, flatMap, peek and process stages");
            }
        }
    }

    /**
     * Starts the definition of a pipeline.
     *
     * @param name the pipeline's name: 1 to 64 letters, digits, '.', '_' or '-'
     * @return the first step of the DSL
     * @throws PipelineDefinitionException if the name is not valid
     */
    public static PipelineStart named(String name) {
        return new PipelineStart(name);
    }

    private void validate() {
        Set<String> seen = new HashSet<>();
        for (Stage stage : stages) {
            if (!seen.add(stage.name())) {
                throw new PipelineDefinitionException("Pipeline '" + name + "' has two stages named '"
                        + stage.name() + "': stage names must be unique");
            }
            if (stage instanceof ProcessStage<?, ?> && stage.options().parallelism() != 1) {
                throw new PipelineDefinitionException("Stage '" + stage.name() + "' of pipeline '" + name
                        + "' is a process stage, whose parallelism is its worker processes: give it sequential options "
                        + "and ProcessWorkers.withWorkers(" + stage.options().parallelism() + ")");
            }
            if (stage.options().ordered() && stage.options().isParallel() && stage.options().orderKey().isPresent()) {
                throw new PipelineDefinitionException("Stage '" + stage.name() + "' of pipeline '" + name
                        + "' keeps both source order and order per key: choose one (withOrdered(true) keeps the"
                        + " order of all items, withOrderPerKey only that of items with the same key)");
            }
            if (!stage.canRunInParallel() && stage.options().parallelism() != 1) {
                throw new PipelineDefinitionException("Stage '" + stage.name() + "' of pipeline '" + name
                        + "' is a " + stage.kind() + " stage, which runs sequentially; it cannot have parallelism "
                        + stage.options().parallelism());
            }
        }
    }

    /**
     * Returns the pipeline's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the source.
     *
     * @return where the items come from
     */
    public Source<?> source() {
        return source;
    }

    /**
     * Returns the stages in order.
     *
     * @return an unmodifiable list of the stages
     */
    public List<Stage> stages() {
        return stages;
    }

    /**
     * Returns the sink.
     *
     * @return where the results go
     */
    public Sink<?, R> sink() {
        return sink;
    }

    /**
     * Describes the pipeline: its source, each stage with its kind and options, and its sink.
     *
     * @return a multi-line description
     */
    public String describe() {
        int width = 4;
        for (Stage stage : stages) {
            width = Math.max(width, stage.name().length() + 2);
        }
        StringBuilder sb = new StringBuilder("pipeline '").append(name).append("'\n");
        sb.append(String.format("  %-8s %s%n", "source", source.description()));
        for (Stage stage : stages) {
            sb.append(String.format("  %-8s %-" + width + "s %s%n", stage.kind(), "'" + stage.name() + "'",
                    stage.describe()));
        }
        sb.append(String.format("  %-8s %s%n", "sink", sink.description()));
        if (timeout != null) {
            sb.append(String.format("  %-8s %s%n", "timeout", timeout));
        }
        if (checkpoints != null) {
            sb.append(String.format("  %-8s %s%n", "resume", checkpoints));
        }
        return sb.toString();
    }

    /**
     * Runs the pipeline on the engine found on the class path and waits for it to finish.
     *
     * @return the run's result
     * @throws PipelineExecutionException if the run fails
     */
    public RunResult<R> run() {
        return start().await();
    }

    /**
     * Runs the pipeline on the given engine and waits for it to finish.
     *
     * @param engine the engine
     * @return the run's result
     * @throws PipelineExecutionException if the run fails
     */
    public RunResult<R> run(PipelineEngine engine) {
        return start(engine).await();
    }

    /**
     * Starts the pipeline on the engine found on the class path and returns at once.
     *
     * @return the handle of the run
     */
    public Execution<R> start() {
        return start(PipelineEngine.discover());
    }

    /**
     * Starts the pipeline on the given engine and returns at once.
     *
     * @param engine the engine
     * @return the handle of the run
     */
    public Execution<R> start(PipelineEngine engine) {
        return Objects.requireNonNull(engine, "engine").start(this);
    }

    @Override
    public String toString() {
        return describe();
    }
}
