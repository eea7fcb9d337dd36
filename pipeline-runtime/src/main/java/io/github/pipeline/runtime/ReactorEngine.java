package io.github.pipeline.runtime;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.PipelineEngine;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.StageFailedException;
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
 */
public final class ReactorEngine implements PipelineEngine {

    /**
     * Creates an engine. Public for {@link java.util.ServiceLoader}; prefer {@link #create()}.
     */
    public ReactorEngine() {
    }

    /**
     * Creates an engine.
     *
     * @return a new engine
     */
    public static ReactorEngine create() {
        return new ReactorEngine();
    }

    @Override
    public <R> Execution<R> start(Pipeline<R> pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        RunResources resources = new RunResources(pipeline.name());
        RunState state;
        try {
            state = RunState.open(pipeline, resources);
        } catch (StageFailedException failure) {
            return ReactorExecution.failed(new RunState(pipeline), resources, failure);
        }
        SinkWriter<Object, R> writer;
        try {
            writer = openSink(pipeline);
        } catch (Exception e) {
            StageFailedException failure = new StageFailedException(pipeline.name(), StageFailures.SINK, null, e);
            state.abortDeadLetters(failure);
            return ReactorExecution.failed(state, resources, failure);
        }
        return ReactorExecution.start(state, resources, writer);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each subscription is a run of its own: it creates its threads and opens the stages' dead-letter
     * sinks when subscribed, and releases them when it completes, fails or is cancelled. Items reach the
     * subscriber on a delivery thread of the run's own ({@code pipeline-<name>-subscriber}), never on a
     * CPU rail, so a subscriber may block.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Publisher<T> publish(Pipeline<?> pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        return (Publisher<T>) Flux.defer(() -> {
            RunResources resources = new RunResources(pipeline.name());
            RunState state;
            try {
                state = RunState.open(pipeline, resources);
            } catch (RuntimeException e) {
                resources.shutdown();
                throw e;
            }
            return new PipelineAssembly(state, resources).assemble()
                    .publishOn(resources.newScheduler("subscriber", 1), ReactorExecution.SINK_PREFETCH)
                    .concatWith(Mono.fromCallable(() -> {
                        state.completeDeadLetters();
                        return null; // an empty Mono: completes the publisher once the dead letters are safe
                    }))
                    .doOnError(state::abortDeadLetters)
                    .doOnCancel(() -> state.abortDeadLetters(new PipelineCancelledException(pipeline.name())))
                    .doFinally(signal -> resources.shutdown());
        });
    }

    @SuppressWarnings("unchecked")
    private static <R> SinkWriter<Object, R> openSink(Pipeline<R> pipeline) throws Exception {
        return (SinkWriter<Object, R>) pipeline.sink().open();
    }

    @Override
    public String name() {
        return "reactor";
    }
}
