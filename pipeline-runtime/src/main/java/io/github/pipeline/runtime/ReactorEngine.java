package io.github.pipeline.runtime;

import io.github.pipeline.api.Execution;
import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PipelineEngine;
import io.github.pipeline.api.SinkWriter;
import io.github.pipeline.api.StageFailedException;
import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import io.github.pipeline.api.PipelineCancelledException;
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
        List<DeadLetterChannel> deadLetters = new ArrayList<>();
        RunState state = new RunState(pipeline, deadLetters);
        SinkWriter<Object, R> writer;
        try {
            for (Stage stage : pipeline.stages()) {
                deadLetters.add(openDeadLetters(pipeline.name(), stage));
            }
            writer = openSink(pipeline);
        } catch (Exception e) {
            StageFailedException failure = new StageFailedException(pipeline.name(), StageFailures.SINK, null, e);
            state.abortDeadLetters(failure);
            return ReactorExecution.failed(state, failure);
        }
        return ReactorExecution.start(state, writer);
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
            List<DeadLetterChannel> deadLetters = new ArrayList<>();
            RunState state = new RunState(pipeline, deadLetters);
            try {
                for (Stage stage : pipeline.stages()) {
                    deadLetters.add(openDeadLetters(pipeline.name(), stage));
                }
            } catch (Exception e) {
                StageFailedException failure = new StageFailedException(pipeline.name(), StageFailures.SINK, null, e);
                state.abortDeadLetters(failure);
                return Flux.error(failure);
            }
            RunResources resources = new RunResources(pipeline.name());
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
    private static DeadLetterChannel openDeadLetters(String pipeline, Stage stage) throws Exception {
        Sink<? super DeadLetter, ?> sink = stage.options().errorPolicy().deadLetters().orElse(null);
        if (sink == null) {
            return null;
        }
        return new DeadLetterChannel(pipeline, stage.name(), (SinkWriter<DeadLetter, ?>) sink.open());
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
