package io.github.pipeline.api;

import java.util.ServiceLoader;

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
