package io.github.pipeline.api;

import java.util.ServiceLoader;
import org.reactivestreams.Publisher;

/**
 * Runs pipelines: the service provider interface between the DSL and a runtime. The runtime module
 * registers its engine with {@link ServiceLoader}, so {@link Pipeline#run()} finds it on the class path;
 * an engine can also be made and passed explicitly.
 */
public interface PipelineEngine {

    /**
     * Starts a run of the pipeline and returns its handle at once.
     *
     * @param pipeline the pipeline to run
     * @param <R>      the type of the run's value
     * @return the handle of the run
     */
    <R> Execution<R> start(Pipeline<R> pipeline);

    /**
     * Returns a publisher of the pipeline's results: each subscription runs the pipeline's source and
     * stages anew and delivers the last stage's items to the subscriber, with its demand as the
     * backpressure, instead of to a sink. Made by {@link PipelineBuilder#toPublisher(PipelineEngine)}.
     * The default refuses: an engine that can, overrides it.
     *
     * @param pipeline the pipeline; its sink is not used
     * @param <T>      the type of the items
     * @return a Reactive Streams publisher of the results
     * @throws UnsupportedOperationException if the engine cannot
     */
    default <T> Publisher<T> publish(Pipeline<?> pipeline) {
        throw new UnsupportedOperationException("engine '" + name() + "' cannot expose a pipeline as a publisher");
    }

    /**
     * Returns a short name for the engine, for logs and reports.
     *
     * @return the engine's name
     */
    String name();

    /**
     * Returns the engine registered on the class path with {@link ServiceLoader}; the same instance on
     * every call.
     *
     * @return the engine
     * @throws PipelineException if no engine is on the class path
     */
    static PipelineEngine discover() {
        return EngineDiscovery.engine();
    }
}
