package io.github.pipeline.runtime;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineDefinitionException;
import io.github.pipeline.api.ResumableSink;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.PipelineEngine;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.StageFailedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The engine that runs pipelines on Project Reactor. It is found through {@link java.util.ServiceLoader}
 * when {@code pipeline-runtime} is on the class path, so {@code pipeline.run()} needs no set-up; it can
 * also be made with {@link #create()} and passed to {@code pipeline.run(engine)}.
 *
 * <p>The engine holds no state between runs: every run creates its own counters and threads (a source
 * thread, a sink thread, and a pool per blocking stage) and stops them when it ends, so two pipelines
 * run side by side without interfering. CPU-bound rails share Reactor's {@code Schedulers.parallel()}.
 *
 * <p>Every run is measured: its counts go to the engine's Micrometer {@link MeterRegistry} (the meters
 * are listed in {@link PipelineMeter}; a {@link SimpleMeterRegistry} of the engine's own unless one is
 * given), and its {@link io.github.pipeline.api.RunProfile profile} (time, CPU, waiting and allocation per
 * stage, the bottleneck, the speedup model) comes with its result. The configuration is immutable:
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * ReactorEngine engine = ReactorEngine.create(registry);          // meters into Prometheus
 * ReactorEngine quiet = engine.withProfiling(false);              // a copy that does not profile
 * }</pre>
 */
public final class ReactorEngine implements PipelineEngine {

    private final MeterRegistry registry;
    private final boolean profiling;
    /** Where runs borrow their threads: {@link BlockingThreads#SHARED} but in tests. */
    private final BlockingThreads threads;

    /**
     * Creates an engine with a meter registry of its own. Public for {@link java.util.ServiceLoader};
     * prefer {@link #create()}.
     */
    public ReactorEngine() {
        this(new SimpleMeterRegistry(), true);
    }

    private ReactorEngine(MeterRegistry registry, boolean profiling) {
        this(registry, profiling, BlockingThreads.SHARED);
    }

    private ReactorEngine(MeterRegistry registry, boolean profiling, BlockingThreads threads) {
        this.registry = registry;
        this.profiling = profiling;
        this.threads = threads;
        // measure what the clocks cost now, on the caller's thread, not on the first rail that needs them
        Objects.requireNonNull(ThreadClocks.OVERHEAD);
    }

    /**
     * Creates an engine that profiles its runs and counts them in a {@link SimpleMeterRegistry} of its
     * own.
     *
     * @return a new engine
     */
    public static ReactorEngine create() {
        return new ReactorEngine();
    }

    /**
     * Creates an engine that profiles its runs and counts them in {@code registry}.
     *
     * @param registry where the meters go; engines may share one, their counts add up
     * @return a new engine
     */
    public static ReactorEngine create(MeterRegistry registry) {
        return new ReactorEngine(Objects.requireNonNull(registry, "registry"), true);
    }

    /**
     * Returns a copy whose runs are counted in {@code registry}.
     *
     * @param registry where the meters go
     * @return the copy
     */
    public ReactorEngine withMeterRegistry(MeterRegistry registry) {
        return new ReactorEngine(Objects.requireNonNull(registry, "registry"), profiling, threads);
    }

    /**
     * Returns a copy that profiles its runs or not. Profiling reads the clocks around a sample of the
     * calls (see {@code docs/observability.md} for what it costs); without it, {@code RunResult.profile()}
     * is empty and the meters of time, CPU and allocation stay at 0. The item counts are kept either way.
     *
     * @param profiling whether to profile
     * @return the copy
     */
    public ReactorEngine withProfiling(boolean profiling) {
        return new ReactorEngine(registry, profiling, threads);
    }

    /** A copy whose runs borrow their threads from {@code threads}: for tests. */
    ReactorEngine withThreads(BlockingThreads threads) {
        return new ReactorEngine(registry, profiling, Objects.requireNonNull(threads, "threads"));
    }

