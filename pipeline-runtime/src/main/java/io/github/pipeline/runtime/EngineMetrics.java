package io.github.pipeline.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of the pipelines run with one {@link MeterRegistry}: one {@link PipelineMeters} per
 * pipeline name. Kept per registry, not per engine, so that two engines given the same registry add up
 * their runs instead of one hiding the other's (a registry keeps the first meter registered under a
 * name and tags). The registry is the key of a weak map, and nothing here refers to it, so a registry
 * no longer used elsewhere is collected with its meters.
 */
final class EngineMetrics {

    private static final Map<MeterRegistry, EngineMetrics> BY_REGISTRY = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<String, PipelineMeters> pipelines = new ConcurrentHashMap<>();

    private EngineMetrics() {
    }

    /** The meters kept for {@code registry}. */
    static EngineMetrics of(MeterRegistry registry) {
        return BY_REGISTRY.computeIfAbsent(registry, r -> new EngineMetrics());
    }

    /** Starts counting a run in the registry's meters; the run must {@link RunMeters#end end} them. */
    RunMeters attach(RunState state, MeterRegistry registry) {
        PipelineMeters meters = pipelines.computeIfAbsent(state.pipelineName(), PipelineMeters::new);
        meters.attach(state, registry);
        return new RunMeters(meters, state, registry);
    }
}
