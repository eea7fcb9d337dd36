package io.github.pipeline.api;

import java.util.Objects;

/**
 * Sends each item to one of a pool of long-lived worker processes and emits its answer, one for one.
 * See {@link PipelineBuilder#process(String, ProcessWorkers, ItemCodec, StageOptions)}.
 *
 * @param name    the stage's name
 * @param workers the worker processes
 * @param codec   turns items into lines and answers into items
 * @param options how the stage runs: its order, buffers, error policy and per-item timeout; the
 *                parallelism comes from the workers, so the options must be sequential ones
 * @param <I>     the type of the items in
 * @param <O>     the type of the items out
 */
public record ProcessStage<I, O>(String name, ProcessWorkers workers, ItemCodec<? super I, ? extends O> codec,
                                 StageOptions options) implements Stage {

    /**
     * Creates the stage description, checking its parts.
     *
     * @param name    the stage's name
     * @param workers the worker processes
     * @param codec   the codec
     * @param options how the stage runs
     */
    public ProcessStage {
        Names.check("Stage", name);
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
    }

    @Override
    public String kind() {
        return "process";
    }

    /** A process stage runs its items concurrently on its worker processes, not on rails. */
    @Override
    public boolean canRunInParallel() {
        return false;
    }

    @Override
    public String describe() {
        return workers.describe() + (options.ordered() ? " ordered" : " unordered") + " prefetch="
                + options.prefetch() + options.timeout().map(t -> " timeout=" + t).orElse("");
    }
}