    /**
     * Returns the registry the engine's meters go to.
     *
     * @return the registry
     */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /**
     * Returns whether the engine profiles its runs.
     *
     * @return {@code true} unless made with {@code withProfiling(false)}
     */
    public boolean isProfiling() {
        return profiling;
    }

    @Override
    public <R> Execution<R> start(Pipeline<R> pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        RunResources resources = new RunResources(pipeline.name(), threads);
        RunState state;
        try {
            state = RunState.open(pipeline, resources, profiling);
        } catch (StageFailedException failure) {
            RunState failed = new RunState(pipeline);
            return ReactorExecution.failed(failed, resources, attach(failed), failure);
        }
        RunMeters meters = attach(state);
        if (state.checkpointer != null) {
            try {
                state.checkpointer.load();
            } catch (StageFailedException failure) {
                state.abortDeadLetters(failure);
                return ReactorExecution.failed(state, resources, meters, failure);
            }
        }
        SinkWriter<Object, R> writer;
        try {
            writer = openSink(state, pipeline);
        } catch (Exception e) {
            StageFailedException failure = new StageFailedException(pipeline.name(), StageFailures.SINK, null, e);
            if (state.checkpointer != null) {
                state.checkpointer.release();
            }
            state.abortDeadLetters(failure);
            return ReactorExecution.failed(state, resources, meters, failure);
        }
        return ReactorExecution.start(state, resources, meters, writer);
    }

    private RunMeters attach(RunState state) {
        return EngineMetrics.of(registry).attach(state, registry);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each subscription is a run of its own: it creates its threads and opens the stages' dead-letter
     * sinks when subscribed, and releases them when it completes, fails or is cancelled. Items reach the
     * subscriber on a delivery thread of the run's own ({@code pipeline-<name>-subscriber}), never on a
     * CPU rail, so a subscriber may block. Its counts go to the engine's meters like any run's.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Publisher<T> publish(Pipeline<?> pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        if (pipeline.checkpoints().isPresent()) {
            throw new PipelineDefinitionException("Pipeline '" + pipeline.name() + "' takes checkpoints, which"
                    + " need its own sink: run it with start() or run(), not publish()");
        }
        return (Publisher<T>) Flux.defer(() -> {
            RunResources resources = new RunResources(pipeline.name(), threads);
            RunState state;
            try {
                state = RunState.open(pipeline, resources, profiling);
            } catch (RuntimeException e) {
                resources.shutdown();
                throw e;
            }
            RunMeters meters = attach(state);
            return new PipelineAssembly(state, resources)
                    .assembleOn(resources.newScheduler("subscriber", 1), ReactorExecution.SINK_PREFETCH)
                    .concatWith(Mono.fromCallable(() -> {
                        state.completeDeadLetters();
                        return null; // an empty Mono: completes the publisher once the dead letters are safe
                    }))
                    .doOnError(state::abortDeadLetters)
                    .doOnCancel(() -> state.abortDeadLetters(new PipelineCancelledException(pipeline.name())))
                    // the meters end before the subscriber hears of the end, so they are complete when it does;
                    // the threads stop after (the subscriber's own among them)
                    .doOnComplete(() -> end(state, meters, "succeeded"))
                    .doOnError(e -> end(state, meters, "failed"))
                    .doOnCancel(() -> end(state, meters, "cancelled"))
                    .doFinally(signal -> resources.shutdown());
        });
    }

    /** Ends a published run's meters with {@code status}. */
    private static void end(RunState state, RunMeters meters, String status) {
        state.markEnded();
        try {
            meters.end(status);
        } catch (RuntimeException e) { // a registry that refuses the meter does not fail a finished run
            reactor.util.Loggers.getLogger(ReactorEngine.class).warn("recording the end of pipeline '"
                    + state.pipelineName() + "' in the meter registry failed", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> SinkWriter<Object, R> openSink(RunState state, Pipeline<R> pipeline) throws Exception {
        if (state.checkpointer != null) {
            return state.checkpointer.openSink((ResumableSink<?, R>) pipeline.sink());
        }
        return (SinkWriter<Object, R>) pipeline.sink().open();
    }

    @Override
    public String name() {
        return "reactor";
    }
}
