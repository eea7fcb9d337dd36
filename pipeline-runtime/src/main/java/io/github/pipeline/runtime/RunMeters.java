package io.github.pipeline.runtime;

import io.github.pipeline.api.PipelineCancelledException;
import io.github.pipeline.api.PipelineTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run's part in its pipeline's meters: attached when the run starts, ended exactly once when it
 * ends, which folds its counts into the pipeline's totals and records its duration (on the registry's
 * clock) under its status.
 */
final class RunMeters {

    private final PipelineMeters meters;
    private final RunState state;
    private final MeterRegistry registry;
    private final Timer.Sample sample;
    private final AtomicBoolean ended = new AtomicBoolean();

    RunMeters(PipelineMeters meters, RunState state, MeterRegistry registry) {
        this.meters = meters;
        this.state = state;
        this.registry = registry;
        this.sample = Timer.start(registry);
    }

    /** Ends the run's meters: succeeded when {@code error} is {@code null}; later calls do nothing. */
    void end(Throwable error) {
        end(status(error));
    }

    /** Ends the run's meters with the given status; later calls do nothing. */
    void end(String status) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        meters.detach(state, registry);
        sample.stop(Timer.builder(PipelineMeter.RUNS.meterName())
                .tags(PipelineMeter.PIPELINE, state.pipelineName(), PipelineMeter.STATUS, status)
                .description(PipelineMeter.RUNS.description())
                .register(registry));
    }

    static String status(Throwable error) {
        if (error == null) {
            return "succeeded";
        }
        if (error instanceof PipelineTimeoutException) {
            return "timed-out";
        }
        return error instanceof PipelineCancelledException ? "cancelled" : "failed";
    }
}
